/** Resolves once `done()` holds, checking every millisecond; fails after `timeoutMs`, naming what it waited for. */
export async function until(done: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await done())) {
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await pause(1);
	}
}

export function pause(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A count that resolves waiters the moment it reaches their target, so a round's end is timed
 * exactly, without polling.
 */
export class Counter {
	private value = 0;
	private readonly waiters = new Set<{ target: number; resolve: () => void }>();

	get count(): number {
		return this.value;
	}

	add(amount = 1): void {
		this.value += amount;
		for (const waiter of this.waiters) {
			if (this.value >= waiter.target) {
				this.waiters.delete(waiter);
				waiter.resolve();
			}
		}
	}

	/** Resolves when the count reaches `target`; rejects after `timeoutMs`. */
	reach(target: number, timeoutMs: number, what: string): Promise<void> {
		if (this.value >= target) return Promise.resolve();
		return new Promise<void>((resolve, reject) => {
			const waiter = {
				target,
				resolve: () => {
					clearTimeout(timer);
					resolve();
				},
			};
			const timer = setTimeout(() => {
				this.waiters.delete(waiter);
				reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what} (${this.value} of ${target})`));
			}, timeoutMs);
			this.waiters.add(waiter);
		});
	}
}
