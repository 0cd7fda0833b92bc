import { execFileSync } from 'node:child_process';

/** Resident memory (MB) of every process in each process group, read from `ps`. */
export function groupRssMb(groups: Record<string, number>): Record<string, number> {
	const table = execFileSync('ps', ['-eo', 'pgid=,rss='], { encoding: 'utf8' });
	const byGroup = new Map<number, number>();
	for (const line of table.split('\n')) {
		const [pgid, rssKb] = line.trim().split(/\s+/).map(Number);
		if (Number.isFinite(pgid) && Number.isFinite(rssKb)) byGroup.set(pgid, (byGroup.get(pgid) ?? 0) + rssKb);
	}
	return Object.fromEntries(Object.entries(groups).map(([name, pgid]) => [name, Math.round((byGroup.get(pgid) ?? 0) / 1024)]));
}

/** Keeps the highest total seen across readings, and the per-group figures of that reading. */
export class PeakMemory {
	peakTotalMb = 0;
	peakGroups: Record<string, number> = {};

	read(groups: Record<string, number>): number {
		const reading = groupRssMb(groups);
		const total = Object.values(reading).reduce((sum, mb) => sum + mb, 0);
		if (total > this.peakTotalMb) {
			this.peakTotalMb = total;
			this.peakGroups = reading;
		}
		return total;
	}
}
