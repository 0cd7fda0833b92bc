import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../shared/backoff';

export interface LongPollOptions {
	/** One request and the handling of its answer (true when it brought events); it must give up when `signal` aborts. */
	poll(signal: AbortSignal): Promise<boolean>;
	/** Errors that retrying cannot fix (a refused token, a wrong URL): the loop stops and reports them. */
	isFatal(error: unknown): boolean;
	onFatal(error: Error): void;
	/** A request that is still open after this long is dropped and a new one made (not an error). */
	pollTimeoutMs: number;
	/** Polls that return at once with nothing (a server that does not hold the request) are spaced this far apart. */
	minPollIntervalMs?: number;
	backoff?: Partial<BackoffOptions>;
}

/**
 * A long-polling loop: poll, handle, poll again; on errors it backs off (jittered, capped); `close()`
 * aborts the request in flight and any wait at once, and resolves when the loop has ended.
 */
export class LongPollLoop {
	private closed = false;
	private inFlight?: AbortController;
	private wake?: () => void;
	private running?: Promise<void>;
	private readonly backoff: BackoffOptions;

	constructor(private readonly options: LongPollOptions) {
		this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
	}

	start(): void {
		this.running ??= this.run();
	}

	async close(): Promise<void> {
		this.closed = true;
		this.inFlight?.abort();
		this.wake?.();
		await this.running;
	}

	private async run(): Promise<void> {
		let failures = 0;
		while (!this.closed) {
			const controller = new AbortController();
			this.inFlight = controller;
			let timedOut = false;
			const timer = setTimeout(() => {
				timedOut = true;
				controller.abort();
			}, this.options.pollTimeoutMs);
			const startedAt = Date.now();
			let wait = 0;
			try {
				const gotEvents = await this.options.poll(controller.signal);
				failures = 0;
				if (!gotEvents) wait = (this.options.minPollIntervalMs ?? 0) - (Date.now() - startedAt);
			} catch (error) {
				if (this.closed) break;
				if (!timedOut) {
					if (this.options.isFatal(error)) {
						this.closed = true;
						this.options.onFatal(error instanceof Error ? error : new Error(String(error)));
						break;
					}
					wait = backoffDelay(failures++, this.backoff);
				}
			} finally {
				clearTimeout(timer);
				this.inFlight = undefined;
			}
			if (wait > 0 && !this.closed) await this.sleep(wait);
		}
	}

	private async sleep(ms: number): Promise<void> {
		await new Promise<void>((resolve) => {
			const done = () => {
				clearTimeout(timer);
				this.wake = undefined;
				resolve();
			};
			const timer = setTimeout(done, ms);
			this.wake = done;
		});
	}
}
