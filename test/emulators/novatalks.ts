import express from 'express';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

import type {
	NovaTalksAttachment,
	NovaTalksMessage,
	NovaTalksReaction,
	NovaTalksSender,
	PushNotification,
} from '../../nodes/NovaTalks/protocol';

/**
 * A local NovaTalks SDK server: the REST API under /api/v1/sdk with in-memory contacts,
 * conversations and messages, validated like the real server (401/400/404 JSON errors, 429 after
 * 100 requests per 60 s by default), the plain-JSON WebSocket on /ws (subscribe/confirm,
 * presence.update keepalive, message/status/typing events) and the channel's push webhook.
 * Tests act as the agent through its methods and inject faults (drops, malformed frames, 5xx).
 */

export const REACTIONS = [
	'👍', '👎', '🔥', '🥰', '👏', '😁', '🤔', '🤯', '😱', '🤬', '😢', '🎉', '🤩', '🤮', '💩', '🙏', '👌', '🕊', '🤡', '🥱',
	'🥴', '😍', '🐳', '❤‍🔥', '🌚', '🌭', '💯', '🤣', '⚡', '🍌', '🏆', '💔', '🤨', '😐', '🍓', '🍾', '💋', '🖕', '😈', '😴',
	'😭', '🤓', '👻', '👨‍💻', '👀', '🎃', '🙈', '😇', '😨', '🤝', '✍', '🤗', '🫡', '🎅', '🎄', '☃', '💅', '🤪', '🗿', '🆒',
	'💘', '🙉', '🦄', '😘', '💊', '🙊', '😎', '👾', '🤷‍♂', '🤷', '🤷‍♀', '😡',
];

const STATUSES = ['sent', 'delivered', 'seen', 'failed'];
const CONVERSATION_STATUSES = ['open', 'resolved', 'pending', 'snoozed'];
const INTERACTIVE_TYPES = ['card', 'quick_reply', 'feedback', 'form', 'input_select', 'input_csat'];
const AGENT: NovaTalksSender = { id: 1, name: 'Support', display_name: '' };

export interface EmulatorOptions {
	accountId?: number;
	/** Requests allowed per window before 429 (the vendor's dev deployment: 100 per 60 s); false turns it off. */
	rateLimit?: { max: number; windowMs: number } | false;
	/** Most messages one GET answers (the vendor: 20). */
	pageSize?: number;
	/** `openapi`: GET /conversations answers `{conversation, messages}`; `markdown`: a bare message list. */
	conversationShape?: 'openapi' | 'markdown';
	/** Answer `subscribe` with confirm_subscription (default true). */
	confirmSubscriptions?: boolean;
	/** Send presence.update to every socket at this interval (0: only on demand). */
	presenceIntervalMs?: number;
	/**
	 * Which 20 messages a list without `before`/`after` gives (the docs leave it open): the newest (default)
	 * or the oldest. With a cursor the nearest ones to it come, either way.
	 */
	listFrom?: 'newest' | 'oldest';
	/**
	 * Checks presence strictly while subscribing: each `subscribe` is answered with presence.update first, and
	 * confirmed only once `update_presence` comes back; no answer within this many ms drops the connection.
	 */
	presenceCheckOnSubscribeMs?: number;
}

export interface ConversationRecord {
	id: number;
	token: string;
	status: string;
	substatus: string;
	dialogId: string;
	contact: { id: number; name: string; email: string | null; phone_number: string | null; custom_attributes: object; additional_attributes: object };
	pushTokens: Set<string>;
}

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, unknown>;
	headers: IncomingHttpHeaders;
	body: unknown;
	files: Array<{ field: string; filename: string; contentType: string; data: Buffer }>;
	status: number;
}

export interface PushSettings {
	url: string;
	bearerToken?: string;
	customHeader?: { name: string; value: string };
	additionalParams?: Record<string, string>;
}

interface SocketState {
	subscriptions: Set<number>;
	/** Subscriptions waiting for the answer to the presence check sent with them. */
	awaitingPresence: Array<{ conversationId: number; timer: NodeJS.Timeout }>;
}

interface StoredMessage extends NovaTalksMessage {
	id: number;
	conversation_id: number;
}

type HttpError = { status: number; message: string | string[] };

const ERROR_NAMES: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
};

