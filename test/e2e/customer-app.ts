import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A message n8n delivered to the customer: from the bot or from a human agent. */
export interface CustomerInboxMessage {
	conversationId: string;
	from: string;
	text: string;
	buttons?: Array<{ title: string; value?: string }>;
	receivedAt: string;
}

/**
 * The customer's chat app in front of the routing workflows: the customer writes into n8n through
 * the routing workflow's webhook, and n8n delivers what the bot or agent answers to this app's
 * reply URL (given with every customer message, kept by the workflow with the conversation).
 */
export class CustomerApp extends EventEmitter<{ message: [CustomerInboxMessage] }> {
	readonly inbox: CustomerInboxMessage[] = [];

	private constructor(
		private readonly server: Server,
		readonly replyUrl: string,
	) {
		super();
	}

	static async start(): Promise<CustomerApp> {
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		const app = new CustomerApp(server, `http://127.0.0.1:${port}/inbox`);
		server.on('request', (req, res) => {
			void readJson(req).then(
				(body) => {
					if (req.method !== 'POST' || req.url !== '/inbox' || !isInboxMessage(body)) {
						res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"expected POST /inbox {conversationId, from, text}"}');
						return;
					}
					const message: CustomerInboxMessage = { ...body, receivedAt: new Date().toISOString() };
					app.inbox.push(message);
					app.emit('message', message);
					res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
				},
				() => res.writeHead(400).end(),
			);
		});
		return app;
	}

	/** The customer writes `text` in `conversationId`, through the routing workflow's customer webhook. */
	async say(webhookUrl: string, conversationId: string, text: string): Promise<void> {
		const response = await fetch(webhookUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ conversationId, text, replyUrl: this.replyUrl }),
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

async function readJson(req: IncomingMessage): Promise<unknown> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function isInboxMessage(body: unknown): body is Omit<CustomerInboxMessage, 'receivedAt'> {
	const candidate = body as Partial<CustomerInboxMessage> | null;
	return typeof candidate?.conversationId === 'string' && typeof candidate.from === 'string' && typeof candidate.text === 'string';
}
