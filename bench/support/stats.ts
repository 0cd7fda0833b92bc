import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The middle value (the mean of the two middle values for an even count). */
export function median(values: number[]): number {
	if (values.length === 0) throw new Error('median of no values');
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile: the smallest value that at least `p` percent of the values do not exceed. */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) throw new Error('percentile of no values');
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

setFlagsFromString('--expose-gc');
const v8Gc = runInNewContext('gc') as () => void;

/** A full garbage collection, so each round starts from the same heap and memory readings are of live data. */
export function collectGarbage(): void {
	v8Gc();
	v8Gc();
}

/** CPU seconds (user and system, all threads) this process spent since `start`. */
export function cpuSecondsSince(start: NodeJS.CpuUsage): number {
	const used = process.cpuUsage(start);
	return (used.user + used.system) / 1e6;
}

export const MB = 1024 * 1024;
