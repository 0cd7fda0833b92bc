import type { INodeExecutionData, IRun, ITriggerFunctions } from 'n8n-workflow';

/** How long the next event of a conversation waits at most for the execution of the one before it. */
export const DEFAULT_ORDER_WAIT_MS = 120_000;

type Emit = (items: INodeExecutionData[], done?: Parameters<ITriggerFunctions['emit']>[2]) => void;

/**
 * Emits the events of one conversation one execution at a time: the next one starts only once n8n
 * reports the execution of the one before it finished (the `donePromise` n8n's `emit` settles when an
 * execution ends, in regular and in queue mode), or once `waitLimitMs` passed, so a stuck execution
 * delays a conversation but never stops it. Different conversations run in parallel.
 */
export class ConversationOrder {
	private readonly tails = new Map<string, Promise<void>>();
	private readonly waiting = new Map<string, INodeExecutionData[][]>();
	private flushing = false;
	private readonly stopped = new AbortController();

	constructor(
		private readonly ctx: Pick<ITriggerFunctions, 'helpers'>,
		private readonly emit: Emit,
		private readonly waitLimitMs = DEFAULT_ORDER_WAIT_MS,
	) {}

	/** Queues the items of one conversation behind its earlier ones. */
	push(conversation: string, items: INodeExecutionData[]): void {
		if (this.flushing) {
			this.emit(items);
			return;
		}
		const queue = this.waiting.get(conversation) ?? [];
		queue.push(items);
		this.waiting.set(conversation, queue);
		const previous = this.tails.get(conversation) ?? Promise.resolve();
		const next = previous.then(async () => await this.emitNext(conversation));
		this.tails.set(conversation, next);
		void next.finally(() => {
			if (this.tails.get(conversation) === next) this.tails.delete(conversation);
		});
	}

	/** Conversations with an execution still running or events still waiting. */
	get busy(): number {
		return this.tails.size;
	}

	/**
	 * On close: whatever still waits is emitted at once, in order, so nothing is lost when the trigger
	 * stops while executions run (their order against the running ones is then up to n8n).
	 */
	flush(): void {
		this.flushing = true;
		this.stopped.abort();
		for (const queue of this.waiting.values()) for (const items of queue.splice(0)) this.emit(items);
		this.waiting.clear();
	}

	private async emitNext(conversation: string): Promise<void> {
		const items = this.waiting.get(conversation)?.shift();
		if (this.waiting.get(conversation)?.length === 0) this.waiting.delete(conversation);
		if (!items) return;
		const done = this.ctx.helpers.createDeferredPromise<IRun>();
		this.emit(items, done);
		let timer: NodeJS.Timeout | undefined;
		const limit = new Promise<void>((resolve) => {
			timer = setTimeout(resolve, this.waitLimitMs);
			this.stopped.signal.addEventListener('abort', () => resolve(), { once: true });
		});
		// A cancelled or failed execution rejects: the conversation goes on all the same.
		await Promise.race([done.promise.then(() => undefined, () => undefined), limit]);
		clearTimeout(timer);
	}
}
