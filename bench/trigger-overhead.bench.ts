// Trigger overhead: events/s and the delay from the emulator's send to the trigger's emit, for each
// trigger that holds a connection, against a bare client reading the same emulator stream in the same
// run. Emulator, trigger and bare client share one process, so both readers pay the same for the stream.
import { CONNECTED_TRIGGERS } from './providers';
import type { BenchStream, OnEvent, ProviderBench, Reader } from './providers/types';
import { progress, recordRow } from './support/results';
import { collectGarbage, cpuSecondsSince, median, percentile } from './support/stats';
import { Counter, pause } from './support/waiting';

const BURST = 5_000;
const THROUGHPUT_ROUNDS = 5;
const LATENCY_EVENTS = 400;
const LATENCY_ROUNDS = 3;
const LATENCY_GAP_MS = 2;
const ROUND_TIMEOUT_MS = 60_000;

type Open = (stream: BenchStream, onEvent: OnEvent) => Promise<Reader>;
const CONTENDERS: Record<'bare' | 'trigger', Open> = {
	bare: (stream, onEvent) => stream.openBare(onEvent),
	trigger: (stream, onEvent) => stream.openTrigger(onEvent),
};

interface Throughput {
	perSecond: number;
	perCpuSecond: number;
}

/** One burst read by one reader on a fresh stream: every event must arrive, once, in order. */
async function throughputRound(bench: ProviderBench, open: Open): Promise<Throughput> {
	const stream = await bench.stream();
	const ids: string[] = [];
	const arrived = new Counter();
	const reader = await open(stream, (id) => {
		ids.push(id);
		arrived.add();
	});
	await pause(20);
	collectGarbage();
	const cpu = process.cpuUsage();
	const started = performance.now();
	await stream.burst(BURST);
	await arrived.reach(BURST, ROUND_TIMEOUT_MS, `${BURST} events`);
	const seconds = (performance.now() - started) / 1000;
	const cpuSeconds = cpuSecondsSince(cpu);
	await pause(20);
	await reader.close();
	expect(reader.errors).toEqual([]);
	expect(ids).toEqual(await stream.sentIds());
	return { perSecond: BURST / seconds, perCpuSecond: BURST / cpuSeconds };
}

/** Events sent one at a time, a little apart: the delay of each from the emulator's send to the reader. */
async function latencyRound(bench: ProviderBench, open: Open): Promise<number[]> {
	const stream = await bench.stream();
	const sentAt = new Map<string, number>();
	const delays: number[] = [];
	const arrived = new Counter();
	const reader = await open(stream, (id) => {
		const at = sentAt.get(id);
		if (at !== undefined) delays.push(performance.now() - at);
		arrived.add();
	});
	await pause(20);
	for (let index = 0; index < LATENCY_EVENTS; index++) {
		const before = performance.now();
		sentAt.set(await stream.sendOne(), before);
		await pause(LATENCY_GAP_MS);
	}
	await arrived.reach(LATENCY_EVENTS, ROUND_TIMEOUT_MS, `${LATENCY_EVENTS} events`);
	await reader.close();
	expect(reader.errors).toEqual([]);
	expect(delays).toHaveLength(LATENCY_EVENTS);
	return delays;
}

/** Runs `round` for both readers, alternating which goes first; round 0 warms up and is not counted. */
async function alternate<T>(rounds: number, round: (open: Open) => Promise<T>): Promise<{ bare: T[]; trigger: T[] }> {
	const results = { bare: [] as T[], trigger: [] as T[] };
	for (let index = 0; index <= rounds; index++) {
		const order = index % 2 === 0 ? (['bare', 'trigger'] as const) : (['trigger', 'bare'] as const);
		for (const which of order) {
			const result = await round(CONTENDERS[which]);
			if (index > 0) results[which].push(result);
		}
	}
	return results;
}

describe('Trigger overhead', () => {
	for (const { provider, start } of CONNECTED_TRIGGERS) {
		it(`${provider}: every event reaches the trigger and the bare client, once and in order`, async () => {
			const bench = await start('local');
			try {
				progress(`trigger overhead, ${bench.trigger}: throughput`);
				const throughput = await alternate(THROUGHPUT_ROUNDS, (open) => throughputRound(bench, open));
				progress(`trigger overhead, ${bench.trigger}: delay`);
				const latency = await alternate(LATENCY_ROUNDS, (open) => latencyRound(bench, open));

				const cpuRatio = median(throughput.trigger.map((round, index) => round.perCpuSecond / throughput.bare[index].perCpuSecond));
				const triggerRate = median(throughput.trigger.map((round) => round.perSecond));
				const bareRate = median(throughput.bare.map((round) => round.perSecond));
				recordRow({
					section: 'Trigger overhead',
					subject: bench.trigger,
					metric: 'throughput',
					unit: 'events/s',
					value: triggerRate,
					baseline: { label: bench.bare, value: bareRate },
					compare: 'ratio',
					basis: `median of ${THROUGHPUT_ROUNDS} rounds of ${BURST.toLocaleString('en-US')}`,
					target: '>= 0.9x',
					met: triggerRate / bareRate >= 0.9,
					note: `per CPU-second: ${cpuRatio.toFixed(2)}x`,
				});
				for (const p of [50, 99]) {
					const trigger = median(latency.trigger.map((delays) => percentile(delays, p)));
					const bare = median(latency.bare.map((delays) => percentile(delays, p)));
					recordRow({
						section: 'Trigger overhead',
						subject: bench.trigger,
						metric: `p${p} send->emit`,
						unit: 'ms',
						value: trigger,
						baseline: { label: bench.bare, value: bare },
						compare: 'difference',
						basis: `median of ${LATENCY_ROUNDS} rounds of ${LATENCY_EVENTS}`,
						target: p === 99 ? 'added < 2 ms' : '-',
						met: p === 99 ? trigger - bare < 2 : undefined,
					});
				}
			} finally {
				await bench.close();
			}
		});
	}
});
