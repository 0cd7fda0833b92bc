import { SocketSession, type SocketLogger } from '../shared/socket';
import type { NovaTalksConnection } from './client';
import {
	isPresenceCheck,
	isSubscriptionConfirmed,
	PRESENCE_ANSWER,
	subscribeFrame,
	typingFrame,
} from './protocol';

export const SUBSCRIBE_TIMEOUT_MS = 10_000;

/**
 * The action node's WebSocket: opened on first use, each contact token subscribed once, closed when
 * the execution ends. One connection serves every item of the execution.
 */
export class TypingChannel {
	private session?: SocketSession;
	private readonly subscribed = new Set<string>();

	constructor(
		private readonly connection: NovaTalksConnection,
		private readonly logger?: SocketLogger,
		private readonly subscribeTimeoutMs = SUBSCRIBE_TIMEOUT_MS,
	) {}

	/** Subscribes the token (once) and sends the contact's typing event for the conversation. */
	async sendTyping(token: string, conversationId: number): Promise<void> {
		const session = await this.open(token);
		if (!this.subscribed.has(token)) {
			await session.request(subscribeFrame(token, this.connection.accountId), isSubscriptionConfirmed, {
				timeoutMs: this.subscribeTimeoutMs,
				label: 'the subscription (confirm_subscription)',
			});
			this.subscribed.add(token);
		}
		session.send(typingFrame(conversationId, this.connection.accountId));
	}

	async close(): Promise<void> {
		await this.session?.close();
		this.session = undefined;
	}

	private async open(token: string): Promise<SocketSession> {
		if (this.session) return this.session;
		const session = new SocketSession({
			url: this.connection.webSocketUrl,
			reconnect: false,
			secrets: [token],
			logger: this.logger,
			onMessage: (message) => {
				if (isPresenceCheck(message)) session.sendAtOnce(PRESENCE_ANSWER);
			},
		});
		this.session = session;
		await session.connect();
		return session;
	}
}
