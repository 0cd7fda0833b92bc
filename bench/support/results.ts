import { appendFileSync } from 'node:fs';

/** The sections of the table, in the order it prints them. */
export const SECTIONS = [
	'Trigger overhead',
	'Action throughput',
	'Reconnect',
	'Memory',
	'Webhook triggers in real n8n',
	'Queue mode',
	'Routing in real n8n',
] as const;
export type Section = (typeof SECTIONS)[number];

/** One line of the table: a figure, its baseline from the same run, and the target it is held to. */
export interface BenchRow {
	section: Section;
	/** What was measured, e.g. `NovaTalks Trigger`. */
	subject: string;
	/** The figure, e.g. `events/s` or `p99 delay`. */
	metric: string;
	unit: 'events/s' | 'items/s' | 'requests/s' | 'messages/s' | 'ms' | 'MB' | 'KB';
	value: number;
	baseline?: { label: string; value: number };
	/** `ratio`: value / baseline; `difference`: value - baseline. */
	compare: 'ratio' | 'difference';
	/** How the figure was taken, e.g. `median of 5 rounds` or `50 drops`. */
	basis: string;
	target: string;
	/** Whether the target is met; undefined when the figure has no target of its own. */
	met?: boolean;
	note?: string;
}

/** The file the table reporter collects rows from (set by bench/support/table-reporter.js). */
export const RESULTS_FILE_VARIABLE = 'CHAT_BRIDGE_BENCH_RESULTS';

export function recordRow(row: BenchRow): void {
	const file = process.env[RESULTS_FILE_VARIABLE];
	if (!file) throw new Error(`${RESULTS_FILE_VARIABLE} is not set: run the benchmarks with npm run bench`);
	appendFileSync(file, `${JSON.stringify(row)}\n`);
}

/** A line of progress on stderr, so a long run shows where it is. */
export function progress(line: string): void {
	process.stderr.write(`  bench: ${line}\n`);
}
