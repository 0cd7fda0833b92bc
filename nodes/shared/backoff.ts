export interface BackoffOptions {
	/** Ceiling of the first delay; the first retry comes within this time. */
	initialDelayMs: number;
	/** No delay is ever longer than this. */
	maxDelayMs: number;
	/** Growth per attempt. */
	factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 200, maxDelayMs: 30_000, factor: 2 };

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half is random, so clients that
 * lost the same server do not come back in lockstep, and attempt 0 waits at most `initialDelayMs`.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
	const step = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** Math.max(0, attempt));
	return Math.round(step / 2 + random() * (step / 2));
}
