import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** V8's .cpuprofile format (what `node --cpu-prof` writes). */
interface CpuProfile {
	nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
	startTime: number;
	samples: number[];
	timeDeltas: number[];
}

/** Where CPU time goes, grouped by who owns the code that ran. */
export const CATEGORIES = [
	'this package',
	'expression isolate',
	'database',
	'credentials',
	'n8n webhook handling',
	'n8n other',
	'node internals and GC',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface WindowProfile {
	/** CPU milliseconds (samples that were not idle) in the window, by category of the code on top of the stack. */
	selfMs: Record<Category, number>;
	/** CPU milliseconds with this package's code anywhere on the stack (its own code and what it called). */
	underPackageMs: number;
	/** CPU milliseconds with n8n's expression isolate set-up anywhere on the stack. */
	underIsolateMs: number;
	busyMs: number;
	idleMs: number;
}

/** The newest profile a process wrote into `folder` whose file name starts with `prefix` (n8n's main: the largest). */
export function readLargestProfile(folder: string): CpuProfile {
	const files = readdirSync(folder).filter((file) => file.endsWith('.cpuprofile'));
	if (files.length === 0) throw new Error(`No .cpuprofile in ${folder}`);
	const sized = files.map((file) => ({ file, text: readFileSync(path.join(folder, file), 'utf8') })).sort((a, b) => b.text.length - a.text.length);
	return JSON.parse(sized[0].text) as CpuProfile;
}

function categoryOf(url: string, functionName: string): Category {
	if (url.includes('n8n-nodes-chat-bridge')) return 'this package';
	if (/isolated-vm|expression-runtime|isolate/i.test(url) || /isolate/i.test(functionName)) return 'expression isolate';
	if (/node_modules\/(pg|pg-protocol|typeorm|sqlite3|@n8n\/typeorm|@n8n\/db)\//.test(url)) return 'database';
	if (/credentials|cipher|crypto/i.test(url)) return 'credentials';
	if (/n8n\/dist\/webhooks\//.test(url)) return 'n8n webhook handling';
	if (url.includes('node_modules')) return 'n8n other';
	return 'node internals and GC';
}

/**
 * Splits a profile by time windows (CLOCK_MONOTONIC microseconds, as `process.hrtime` reads them in any
 * process of the machine, and as V8 stamps its samples) and sums each window's samples by category.
 */
export function profileWindows(profile: CpuProfile, windows: Array<{ startUs: number; endUs: number }>): WindowProfile[] {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map<number, number>();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const onStack = (id: number, test: (frame: { url: string; functionName: string }) => boolean) => {
		for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
			if (test(byId.get(current)!.callFrame)) return true;
		}
		return false;
	};
	const results = windows.map(() => ({
		selfMs: Object.fromEntries(CATEGORIES.map((category) => [category, 0])) as Record<Category, number>,
		underPackageMs: 0,
		underIsolateMs: 0,
		busyMs: 0,
		idleMs: 0,
	}));
	let time = profile.startTime;
	profile.samples.forEach((id, index) => {
		const delta = profile.timeDeltas[index] ?? 0;
		time += delta;
		const slot = windows.findIndex((window) => time >= window.startUs && time < window.endUs);
		if (slot < 0) return;
		const result = results[slot];
		const frame = byId.get(id)!.callFrame;
		const ms = delta / 1000;
		if (frame.functionName === '(idle)') {
			result.idleMs += ms;
			return;
		}
		result.busyMs += ms;
		result.selfMs[categoryOf(frame.url, frame.functionName)] += ms;
		if (onStack(id, (candidate) => candidate.url.includes('n8n-nodes-chat-bridge'))) result.underPackageMs += ms;
		if (onStack(id, (candidate) => /acquireIsolate|isolate/i.test(candidate.functionName))) result.underIsolateMs += ms;
	});
	return results;
}

/** The functions that took most CPU (self time) in a window, for reading where the time goes. */
export function topFunctions(profile: CpuProfile, window: { startUs: number; endUs: number }, count = 15): Array<{ name: string; ms: number }> {
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const totals = new Map<string, number>();
	let time = profile.startTime;
	profile.samples.forEach((id, index) => {
		const delta = profile.timeDeltas[index] ?? 0;
		time += delta;
		if (time < window.startUs || time >= window.endUs) return;
		const { functionName, url } = byId.get(id)!.callFrame;
		if (functionName === '(idle)') return;
		const name = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '')}`;
		totals.set(name, (totals.get(name) ?? 0) + delta / 1000);
	});
	return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, ms]) => ({ name, ms }));
}
