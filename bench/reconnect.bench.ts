// Reconnect: the time from a forced drop (every connection cut at the emulator, or JAICP's server
// going down and up) to the trigger being subscribed again, over 50 drops, against a bare client
// that reconnects at once with no backoff (the fastest possible), in the same run.
import { CONNECTED_TRIGGERS } from './providers';
import type { BenchStream, OnEvent, ProviderBench, Reader } from './providers/types';
import { progress, recordRow } from './support/results';
import { median, percentile } from './support/stats';
import { Counter, pause, until } from './support/waiting';

const DROPS = 50;
const RESUBSCRIBE_TIMEOUT_MS = 15_000;
/** Quiet time after each round trip, so the next drop finds a settled connection. */
const SETTLE_MS = 30;

/**
 * Drops the connection `DROPS` times. Each time: how long until the emulator saw the reader subscribe
 * again; then one event must reach the reader before the next drop, so every reconnect really works.
 */
async function dropTimes(
	bench: ProviderBench,
	open: (stream: BenchStream, onEvent: OnEvent) => Promise<Reader>,
): Promise<{ times: number[]; errors: Error[] }> {
	const stream = await bench.stream();
	const arrived = new Counter();
	const reader = await open(stream, () => arrived.add());
	const times: number[] = [];
	try {
		for (let drop = 1; drop <= DROPS; drop++) {
			const subscribed = await stream.subscriptions();
			const started = performance.now();
			await bench.drop();
			await until(async () => (await stream.subscriptions()) > subscribed, RESUBSCRIBE_TIMEOUT_MS, `re-subscription after drop ${drop}`);
			times.push(performance.now() - started);
			await stream.sendOne();
			await arrived.reach(drop, RESUBSCRIBE_TIMEOUT_MS, `the event sent after drop ${drop}`);
			await pause(SETTLE_MS);
		}
	} finally {
		await reader.close();
	}
	return { times, errors: reader.errors };
}

describe('Reconnect', () => {
	for (const { provider, start } of CONNECTED_TRIGGERS) {
		it(`${provider}: the trigger is subscribed again after each of ${DROPS} drops and still delivers`, async () => {
			const bench = await start('local');
			try {
				progress(`reconnect, ${bench.trigger}: ${DROPS} drops`);
				const { times: trigger, errors } = await dropTimes(bench, (stream, onEvent) => stream.openTrigger(onEvent));
				// The trigger rode out every drop: nothing reached n8n's emitError.
				expect(errors).toEqual([]);
				const { times: bare } = await dropTimes(bench, (stream, onEvent) => stream.openBare(onEvent, { reconnect: true }));
				for (const [metric, pick] of [
					['median drop->subscribed', (times: number[]) => median(times)],
					['p99 drop->subscribed', (times: number[]) => percentile(times, 99)],
				] as const) {
					const value = pick(trigger);
					recordRow({
						section: 'Reconnect',
						subject: bench.trigger,
						metric,
						unit: 'ms',
						value,
						baseline: { label: `${bench.bare}, reconnecting at once`, value: pick(bare) },
						compare: 'difference',
						basis: `${DROPS} drops`,
						target: metric.startsWith('median') ? 'median < 500 ms' : '-',
						met: metric.startsWith('median') ? value < 500 : undefined,
					});
				}
			} finally {
				await bench.close();
			}
		});
	}
});
