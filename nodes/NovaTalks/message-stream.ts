import { backoffDelay, type BackoffOptions } from '../shared/backoff';
import type { NovaTalksMessage } from './protocol';
import { RecentIds } from '../shared/recent-ids';

export interface MessageStreamOptions {
	/** Every message after `afterId` in the token's conversation, paged until the server has no more. */
	fetchAfter(token: string, afterId: number): Promise<NovaTalksMessage[]>;
	/** Called once per message, in id order per conversation. */
	deliver(message: NovaTalksMessage): void;
	/** Catching up is impossible (the token was refused, or fetching kept failing). */
	onFatal(error: Error): void;
	/** Whether an error means the token itself no longer works. */
	isFatal(error: unknown): boolean;
	warn?(message: string): void;
	/** Failed fetches in a row before giving up (default 5). */
	maxFetchAttempts?: number;
	retryBackoff?: BackoffOptions;
	/** How many message ids are remembered for de-duplication (default 10 000). */
	memory?: number;
}

interface TokenState {
	token: string;
	/** Highest message id delivered (or known at start) for this token's conversation. */
	lastId: number;
	/** While true, live messages wait in `buffer` until the missed ones are fetched. */
	catchingUp: boolean;
	buffer: NovaTalksMessage[];
	running?: Promise<void>;
	rerun: boolean;
}

const DEFAULT_RETRY: BackoffOptions = { initialDelayMs: 250, maxDelayMs: 5_000, factor: 2 };

/**
 * The message.created stream of one or more contact tokens, exactly once and in order: after every
 * (re)subscription each token fetches `messages?after=<last id seen>` page by page, live messages that
 * come in meanwhile wait, and both are merged, de-duplicated by id (bounded memory) and delivered in
 * id order.
 */
export class MessageStream {
	private readonly seen: RecentIds<number>;
	private readonly states = new Map<string, TokenState>();
	private readonly tokenByConversation = new Map<number, string>();
	private readonly waits = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
	private generation = 0;
	private closed = false;

	constructor(
		tokens: string[],
		private readonly options: MessageStreamOptions,
	) {
		this.seen = new RecentIds<number>(options.memory ?? 10_000);
		for (const token of tokens) {
			// Until the first subscription is confirmed and caught up, live messages wait.
			this.states.set(token, { token, lastId: 0, catchingUp: true, buffer: [], rerun: false });
		}
	}

	/** What is known of a token before listening: its conversation and the newest message id then. */
	learn(token: string, conversationId: number | undefined, lastId: number): void {
		const state = this.states.get(token);
		if (!state) return;
		state.lastId = Math.max(state.lastId, lastId);
		if (conversationId !== undefined) this.tokenByConversation.set(conversationId, token);
	}

	/** A live message.created. */
	receive(message: NovaTalksMessage): void {
		if (this.closed) return;
		const state = this.stateFor(message.conversation_id);
		if (!state) {
			// A conversation none of the tokens is known for yet: at least never twice.
			if (this.seen.remember(message.id)) this.options.deliver(message);
			return;
		}
		if (state.catchingUp) {
			state.buffer.push(message);
			return;
		}
		this.deliverOne(state, message);
	}

	/** The connection dropped: live messages wait until the next catch-up. */
	disconnected(): void {
		this.generation++;
		for (const state of this.states.values()) state.catchingUp = true;
	}

	/** After every (re)subscription: fetch what each token missed. Resolves when all are done. */
	async catchUp(): Promise<void> {
		await Promise.all([...this.states.values()].map((state) => this.runCatchUp(state)));
	}

	/** Highest delivered id per token (for tests and logs). */
	lastIds(): Record<string, number> {
		return Object.fromEntries([...this.states.values()].map((state) => [state.token, state.lastId]));
	}

	/** Stops delivering and waits for fetches in flight to settle, so nothing outlives the trigger. */
	async close(): Promise<void> {
		this.closed = true;
		for (const wait of this.waits) {
			clearTimeout(wait.timer);
			wait.resolve();
		}
		this.waits.clear();
		await Promise.allSettled([...this.states.values()].map((state) => state.running));
	}

	private stateFor(conversationId: number): TokenState | undefined {
		const token = this.tokenByConversation.get(conversationId);
		if (token) return this.states.get(token);
		if (this.states.size === 1) {
			const only = this.states.values().next().value as TokenState;
			this.tokenByConversation.set(conversationId, only.token);
			return only;
		}
		return undefined;
	}

	private runCatchUp(state: TokenState): Promise<void> {
		if (state.running) {
			state.rerun = true;
			return state.running;
		}
		state.running = this.catchUpLoop(state).finally(() => {
			state.running = undefined;
		});
		return state.running;
	}

	private async catchUpLoop(state: TokenState): Promise<void> {
		let failures = 0;
		do {
			state.rerun = false;
			const generation = this.generation;
			let missed: NovaTalksMessage[];
			try {
				missed = await this.options.fetchAfter(state.token, state.lastId);
			} catch (error) {
				if (this.closed) return;
				failures++;
				if (this.options.isFatal(error) || failures >= (this.options.maxFetchAttempts ?? 5)) {
					this.options.onFatal(error instanceof Error ? error : new Error(String(error)));
					return;
				}
				this.options.warn?.(
					`Fetching missed NovaTalks messages failed (attempt ${failures}): ${error instanceof Error ? error.message : String(error)}`,
				);
				await this.wait(backoffDelay(failures - 1, this.options.retryBackoff ?? DEFAULT_RETRY));
				state.rerun = true;
				continue;
			}
			if (this.closed) return;
			failures = 0;
			for (const message of missed) this.tokenByConversation.set(message.conversation_id, state.token);
			const buffered = state.buffer;
			state.buffer = [];
			// A drop during the fetch means another catch-up follows the next subscription: keep waiting.
			if (generation === this.generation) state.catchingUp = false;
			this.deliverInOrder(state, [...missed, ...buffered]);
		} while (state.rerun && !this.closed);
	}

	private deliverInOrder(state: TokenState, messages: NovaTalksMessage[]): void {
		for (const message of [...messages].sort((a, b) => a.id - b.id)) {
			if (this.closed) return;
			this.deliverOne(state, message);
		}
	}

	private deliverOne(state: TokenState, message: NovaTalksMessage): void {
		if (!this.seen.remember(message.id)) return;
		if (message.id > state.lastId) state.lastId = message.id;
		this.options.deliver(message);
	}

	private wait(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const entry = {
				resolve,
				timer: setTimeout(() => {
					this.waits.delete(entry);
					resolve();
				}, ms),
			};
			this.waits.add(entry);
		});
	}
}
