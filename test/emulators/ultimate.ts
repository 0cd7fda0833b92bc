// A local stand-in for the Ultimate (Zendesk AI agents) Chat API: `POST /converse/chat` with the
// real API's header and body rules, and a scripted bot that answers on the chat and actions
// webhooks, recording what each webhook answered.
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const EVENT_TYPES = ['startSession', 'message', 'metadata', 'endSession'] as const;
type EventType = (typeof EVENT_TYPES)[number];
const BODY_FIELDS = new Set(['platformConversationId', 'eventType', 'text', 'cardIndex', 'metaData']);
const METADATA_FIELDS = new Set(['key', 'value', 'sanitize']);

export interface ConverseBody {
	platformConversationId: string;
	eventType: EventType;
	text?: string;
	cardIndex?: number;
	metaData?: Array<{ key: string; value: string; sanitize?: boolean }>;
}

/** One request to /converse/chat, accepted or not. */
export interface ConverseCall {
	status: number;
	headers: { authorization?: string; botid?: string; contentType?: string };
	body: unknown;
	error?: string;
}

/** One call the bot made to a webhook, with what the webhook answered. */
export interface Delivery {
	webhook: 'chat' | 'actions';
	event: string;
	conversationId: string;
	payload: Record<string, unknown>;
	status: number;
	response: unknown;
}

interface Conversation {
	id: string;
	internalId: string;
	metadata: Record<string, { value: string; sanitize: boolean }>;
	lastCarousel?: Card[];
	escalated: boolean;
	ended: boolean;
}

interface Card {
	title: string;
	description: string;
	imageUrl: string;
	buttons: Array<{ type: 'button'; text: string }>;
}

export interface WebhookTargets {
	chat?: string;
	actions?: string;
	headers?: Record<string, string>;
}

export const BOT_SCRIPT = {
	welcome: 'Hi, I am the demo bot. What can I do for you?',
	welcomeButtons: ['Track my order', 'Browse products', 'Talk to a human'],
	helpLink: { text: 'Help center', url: 'https://help.example.com' },
	carouselCards: [
		{ title: 'Red shoes', description: 'Light running shoes', imageUrl: 'https://shop.example.com/red.png', buttons: ['Buy red'] },
		{ title: 'Blue boots', description: 'Warm winter boots', imageUrl: 'https://shop.example.com/blue.png', buttons: ['Buy blue', 'More blue'] },
	],
	team: 'support',
	orderAction: 'lookupOrder',
	handoffFailed: 'Sorry, the hand-off failed. Please try again later.',
	teamOffline: 'Our team is offline right now.',
	orderLookupFailed: 'Sorry, I could not look up your order.',
};

export class UltimateEmulator {
	readonly calls: ConverseCall[] = [];
	readonly deliveries: Delivery[] = [];
	readonly conversations = new Map<string, Conversation>();
	private targets: WebhookTargets = {};
	private readonly faults: Array<{ status: number; headers: Record<string, string>; body: unknown }> = [];
	private readonly pending = new Set<Promise<unknown>>();
	private readonly chains = new Map<string, Promise<unknown>>();
	private counter = 0;

	private constructor(
		private readonly server: Server,
		readonly baseUrl: string,
		readonly apiKey: string,
		readonly botId: string,
	) {}

	static async start(options: { apiKey: string; botId: string; webhooks?: WebhookTargets }): Promise<UltimateEmulator> {
		const app = express();
		const server = await new Promise<Server>((resolve) => {
			const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
		});
		const { port } = server.address() as AddressInfo;
		const emulator = new UltimateEmulator(server, `http://127.0.0.1:${port}`, options.apiKey, options.botId);
		emulator.targets = options.webhooks ?? {};
		app.post('/converse/chat', express.text({ type: () => true }), (req, res) => emulator.converse(req, res));
		app.use((_req, res) => res.status(404).json({ message: 'Not found' }));
		return emulator;
	}

	/** Where the bot sends its events (as configured in the Ultimate dashboard). */
	setWebhooks(targets: WebhookTargets): void {
		this.targets = targets;
	}

	/** The next `times` converse requests are answered with `status` (after auth), e.g. 429 or 503. */
	failNext(status: number, times = 1, headers: Record<string, string> = {}, body: unknown = { message: 'Injected fault' }): void {
		for (let i = 0; i < times; i++) this.faults.push({ status, headers, body });
	}

	/** Sends any payload to a webhook, as the bot would (for repeated or hand-made events). */
	async push(webhook: 'chat' | 'actions', payload: Record<string, unknown>): Promise<Delivery> {
		return await this.track(this.deliver(webhook, payload));
	}

	/** Resolves once every webhook call started so far (and the ones they led to) has been answered. */
	async idle(): Promise<void> {
		while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
	}

	deliveriesFor(conversationId: string): Delivery[] {
		return this.deliveries.filter((delivery) => delivery.conversationId === conversationId);
	}