export class NovaTalksEmulator {
	readonly conversations = new Map<number, ConversationRecord>();
	readonly messages: StoredMessage[] = [];
	readonly requests: RecordedRequest[] = [];
	/** Frames clients sent on the WebSocket, parsed. */
	readonly wsReceived: Array<{ event?: string; data?: unknown }> = [];
	readonly files = new Map<string, Buffer>();
	readonly sockets = new Map<WebSocket, SocketState>();
	presenceAnswers = 0;
	connectionCount = 0;
	confirmSubscriptions: boolean;
	readonly pushDeliveries: Array<Promise<number>> = [];
	/** Called with every message the moment it is stored, whoever wrote it (benchmarks time hops with it). */
	private readonly messageListeners = new Set<(message: StoredMessage) => void>();

	private readonly app = express();
	private readonly server: Server;
	private readonly wss: WebSocketServer;
	private readonly accountId: number;
	private readonly pageSize: number;
	private readonly conversationShape: 'openapi' | 'markdown';
	private readonly listFrom: 'newest' | 'oldest';
	private readonly presenceCheckOnSubscribeMs?: number;
	/** Connections dropped because a presence check went unanswered. */
	presenceDrops = 0;
	private rateLimit: { max: number; windowMs: number } | false;
	private requestTimes: number[] = [];
	private injected: Array<{ status: number; path?: RegExp; remaining: number; message?: string | string[]; method?: string }> = [];
	private presenceTimer?: NodeJS.Timeout;
	private push?: PushSettings;
	private nextId = { contact: 100, conversation: 1, message: 1000, attachment: 1, reaction: 1 };

	private constructor(options: EmulatorOptions) {
		this.accountId = options.accountId ?? 1;
		this.pageSize = options.pageSize ?? 20;
		this.conversationShape = options.conversationShape ?? 'openapi';
		this.listFrom = options.listFrom ?? 'newest';
		this.presenceCheckOnSubscribeMs = options.presenceCheckOnSubscribeMs;
		this.rateLimit = options.rateLimit === undefined ? { max: 100, windowMs: 60_000 } : options.rateLimit;
		this.confirmSubscriptions = options.confirmSubscriptions ?? true;
		this.routes();
		this.server = createServer(this.app);
		this.wss = new WebSocketServer({ server: this.server, path: '/ws' });
		this.wss.on('connection', (socket) => this.onSocket(socket));
		if (options.presenceIntervalMs) {
			this.presenceTimer = setInterval(() => this.sendPresenceCheck(), options.presenceIntervalMs);
		}
	}

	static async start(options: EmulatorOptions = {}): Promise<NovaTalksEmulator> {
		const emulator = new NovaTalksEmulator(options);
		await new Promise<void>((resolve) => emulator.server.listen(0, '127.0.0.1', resolve));
		return emulator;
	}

	get port(): number {
		return (this.server.address() as AddressInfo).port;
	}

