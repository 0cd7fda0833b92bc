import { AsyncLocalStorage } from 'node:async_hooks';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The customer front-end contract (README "Use it with your accounts"): what n8n posts back to the
 * reply URL. `conversationId`, `from` and `text` are required; the rest is optional.
 */
export interface CustomerInboxMessage {
	conversationId: string;
	from: 'bot' | 'agent' | 'system';
	name?: string;
	text: string;
	attachments?: Array<{ url: string; name?: string; mimeType?: string; size?: number }>;
	buttons?: Array<{ title: string; value?: string; url?: string }>;
	timestamp?: string;
	messageId?: string;
	/** When this app received it. */
	receivedAt: string;
}

/** What the front end posts to a routing workflow's customer webhook, besides `conversationId` and `replyUrl`. */
export interface CustomerMessageDetails {
	text?: string;
	attachments?: Array<{ url: string; name?: string; mimeType?: string }>;
	customer?: { name?: string; id?: string };
	/** A clicked button: `text` is then the button's title. */
	button?: { title: string; value?: string };
}

/** Answers true when it handled the request (the web chat page and its API). */
export type FrontEndHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

const INBOX = '/inbox';
const SENDERS = ['bot', 'agent', 'system'];

/**
 * The customer's chat app in front of the routing workflows: the customer writes into n8n through
 * the routing workflow's webhook, and n8n delivers what the bot or agent answers to this app's
 * reply URL (given with every customer message, kept by the workflow with the conversation).
 * A front end (the demo's web chat page) can be served from the same origin.
 */
export class CustomerApp extends EventEmitter<{ message: [CustomerInboxMessage] }> {
	readonly inbox: CustomerInboxMessage[] = [];
	private frontEnd?: FrontEndHandler;
	/** Details (a clicked button, attachments) for the message a scene is about to send: see `withDetails`. */
	private readonly details = new AsyncLocalStorage<CustomerMessageDetails>();

	private constructor(
		private readonly server: Server,
		readonly origin: string,
	) {
		super();
	}

	get replyUrl(): string {
		return `${this.origin}${INBOX}`;
	}

	static async start(port = 0): Promise<CustomerApp> {
		const server = createServer();
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(port, '127.0.0.1', resolve);
		});
		const app = new CustomerApp(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
		server.on('request', (req, res) => {
			if (req.url === INBOX) return app.receive(req, res);
			if (app.frontEnd?.(req, res)) return;
			res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
		});
		return app;
	}

	/** Serves a front end from this app's origin, next to the reply URL. */
	serveFrontEnd(handler: FrontEndHandler): void {
		this.frontEnd = handler;
	}

	private receive(req: IncomingMessage, res: ServerResponse): void {
		void readJson(req).then(
			(body) => {
				if (req.method !== 'POST' || !isInboxMessage(body)) {
					res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"expected POST /inbox {conversationId, from: bot|agent|system, text}"}');
					return;
				}
				const message: CustomerInboxMessage = { ...body, text: body.text ?? '', receivedAt: new Date().toISOString() };
				this.inbox.push(message);
				this.emit('message', message);
				res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
			},
			() => res.writeHead(400).end(),
		);
	}

	/**
	 * Runs `send` (a scene's customerSays) so that the message it posts carries `details` too, e.g. the
	 * button the customer clicked; scenes need not know about them.
	 */
	async withDetails<T>(details: CustomerMessageDetails, send: () => Promise<T>): Promise<T> {
		return await this.details.run(details, send);
	}

	/** The customer writes `text` in `conversationId`, through the routing workflow's customer webhook. */
	async say(webhookUrl: string, conversationId: string, text: string): Promise<void> {
		const body = { conversationId, text, ...this.details.getStore(), replyUrl: this.replyUrl };
		const response = await fetch(webhookUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(30_000),
		});
		if (!response.ok) throw new Error(`The routing workflow refused the customer's message: ${response.status} ${await response.text()}`);
	}

	messagesIn(conversationId: string): CustomerInboxMessage[] {
		return this.inbox.filter((message) => message.conversationId === conversationId);
	}

	/** Waits (bounded) until the conversation holds a message `matching`; answers it. */
	async waitFor(conversationId: string, matching: (message: CustomerInboxMessage) => boolean, timeoutMs = 30_000): Promise<CustomerInboxMessage> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = this.messagesIn(conversationId).find(matching);
			if (found) return found;
			if (Date.now() > deadline) {
				throw new Error(`No matching message for the customer in ${conversationId} after ${timeoutMs / 1000} s; got ${JSON.stringify(this.messagesIn(conversationId))}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.server.closeAllConnections();
			this.server.close(() => resolve());
		});
	}
}

export async function readJson(req: IncomingMessage, limitBytes = 1_000_000): Promise<unknown> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limitBytes) throw new Error('body too large');
		chunks.push(chunk as Buffer);
	}
	return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/**
 * The contract's message; `text` may be left out only by a message that carries buttons or
 * attachments instead (a carousel of cards).
 */
function isInboxMessage(body: unknown): body is Omit<CustomerInboxMessage, 'receivedAt' | 'text'> & { text?: string } {
	const candidate = body as Partial<CustomerInboxMessage> | null;
	if (typeof candidate?.conversationId !== 'string' || !SENDERS.includes(candidate.from as string)) return false;
	const carriesSomething = (candidate.buttons?.length ?? 0) > 0 || (candidate.attachments?.length ?? 0) > 0;
	if (typeof candidate.text !== 'string' && !(candidate.text === undefined && carriesSomething)) return false;
	const optionalString = (value: unknown) => value === undefined || typeof value === 'string';
	const listOf = (value: unknown, valid: (entry: Record<string, unknown>) => boolean) =>
		value === undefined || value === null || (Array.isArray(value) && value.every((entry) => typeof entry === 'object' && entry !== null && valid(entry)));
	return (
		optionalString(candidate.name) &&
		optionalString(candidate.timestamp) &&
		optionalString(candidate.messageId) &&
		listOf(candidate.attachments, (entry) => typeof entry.url === 'string') &&
		listOf(candidate.buttons, (entry) => typeof entry.title === 'string')
	);
}
