/** Polls `condition` every 5 ms until it holds, or fails after `timeoutMs` naming what it waited for. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what()}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

export function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