	get baseUrl(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get webSocketUrl(): string {
		return `ws://127.0.0.1:${this.port}/ws`;
	}

	/** Credential data for this emulator; the WebSocket URL is left to be derived from the base URL. */
	credentials(extra: Record<string, string | number> = {}) {
		return { novaTalksApi: { baseUrl: this.baseUrl, accountId: this.accountId, ...extra } };
	}

	setRateLimit(limit: { max: number; windowMs: number } | false): void {
		this.rateLimit = limit;
		this.requestTimes = [];
	}

	/** The next `count` requests (to paths matching `path`, with this method if given) fail with `status`. */
	failNext(status: number, count = 1, path?: RegExp, message?: string | string[], method?: string): void {
		this.injected.push({ status, path, remaining: count, message, method });
	}

	configurePush(settings: PushSettings | undefined): void {
		this.push = settings;
	}

	// ------------------------------------------------------------------------------------------
	// Acting as the desk

	/** A contact and conversation made directly (no request), for test setup. */
	createConversation(name = 'sdk-contact', pushTokens: string[] = []): ConversationRecord {
		const record: ConversationRecord = {
			id: this.nextId.conversation++,
			token: randomBytes(16).toString('base64url').slice(0, 22),
			status: 'open',
			substatus: 'oninbox',
			dialogId: randomUUID(),
			contact: {
				id: this.nextId.contact++,
				name,
				email: null,
				phone_number: null,
				custom_attributes: {},
				additional_attributes: {},
			},
			pushTokens: new Set(pushTokens),
		};
		this.conversations.set(record.id, record);
		return record;
	}

	/** An agent (or bot) writes in the conversation: message.created goes to its subscribers, and the push webhook if set. */
	agentSend(
		conversationId: number,
		message: {
			content?: string | null;
			attachments?: Array<{ url: string; fileType?: string; size?: number; mimeType?: string }>;
			contentType?: string;
			contentAttributes?: Record<string, unknown>;
			bot?: boolean;
		} = {},
	): StoredMessage {
		const conversation = this.conversationById(conversationId);
		const sender: NovaTalksSender = message.bot
			? { id: 7, name: 'Helper bot', display_name: 'Helper bot', type: 'AgentBot' }
			: { ...AGENT, type: 'User' };
		const stored = this.addMessage(conversation, {
			content: message.content === undefined ? 'hello' : message.content,
			message_type: 'outgoing',
			content_type: message.contentType ?? 'text',
			content_attributes: message.contentAttributes ?? {},
			sender_type: message.bot ? 'AgentBot' : 'User',
			sender,
			echo_id: randomBytes(6).toString('hex'),
			attachments: (message.attachments ?? []).map((file) => this.attachment(file.url, file.fileType ?? 'file', file.size, file.mimeType)),
		});
		this.notifyPush(this.newMessagePush(conversation, stored));
		return stored;
	}

	/** A batch of agent messages as fast as the server can send them (benchmarks). */
	agentBurst(conversationId: number, count: number): void {
		for (let index = 0; index < count; index++) this.agentSend(conversationId, { content: `burst ${index}` });
	}

	setConversationStatus(conversationId: number, status: string): void {
		if (!CONVERSATION_STATUSES.includes(status)) throw new Error(`Unknown conversation status ${status}`);
		const conversation = this.conversationById(conversationId);
		conversation.status = status;
		const now = Date.now();
		this.broadcast(conversationId, {
			event: 'conversation.status_changed',
			data: {
				account_id: this.accountId,
				id: conversation.id,
				status,
				substatus: conversation.substatus,
				channel: 'Sdk',
				dialog_id: conversation.dialogId,
				messages: [],
				// As in the vendor's example, the contact's identifier is a token-like value: here the contact token itself.
				meta: {
					sender: { id: conversation.contact.id, identifier: conversation.token, name: conversation.contact.name, type: 'contact' },
					assignee: null,
				},
				timestamp: now,
				created_at: now,
			},
		});
		this.notifyPush({
			type: 'ntk.sdk.chat',
			event_name: 'conversation_status_change',
			push_tokens: [...conversation.pushTokens],
			payload: {
				additional_params: this.push?.additionalParams ?? {},
				account_id: this.accountId,
				conversation_id: conversation.id,
				title: `Conversation status changed to ${status}`,
				status,
				ts: now,
			},
		});
	}

	agentTyping(conversationId: number): void {
		this.broadcast(conversationId, {
			event: 'typing',
			data: { conversation_id: conversationId, sender: { id: AGENT.id, name: AGENT.name }, sender_type: 'User' },
		});
	}

	/** The agent reads a message: message.updated with the new status. */
	agentMarks(messageId: number, status: string): void {
		const message = this.messageById(messageId);
		message.status = status;
		message.updated_at = Date.now();
		this.broadcast(message.conversation_id, { event: 'message.updated', data: message });
	}

	agentReacts(messageId: number, emoji: string): void {
		const message = this.messageById(messageId);
		message.reactions = [
			...(message.reactions ?? []),
			{ id: this.nextId.reaction++, content: emoji, created_at: Date.now(), sender: { ...AGENT, type: 'User' } },
		];
		this.broadcastReactions(message);
	}

	/** Every socket is cut without a close frame, as a network failure would. */
	dropAll(): void {
		for (const socket of this.sockets.keys()) socket.terminate();
	}

	sendPresenceCheck(): void {
		for (const socket of this.sockets.keys()) this.sendTo(socket, { event: 'presence.update', data: {} });
	}

	/** Sends a frame as is (malformed JSON included) to every socket subscribed to the conversation. */
	sendRaw(conversationId: number, text: string): void {
		for (const [socket, state] of this.sockets) {
			if (state.subscriptions.has(conversationId) && socket.readyState === WebSocket.OPEN) socket.send(text);
		}
	}

	/** Sends a frame to the conversation's subscribers (duplicates, odd events). */
	sendFrame(conversationId: number, frame: unknown): void {
		this.broadcast(conversationId, frame);
	}

	subscriberCount(conversationId: number): number {
		return [...this.sockets.values()].filter((state) => state.subscriptions.has(conversationId)).length;
	}

	get openSockets(): number {
		return this.sockets.size;
	}

	/** Calls `listener` with each message as it is stored; the returned function stops that. */
	onMessage(listener: (message: StoredMessage) => void): () => void {
		this.messageListeners.add(listener);
		return () => this.messageListeners.delete(listener);
	}

	messagesOf(conversationId: number): StoredMessage[] {
		return this.messages.filter((message) => message.conversation_id === conversationId);
	}

	/** POSTs a push notification to a URL as the vendor does (its headers included); resolves with the status. */
	async deliverPush(url: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'user-agent': 'NovaTalks.Engine', ...headers },
			body: JSON.stringify(body),
		});
		await response.arrayBuffer();
		return response.status;
	}

	async settledPushes(): Promise<number[]> {
		return await Promise.all(this.pushDeliveries);
	}

	async close(): Promise<void> {
		if (this.presenceTimer) clearInterval(this.presenceTimer);
		await Promise.allSettled(this.pushDeliveries);
		for (const socket of this.sockets.keys()) socket.terminate();
		await new Promise<void>((resolve) => this.wss.close(() => resolve()));
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	// ------------------------------------------------------------------------------------------
	// WebSocket

	private onSocket(socket: WebSocket): void {
		this.connectionCount++;
		const state: SocketState = { subscriptions: new Set(), awaitingPresence: [] };
		this.sockets.set(socket, state);
		socket.on('close', () => {
			for (const waiting of state.awaitingPresence) clearTimeout(waiting.timer);
			this.sockets.delete(socket);
		});
		socket.on('error', () => undefined);
		socket.on('message', (raw) => {
			let frame: { event?: string; data?: Record<string, unknown> };
			try {
				frame = JSON.parse(raw.toString()) as typeof frame;
			} catch {
				return;
			}
			this.wsReceived.push(frame);
			if (frame.event === 'update_presence') {
				this.presenceAnswers++;
				for (const waiting of state.awaitingPresence.splice(0)) {
					clearTimeout(waiting.timer);
					state.subscriptions.add(waiting.conversationId);
					this.sendTo(socket, { event: 'confirm_subscription', data: 'confirmed' });
				}
				return;
			}
			if (frame.event === 'subscribe') {
				const conversation = this.conversationByToken(String(frame.data?.pubsub_token ?? ''));
				const accountOk = frame.data?.account_id === undefined || Number(frame.data.account_id) === this.accountId;
				if (!conversation || !accountOk || !this.confirmSubscriptions) return;
				if (this.presenceCheckOnSubscribeMs !== undefined) {
					const timer = setTimeout(() => {
						this.presenceDrops++;
						socket.terminate();
					}, this.presenceCheckOnSubscribeMs);
					state.awaitingPresence.push({ conversationId: conversation.id, timer });
					this.sendTo(socket, { event: 'presence.update', data: {} });
					return;
				}
				state.subscriptions.add(conversation.id);
				this.sendTo(socket, { event: 'confirm_subscription', data: 'confirmed' });
				return;
			}
			if (frame.event === 'typing') {
				const conversationId = Number(frame.data?.conversation_id);
				if (!state.subscriptions.has(conversationId)) return;
				const conversation = this.conversationById(conversationId);
				this.broadcast(conversationId, {
					event: 'typing',
					data: {
						conversation_id: conversationId,
						sender: { id: conversation.contact.id, name: conversation.contact.name },
						sender_type: 'Contact',
					},
				});
			}
		});
	}

	private broadcast(conversationId: number, frame: unknown): void {
		const text = JSON.stringify(frame);
		for (const [socket, state] of this.sockets) {
			if (state.subscriptions.has(conversationId) && socket.readyState === WebSocket.OPEN) socket.send(text);
		}
	}

	private sendTo(socket: WebSocket, frame: unknown): void {
		if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
	}

	// ------------------------------------------------------------------------------------------
	// REST

	private routes(): void {
		const app = this.app;
		app.use((req, res, next) => this.gate(req, res, next));
		app.use(express.json({ limit: '1mb' }));
		app.use(express.raw({ type: 'multipart/form-data', limit: '20mb' }));

		app.get('/api/v1/sdk/settings', (_req, res) => {
			res.json({ account_id: this.accountId, reactions: REACTIONS, attachments: { max_size_mb: 40 }, typing: true });
		});

		app.post('/api/v1/sdk/conversations', (req, res) => this.handle(res, () => this.createFromRequest(req.body)));
		app.get('/api/v1/sdk/conversations', (req, res) =>
			this.handle(res, () => {
				const conversation = this.authorize(req);
				const limit = this.limitOf(req.query.limit);
				const all = this.messagesOf(conversation.id);
				const messages = this.listFrom === 'oldest' ? all.slice(0, limit) : all.slice(-limit);
				if (this.conversationShape === 'markdown') return messages;
				return {
					conversation: {
						id: conversation.id,
						status: conversation.status,
						contact_inbox_id: conversation.contact.id,
						substatus: conversation.substatus,
					},
					messages,
				};
			}),
		);

		app.get('/api/v1/sdk/conversations/messages', (req, res) =>
			this.handle(res, () => this.listMessages(this.authorize(req), req.query)),
		);
		app.post('/api/v1/sdk/conversations/messages', (req, res) =>
			this.handle(res, () => {
				this.contactSends(this.authorize(req), req);
				return undefined;
			}),
		);
		app.patch('/api/v1/sdk/conversations/messages/status', (req, res) =>
			this.handle(res, () => {
				this.updateStatuses(this.authorize(req), req.body);
				return undefined;
			}),
		);
		app.patch('/api/v1/sdk/conversations/messages/:id/interactive-attribute', (req, res) =>
			this.handle(res, () => {
				const message = this.ownMessage(this.authorize(req), req.params.id);
				const value = (req.body as { selected_content_attribute_value?: unknown })?.selected_content_attribute_value;
				if (typeof value !== 'string' || value === '') {
					throw fail(400, ['selected_content_attribute_value must be a non-empty string']);
				}
				if (!INTERACTIVE_TYPES.includes(message.content_type ?? '')) {
					throw fail(400, `Message ${message.id} is not interactive (content_type ${message.content_type})`);
				}
				message.content_attributes = { ...message.content_attributes, selected_value: value };
				message.updated_at = Date.now();
				this.broadcast(message.conversation_id, { event: 'message.updated', data: message });
				return undefined;
			}),
		);
		app.delete('/api/v1/sdk/conversations/messages/:id', (req, res) =>
			this.handle(res, () => {
				const message = this.ownMessage(this.authorize(req), req.params.id);
				if (message.message_type !== 'incoming') throw fail(403, 'Only the contact’s own messages can be deleted');
				const now = Date.now();
				message.deleted_at = now;
				message.updated_at = now;
				message.content = null;
				this.broadcast(message.conversation_id, {
					event: 'message.deleted',
					data: { id: message.id, conversation_id: message.conversation_id, created_at: message.created_at, updated_at: now, deleted_at: now },
				});
				return undefined;
			}),
		);
		app.post('/api/v1/sdk/conversations/messages/:id/reactions', (req, res) =>
			this.handle(res, () => {
				const conversation = this.authorize(req);
				const message = this.ownMessage(conversation, req.params.id);
				const body = req.body as { reaction?: unknown } | undefined;
				if (!body || !('reaction' in body)) throw fail(400, ['reaction must be an emoji or null']);
				const reaction = body.reaction;
				if (reaction !== null && (typeof reaction !== 'string' || !REACTIONS.includes(reaction))) {
					throw fail(400, [`reaction must be one of the allowed emojis or null`]);
				}
				const others = (message.reactions ?? []).filter((entry) => entry.sender?.id !== conversation.contact.id);
				const mine: NovaTalksReaction[] =
					reaction === null
						? []
						: [
								{
									id: this.nextId.reaction++,
									content: reaction,
									created_at: Date.now(),
									sender: { id: conversation.contact.id, name: conversation.contact.name, type: 'Contact' },
								},
							];
				message.reactions = [...others, ...mine];
				this.broadcastReactions(message);
				return undefined;
			}),
		);
		app.delete('/api/v1/sdk/notifications/:pushToken', (req, res) =>
			this.handle(res, () => {
				const conversation = this.authorize(req);
				if (!conversation.pushTokens.delete(req.params.pushToken)) throw fail(404, 'Push token not found');
				return {};
			}),
		);
		app.get('/store/:id/:name', (req, res) => {
			const data = this.files.get(req.path);
			if (!data) return void res.status(404).end();
			res.type('application/octet-stream').send(data);
		});

		app.use((req: express.Request, res: express.Response) => {
			this.sendError(res, { status: 404, message: `Cannot ${req.method} ${req.path}` });
		});
		// Express tells error handlers by their four parameters.
		// eslint-disable-next-line @typescript-eslint/no-unused-vars
		app.use((error: Error & { status?: number; type?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
			this.sendError(res, { status: error.status ?? 500, message: error.message });
		});
	}

	/** Records the request, then throttles and injects faults before any route runs. */
	private gate(req: express.Request, res: express.Response, next: express.NextFunction): void {
		const record: RecordedRequest = {
			method: req.method,
			path: req.path,
			query: { ...req.query },
			headers: req.headers,
			body: undefined,
			files: [],
			status: 0,
		};
		this.requests.push(record);
		res.on('finish', () => {
			record.status = res.statusCode;
			record.body = req.body;
			const files = (req as express.Request & { files?: RecordedRequest['files'] }).files;
			if (files) record.files = files;
		});
		if (this.rateLimit) {
			const now = Date.now();
			const { max, windowMs } = this.rateLimit;
			this.requestTimes = this.requestTimes.filter((time) => now - time < windowMs);
			if (this.requestTimes.length >= max) {
				const retryAfter = Math.max(1, Math.ceil((this.requestTimes[0] + windowMs - now) / 1000));
				res.setHeader('Retry-After', String(retryAfter));
				this.sendError(res, { status: 429, message: 'ThrottlerException: Too Many Requests' });
				return;
			}
			this.requestTimes.push(now);
		}
		const fault = this.injected.find(
			(entry) => entry.remaining > 0 && (!entry.path || entry.path.test(req.path)) && (!entry.method || entry.method === req.method),
		);
		if (fault) {
			fault.remaining--;
			this.sendError(res, { status: fault.status, message: fault.message ?? ERROR_NAMES[fault.status] ?? 'Injected failure' });
			return;
		}
		next();
	}

	private handle(res: express.Response, run: () => unknown): void {
		try {
			const result = run();
			if (result === undefined) res.status(200).end();
			else res.status(200).json(result);
		} catch (error) {
			const httpError = error as HttpError;
			if (typeof httpError.status === 'number') this.sendError(res, httpError);
			else this.sendError(res, { status: 500, message: (error as Error).message });
		}
	}

	private sendError(res: express.Response, error: HttpError): void {
		res.status(error.status).json({ statusCode: error.status, message: error.message, error: ERROR_NAMES[error.status] ?? 'Error' });
	}

	private authorize(req: express.Request): ConversationRecord {
		const token = req.headers.access_token;
		if (typeof token !== 'string' || token === '') throw fail(401, 'access_token header is missing');
		const conversation = this.conversationByToken(token);
		if (!conversation) throw fail(401, 'Invalid access token');
		return conversation;
	}

	private createFromRequest(body: unknown) {
		const input = (body ?? {}) as Record<string, unknown>;
		const errors: string[] = [];
		if (typeof input.name !== 'string' || input.name.trim() === '') errors.push('name should not be empty');
		if (input.email !== undefined) {
			if (typeof input.email !== 'string' || input.email.length > 74 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email)) {
				errors.push('email must be an email of at most 74 characters');
			}
		}
		if (input.phone_number !== undefined && typeof input.phone_number !== 'string') errors.push('phone_number must be a string');
		for (const key of ['custom_attributes', 'additional_attributes']) {
			const value = input[key];
			if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
				errors.push(`${key} must be an object`);
			}
		}
		const message = input.message as { content?: unknown; echo_id?: unknown } | undefined;
		if (message !== undefined && (typeof message !== 'object' || typeof message.echo_id !== 'string' || message.echo_id === '')) {
			errors.push('message.echo_id must be a string');
		}
		if (errors.length > 0) throw fail(400, errors);

		const conversation = this.createConversation(String(input.name));
		conversation.contact.email = (input.email as string | undefined) ?? null;
		conversation.contact.phone_number = (input.phone_number as string | undefined) ?? null;
		conversation.contact.custom_attributes = (input.custom_attributes as object | undefined) ?? {};
		conversation.contact.additional_attributes = (input.additional_attributes as object | undefined) ?? {};
		if (message) {
			this.addMessage(conversation, this.contactMessage(conversation, (message.content as string | undefined) ?? null, String(message.echo_id), []));
		}
		return {
			payload: {
				contact: { ...conversation.contact },
				contactInbox: { pubsubToken: conversation.token },
				account_id: this.accountId,
				conversation: { id: conversation.id, status: conversation.status, substatus: conversation.substatus },
			},
		};
	}

	private listMessages(conversation: ConversationRecord, query: Record<string, unknown>): StoredMessage[] {
		const number = (name: string): number | undefined => {
			const value = query[name];
			if (value === undefined || value === '') return undefined;
			const parsed = Number(value);
			if (!Number.isFinite(parsed)) throw fail(400, [`${name} must be a number`]);
			return parsed;
		};
		const before = number('before');
		const after = number('after');
		const updatedAt = number('updated_at');
		const limit = this.limitOf(query.limit);
		let list = this.messagesOf(conversation.id);
		if (updatedAt !== undefined) list = list.filter((message) => (message.updated_at ?? 0) > updatedAt);
		if (after !== undefined) return list.filter((message) => message.id > after).slice(0, limit);
		if (before !== undefined) return list.filter((message) => message.id < before).slice(-limit);
		return this.listFrom === 'oldest' ? list.slice(0, limit) : list.slice(-limit);
	}

	private limitOf(value: unknown): number {
		if (value === undefined || value === '') return this.pageSize;
		const limit = Number(value);
		if (!Number.isInteger(limit) || limit < 1) throw fail(400, ['limit must be a positive integer']);
		return Math.min(limit, this.pageSize);
	}

	private contactSends(conversation: ConversationRecord, req: express.Request): void {
		let content: unknown;
		let echoId: unknown;
		let files: RecordedRequest['files'] = [];
		const type = String(req.headers['content-type'] ?? '');
		if (type.startsWith('multipart/form-data')) {
			const form = parseMultipart(req.body as Buffer, type);
			content = form.fields['message[content]'];
			echoId = form.fields['message[echo_id]'];
			files = form.files;
			(req as express.Request & { files?: RecordedRequest['files'] }).files = files;
			if (files.some((file) => file.field !== 'attachments[]')) throw fail(400, ['files must be sent as attachments[]']);
		} else {
			const message = (req.body as { message?: { content?: unknown; echo_id?: unknown } } | undefined)?.message;
			if (!message || typeof message !== 'object') throw fail(400, ['message must be an object']);
			content = message.content;
			echoId = message.echo_id;
		}
		const errors: string[] = [];
		if (typeof echoId !== 'string' || echoId === '') errors.push('message.echo_id must be a string');
		if (content !== undefined && content !== null && typeof content !== 'string') errors.push('message.content must be a string');
		if ((content === undefined || content === null || content === '') && files.length === 0) {
			errors.push('message.content should not be empty when no attachment is sent');
		}
		if (errors.length > 0) throw fail(400, errors);
		const attachments = files.map((file) => {
			const url = `/store/${this.nextId.attachment}/${encodeURIComponent(file.filename)}`;
			this.files.set(url, file.data);
			return this.attachment(`${this.baseUrl}${url}`, fileTypeOf(file.contentType), file.data.length, file.contentType);
		});
		this.addMessage(conversation, this.contactMessage(conversation, (content as string | undefined) ?? null, echoId as string, attachments));
	}

	private updateStatuses(conversation: ConversationRecord, body: unknown): void {
		const input = (body ?? {}) as { status?: unknown; messageIds?: unknown };
		const errors: string[] = [];
		if (typeof input.status !== 'string' || !STATUSES.includes(input.status)) {
			errors.push(`status must be one of the following values: ${STATUSES.join(', ')}`);
		}
		if (!Array.isArray(input.messageIds) || input.messageIds.length === 0 || !input.messageIds.every((id) => typeof id === 'number')) {
			errors.push('each value in messageIds must be a number');
		}
		if (errors.length > 0) throw fail(400, errors);
		const messages = (input.messageIds as number[]).map((id) => this.ownMessage(conversation, id));
		for (const message of messages) {
			message.status = input.status as string;
			message.updated_at = Date.now();
			this.broadcast(conversation.id, { event: 'message.updated', data: message });
		}
	}

	private ownMessage(conversation: ConversationRecord, rawId: unknown): StoredMessage {
		const id = Number(rawId);
		if (!Number.isInteger(id)) throw fail(400, ['id must be a number']);
		const message = this.messages.find((entry) => entry.id === id && entry.conversation_id === conversation.id);
		if (!message) throw fail(404, 'Message not found');
		return message;
	}

	private contactMessage(
		conversation: ConversationRecord,
		content: string | null,
		echoId: string,
		attachments: NovaTalksAttachment[],
	): Partial<StoredMessage> {
		return {
			content,
			message_type: 'incoming',
			content_type: 'text',
			content_attributes: {},
			sender_type: 'Contact',
			sender: { id: conversation.contact.id, name: conversation.contact.name },
			echo_id: echoId,
			attachments,
		};
	}

	private addMessage(conversation: ConversationRecord, fields: Partial<StoredMessage>): StoredMessage {
		const now = Date.now();
		const id = this.nextId.message++;
		const message: StoredMessage = {
			account_id: this.accountId,
			id,
			content: null,
			message_type: 'incoming',
			content_type: 'text',
			private: false,
			content_attributes: {},
			source_id: null,
			external_source_ids: {},
			inbox_id: 5,
			status: 'sent',
			pinned: false,
			dialog_id: conversation.dialogId,
			reactions: [],
			deleted_at: null,
			reply: null,
			...fields,
			sender_id: fields.sender?.id,
			conversation_id: conversation.id,
			attachments: (fields.attachments ?? []).map((attachment) => ({ ...attachment, message_id: id })),
			created_at: now,
			updated_at: now,
		} as StoredMessage;
		this.messages.push(message);
		for (const listener of this.messageListeners) listener(message);
		this.broadcast(conversation.id, { event: 'message.created', data: message });
		return message;
	}

	private attachment(url: string, fileType: string, size?: number, mimeType?: string): NovaTalksAttachment {
		return {
			id: this.nextId.attachment++,
			account_id: this.accountId,
			file_type: fileType,
			fallback_title: null,
			extension: null,
			data_url: url,
			thumb_url: url,
			file_size: size ?? 0,
			mime_type: mimeType ?? 'application/octet-stream',
		} as NovaTalksAttachment;
	}

	private broadcastReactions(message: StoredMessage): void {
		message.updated_at = Date.now();
		this.broadcast(message.conversation_id, {
			event: 'message.reaction_updated',
			data: { id: message.id, conversation_id: message.conversation_id, account_id: this.accountId, reactions: message.reactions },
		});
	}

	private newMessagePush(conversation: ConversationRecord, message: StoredMessage): PushNotification {
		return {
			type: 'ntk.sdk.chat',
			event_name: 'conversation_new_message',
			push_tokens: [...conversation.pushTokens],
			payload: {
				account_id: this.accountId,
				message_id: message.id,
				conversation_id: conversation.id,
				additional_params: this.push?.additionalParams ?? {},
				ts: Date.now(),
				sender: { ...message.sender, avatar_url: null } as NovaTalksSender,
				title: `New message in the conversation: ${message.sender?.name ?? ''}`,
				body: message.content ?? null,
				message_type: message.message_type,
				content_type: message.content_type,
				dialog_id: message.dialog_id,
				status: message.status,
				created_at: message.created_at,
				attachments: message.attachments,
			},
		};
	}

	private notifyPush(notification: PushNotification): void {
		const push = this.push;
		if (!push) return;
		const headers: Record<string, string> = {};
		if (push.bearerToken) headers.authorization = `Bearer ${push.bearerToken}`;
		if (push.customHeader) headers[push.customHeader.name] = push.customHeader.value;
		this.pushDeliveries.push(this.deliverPush(push.url, notification, headers).catch(() => 0));
	}

	private conversationById(id: number): ConversationRecord {
		const conversation = this.conversations.get(id);
		if (!conversation) throw new Error(`The emulator has no conversation ${id}`);
		return conversation;
	}

	private conversationByToken(token: string): ConversationRecord | undefined {
		return [...this.conversations.values()].find((conversation) => conversation.token === token);
	}

	private messageById(id: number): StoredMessage {
		const message = this.messages.find((entry) => entry.id === id);
		if (!message) throw new Error(`The emulator has no message ${id}`);
		return message;
	}
}

