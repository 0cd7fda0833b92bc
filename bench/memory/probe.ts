// Runs in a lean child process (bench/support/probe-host.js), with the provider's emulator in another
// one, so that the memory measured is the readers' own.
import { CONNECTED_TRIGGERS } from '../providers';
import type { BenchStream, ProviderBench, Reader } from '../providers/types';
import { collectGarbage, MB } from '../support/stats';
import { Counter, pause } from '../support/waiting';

export const CONNECTIONS = 100;
export const EVENTS = 100_000;
export const BATCH = 10_000;
const OPEN_IN_PARALLEL = 10;
const KB = 1024;

export interface MemoryFigures {
	/** Growth per connection in KB, with 100 bare clients open and then 100 triggers open besides. */
	idle: { rss: { bare: number; trigger: number }; heap: { bare: number; trigger: number } };
	/** Heap in MB before any event, after the first burst of 10,000 and after 100,000 events. */
	events: { before: number; afterFirstBurst: number; after: number; eventsPerSecond: number };
}

export async function probe(provider: string): Promise<MemoryFigures> {
	const entry = CONNECTED_TRIGGERS.find((candidate) => candidate.provider === provider);
	if (!entry) throw new Error(`No provider ${provider}`);
	const bench = await entry.start('remote');
	try {
		return { idle: await idleConnections(bench), events: await heapOverEvents(bench) };
	} finally {
		await bench.close();
	}
}

/** Heap and RSS once garbage is collected and the heap has settled. */
async function settledMemory(): Promise<NodeJS.MemoryUsage> {
	collectGarbage();
	await pause(300);
	collectGarbage();
	return process.memoryUsage();
}

/** Opens one reader per stream, a few at a time; resolves once every stream is subscribed. */
async function openAll(streams: BenchStream[], open: (stream: BenchStream) => Promise<Reader>): Promise<Reader[]> {
	const readers: Reader[] = [];
	for (let start = 0; start < streams.length; start += OPEN_IN_PARALLEL) {
		readers.push(...(await Promise.all(streams.slice(start, start + OPEN_IN_PARALLEL).map(open))));
	}
	for (const stream of streams) {
		if ((await stream.subscriptions()) < 1) throw new Error('A reader is open but not subscribed');
	}
	return readers;
}

/**
 * 100 bare clients, then (with those still open) 100 triggers, each on a conversation of its own: the
 * growth of RSS and heap per connection for each. Growth only, so no freed memory is counted twice.
 */
async function idleConnections(bench: ProviderBench): Promise<MemoryFigures['idle']> {
	const bareStreams = await Promise.all(Array.from({ length: CONNECTIONS }, () => bench.stream()));
	const triggerStreams = await Promise.all(Array.from({ length: CONNECTIONS }, () => bench.stream()));
	// Warm up: both readers' code is loaded and compiled before anything is measured.
	const warmStream = await bench.stream();
	for (const reader of [await warmStream.openBare(() => undefined), await warmStream.openTrigger(() => undefined)]) await reader.close();

	const start = await settledMemory();
	const bare = await openAll(bareStreams, (stream) => stream.openBare(() => undefined));
	const withBare = await settledMemory();
	const triggers = await openAll(triggerStreams, (stream) => stream.openTrigger(() => undefined));
	const withTriggers = await settledMemory();
	for (const reader of [...bare, ...triggers]) await reader.close();
	const errors = triggers.flatMap((reader) => reader.errors);
	if (errors.length > 0) throw new Error(`Idle triggers reported errors: ${errors.map((error) => error.message).join('; ')}`);
	const perConnection = (after: number, before: number) => (after - before) / CONNECTIONS / KB;
	return {
		rss: { bare: perConnection(withBare.rss, start.rss), trigger: perConnection(withTriggers.rss, withBare.rss) },
		heap: { bare: perConnection(withBare.heapUsed, start.heapUsed), trigger: perConnection(withTriggers.heapUsed, withBare.heapUsed) },
	};
}

/** 100,000 events through one trigger in bursts of 10,000; every one must be emitted, none twice. */
async function heapOverEvents(bench: ProviderBench): Promise<MemoryFigures['events']> {
	const stream = await bench.stream();
	const arrived = new Counter();
	const reader = await stream.openTrigger(() => arrived.add());
	try {
		const before = await settledMemory();
		let afterFirstBurst = before;
		const started = performance.now();
		for (let sent = BATCH; sent <= EVENTS; sent += BATCH) {
			await stream.burst(BATCH);
			await arrived.reach(sent, 120_000, `${sent} events`);
			if (sent === BATCH) afterFirstBurst = await settledMemory();
		}
		const seconds = (performance.now() - started) / 1000;
		const after = await settledMemory();
		if (arrived.count !== EVENTS) throw new Error(`${arrived.count} events were emitted for ${EVENTS} sent`);
		if (reader.errors.length > 0) throw new Error(`The trigger reported: ${reader.errors.map((error) => error.message).join('; ')}`);
		return {
			before: before.heapUsed / MB,
			afterFirstBurst: afterFirstBurst.heapUsed / MB,
			after: after.heapUsed / MB,
			eventsPerSecond: EVENTS / seconds,
		};
	} finally {
		await reader.close();
	}
}