	async close(): Promise<void> {
		await this.idle();
		await new Promise<void>((resolve) => {
			this.server.closeAllConnections();
			this.server.close(() => resolve());
		});
	}

	private converse(req: express.Request, res: express.Response): void {
		const call: ConverseCall = {
			status: 0,
			headers: { authorization: req.get('authorization'), botid: req.get('botid'), contentType: req.get('content-type') },
			body: undefined,
		};
		this.calls.push(call);
		const answer = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
			call.status = status;
			if (status >= 400) call.error = (body as { message?: string } | undefined)?.message;
			res.status(status).set(headers);
			if (body === undefined) res.end();
			else res.json(body);
		};

		if (req.get('authorization') !== this.apiKey) return answer(401, { message: 'Unauthorized' });
		if (req.get('botid') !== this.botId) return answer(404, { message: 'Bot not found' });
		const fault = this.faults.shift();
		if (fault) return answer(fault.status, fault.body, fault.headers);
		if (!/^application\/json\b/i.test(req.get('content-type') ?? '')) {
			return answer(400, { message: 'Content-Type must be application/json' });
		}
		let body: unknown;
		try {
			body = JSON.parse(typeof req.body === 'string' ? req.body : '');
		} catch {
			return answer(400, { message: 'Body is not valid JSON' });
		}
		call.body = body;
		const problem = validate(body);
		if (problem) return answer(400, { message: problem });
		const request = body as ConverseBody;
		const conversation = this.conversations.get(request.platformConversationId);
		if (request.eventType !== 'startSession' && (!conversation || conversation.ended)) {
			return answer(400, { message: `Conversation ${request.platformConversationId} is not open` });
		}
		answer(200);
		this.play(request);
	}

	/** The scripted bot: what it does after an accepted request, one conversation at a time. */
	private play(request: ConverseBody): void {
		const id = request.platformConversationId;
		if (request.eventType === 'startSession') {
			this.conversations.set(id, { id, internalId: `conv-${++this.counter}`, metadata: {}, escalated: false, ended: false });
		}
		const conversation = this.conversations.get(id) as Conversation;
		for (const entry of request.metaData ?? []) {
			conversation.metadata[entry.key] = { value: entry.value, sanitize: entry.sanitize === true };
		}
		if (request.eventType === 'endSession') conversation.ended = true;
		if (request.eventType === 'startSession' || request.eventType === 'message') {
			const previous = this.chains.get(id) ?? Promise.resolve();
			const next = previous.then(() => this.answer(conversation, request));
			this.chains.set(id, next.catch(() => undefined));
			void this.track(next);
		}
	}

	private async answer(conversation: Conversation, request: ConverseBody): Promise<void> {
		if (conversation.escalated) return;
		if (request.eventType === 'startSession') {
			await this.sendMessage(conversation, BOT_SCRIPT.welcome, [
				...BOT_SCRIPT.welcomeButtons.map((text) => ({ type: 'button', text })),
				{ type: 'link', ...BOT_SCRIPT.helpLink },
			]);
			return;
		}
		const text = request.text ?? '';
		if (request.cardIndex !== undefined) {
			const card = conversation.lastCarousel?.[request.cardIndex];
			const chosen = card?.buttons.some((button) => button.text === text);
			await this.sendMessage(conversation, chosen && card ? `You chose ${card.title} (${text})` : 'I did not understand that choice');
			return;
		}
		if (text === 'Browse products') {
			await this.sendCarousel(conversation);
		} else if (text === 'Track my order') {
			await this.lookupOrder(conversation);
		} else if (text === 'Talk to a human') {
			await this.escalate(conversation);
		} else {
			await this.sendMessage(conversation, `You said: ${text}`);
		}
	}

	private async lookupOrder(conversation: Conversation): Promise<void> {
		const delivery = await this.deliver('actions', {
			botId: this.botId,
			conversationId: conversation.internalId,
			platformConversationId: conversation.id,
			name: BOT_SCRIPT.orderAction,
			data: [{ key: 'orderId', value: [conversation.metadata.orderId?.value ?? 'unknown'], saveAs: 'orderStatus' }],
		});
		const results = (delivery.response as { results?: Array<{ key: string; value: unknown }> } | undefined)?.results;
		const status = ok(delivery.status) && Array.isArray(results) ? results.find((result) => result.key === 'orderStatus') : undefined;
		await this.sendMessage(conversation, status ? `Your order is ${String(status.value)}` : BOT_SCRIPT.orderLookupFailed);
	}

	private async escalate(conversation: Conversation): Promise<void> {
		const query = await this.deliver('chat', {
			botId: this.botId,
			channel: 'chat',
			data: { eventType: 'isTeamOnline', platformConversationId: conversation.id, teamId: BOT_SCRIPT.team },
		});
		if (!ok(query.status) || (query.response as { isOnline?: unknown } | undefined)?.isOnline !== true) {
			await this.sendMessage(conversation, BOT_SCRIPT.teamOffline);
			return;
		}
		const escalation = await this.deliver('chat', {
			botId: this.botId,
			channel: 'chat',
			data: { eventType: 'escalate', platformConversationId: conversation.id, escalateTo: BOT_SCRIPT.team },
		});
		if (ok(escalation.status)) conversation.escalated = true;
		else await this.sendMessage(conversation, BOT_SCRIPT.handoffFailed);
	}

	private async sendCarousel(conversation: Conversation): Promise<void> {
		const cards: Card[] = BOT_SCRIPT.carouselCards.map((card) => ({
			...card,
			buttons: card.buttons.map((text) => ({ type: 'button' as const, text })),
		}));
		conversation.lastCarousel = cards;
		await this.deliver('chat', this.messagePayload(conversation, { type: 'carousel', text: '', buttons: [], carouselCards: cards }));
	}

	private async sendMessage(conversation: Conversation, text: string, buttons: object[] = []): Promise<void> {
		await this.deliver('chat', this.messagePayload(conversation, { type: 'text', text, buttons, carouselCards: [] }));
	}

	private messagePayload(conversation: Conversation, content: Record<string, unknown>): Record<string, unknown> {
		const n = ++this.counter;
		return {
			botId: this.botId,
			channel: 'chat',
			data: {
				eventType: 'sendMessage',
				platformConversationId: conversation.id,
				messageId: `msg-${n}`,
				replyId: `reply-${n}`,
				confidence: 0.93,
				...content,
			},
		};
	}

	private async deliver(webhook: 'chat' | 'actions', payload: Record<string, unknown>): Promise<Delivery> {
		const data = payload.data as Record<string, unknown> | unknown[] | undefined;
		const event = webhook === 'actions' ? 'action' : String((data as Record<string, unknown> | undefined)?.eventType);
		const conversationId = String(
			payload.platformConversationId ?? (data as Record<string, unknown> | undefined)?.platformConversationId ?? '',
		);
		const delivery: Delivery = { webhook, event, conversationId, payload, status: 0, response: undefined };
		this.deliveries.push(delivery);
		const url = this.targets[webhook];
		if (!url) {
			delivery.status = -1;
			delivery.response = 'No webhook configured';
			return delivery;
		}
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...this.targets.headers },
				body: JSON.stringify(payload),
			});
			delivery.status = response.status;
			const text = await response.text();
			try {
				delivery.response = text === '' ? undefined : JSON.parse(text);
			} catch {
				delivery.response = text;
			}
		} catch (error) {
			delivery.status = -1;
			delivery.response = (error as Error).message;
		}
		return delivery;
	}

	private track<T>(promise: Promise<T>): Promise<T> {
		this.pending.add(promise);
		void promise.finally(() => this.pending.delete(promise)).catch(() => undefined);
		return promise;
	}
}