function fail(status: number, message: string | string[]): HttpError {
	return { status, message };
}

function fileTypeOf(mimeType: string): string {
	const kind = mimeType.split('/')[0];
	return ['image', 'audio', 'video'].includes(kind) ? kind : 'file';
}

/** A small multipart/form-data reader: fields as text, files as bytes. */
export function parseMultipart(body: Buffer, contentType: string) {
	const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	if (!match) throw fail(400, 'multipart body without a boundary');
	const delimiter = Buffer.from(`--${match[1] ?? match[2]}`);
	const fields: Record<string, string> = {};
	const files: RecordedRequest['files'] = [];
	let position = body.indexOf(delimiter);
	while (position !== -1) {
		const start = position + delimiter.length;
		if (body.subarray(start, start + 2).toString() === '--') break;
		const next = body.indexOf(delimiter, start);
		if (next === -1) break;
		const part = body.subarray(start + 2, next - 2);
		const headerEnd = part.indexOf('\r\n\r\n');
		const headers = part.subarray(0, headerEnd).toString('utf8');
		const data = part.subarray(headerEnd + 4);
		const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
		const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
		if (filename !== undefined) {
			const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
			files.push({ field: name, filename, contentType: type, data: Buffer.from(data) });
		} else {
			fields[name] = data.toString('utf8');
		}
		position = next;
	}
	return { fields, files };
}
