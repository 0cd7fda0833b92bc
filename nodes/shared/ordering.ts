import type { INodeExecutionData, IRun, ITriggerFunctions } from 'n8n-workflow';

/** How long the next event of a conversation waits at most for the execution of the one before it. */
export const DEFAULT_ORDER_WAIT_MS = 120_000;

/** n8n's deferred promise that `emit` settles when the execution it started has ended. */
export type Deferred = NonNullable<Parameters<ITriggerFunctions['emit']>[2]>;

/** Emits a batch; `delivery` is what the caller queued with it (the trigger core: its de-duplication key). */
type Emit<Delivery> = (items: INodeExecutionData[], done?: Deferred, delivery?: Delivery) => void;

interface Waiting<Delivery> {
	items: INodeExecutionData[];
	delivery?: Delivery;
}

/**
 * Emits the events of one conversation one execution at a time: the next one starts only once n8n
 * reports the execution of the one before it finished (the `donePromise` n8n's `emit` settles when an
 * execution ends, in regular and in queue mode), or once `waitLimitMs` passed, so a stuck execution
 * delays a conversation but never stops it. Different conversations run in parallel.
 */
export class ConversationOrder<Delivery = undefined> {
	private readonly tails = new Map<string, Promise<void>>();
	private readonly waiting = new Map<string, Array<Waiting<Delivery>>>();
	private flushing = false;
	private readonly stopped = new AbortController();

	constructor(
		private readonly ctx: Pick<ITriggerFunctions, 'helpers'>,
		private readonly emit: Emit<Delivery>,
		private readonly waitLimitMs = DEFAULT_ORDER_WAIT_MS,
	) {}

	/** Queues the items of one conversation behind its earlier ones. */
	push(conversation: string, items: INodeExecutionData[], delivery?: Delivery): void {
		if (this.flushing) {
			this.emit(items, undefined, delivery);
			return;
		}
		const queue = this.waiting.get(conversation) ?? [];
		queue.push({ items, delivery });
		this.waiting.set(conversation, queue);
		const previous = this.tails.get(conversation) ?? Promise.resolve();
		const next = previous.then(async () => await this.emitNext(conversation));
		this.tails.set(conversation, next);
		void next.finally(() => {
			if (this.tails.get(conversation) === next) this.tails.delete(conversation);
		});
	}

	/**
	 * On close: whatever still waits is emitted at once, in order, so nothing is lost when the trigger
	 * stops while executions run (their order against the running ones is then up to n8n).
	 */
	flush(): void {
		this.flushing = true;
		this.stopped.abort();
		for (const queue of this.waiting.values()) for (const { items, delivery } of queue.splice(0)) this.emit(items, undefined, delivery);
		this.waiting.clear();
	}

	private async emitNext(conversation: string): Promise<void> {
		const next = this.waiting.get(conversation)?.shift();
		if (this.waiting.get(conversation)?.length === 0) this.waiting.delete(conversation);
		if (!next) return;
		const done = this.ctx.helpers.createDeferredPromise<IRun>();
		this.emit(next.items, done, next.delivery);
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