const ok = (status: number) => status >= 200 && status < 300;

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The converse body rules: what the real API refuses with 400. */
export function validate(body: unknown): string | undefined {
	if (!isRecord(body)) return 'Body must be a JSON object';
	const unknown = Object.keys(body).filter((key) => !BODY_FIELDS.has(key));
	if (unknown.length > 0) return `Unknown fields: ${unknown.join(', ')}`;
	if (typeof body.platformConversationId !== 'string' || body.platformConversationId === '') {
		return 'platformConversationId is required';
	}
	if (!(EVENT_TYPES as readonly unknown[]).includes(body.eventType)) {
		return `eventType must be one of ${EVENT_TYPES.join(', ')}`;
	}
	if (body.text !== undefined && typeof body.text !== 'string') return 'text must be a string';
	if (body.eventType === 'message' && (typeof body.text !== 'string' || body.text.trim() === '')) {
		return 'text is required when eventType is message';
	}
	if (body.cardIndex !== undefined) {
		if (body.eventType !== 'message') return 'cardIndex is only used with eventType message';
		if (typeof body.cardIndex !== 'number' || !Number.isInteger(body.cardIndex) || body.cardIndex < 0) {
			return 'cardIndex must be a non-negative integer';
		}
	}
	if (body.metaData !== undefined) {
		if (!Array.isArray(body.metaData)) return 'metaData must be an array';
		for (const entry of body.metaData) {
			if (!isRecord(entry)) return 'metaData entries must be objects';
			if (Object.keys(entry).some((key) => !METADATA_FIELDS.has(key))) return 'metaData entries take key, value, sanitize';
			if (typeof entry.key !== 'string' || entry.key === '') return 'metaData key is required';
			if (typeof entry.value !== 'string') return 'metaData value must be a string';
			if (entry.sanitize !== undefined && typeof entry.sanitize !== 'boolean') return 'metaData sanitize must be a boolean';
		}
	}
	if (body.eventType === 'metadata' && (!Array.isArray(body.metaData) || body.metaData.length === 0)) {
		return 'metaData is required when eventType is metadata';
	}
	return undefined;
}
