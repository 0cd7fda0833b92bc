// Where a webhook call's time goes in real n8n: n8n's Webhook node and the Ultimate and JAICP triggers
// under the same wrk load as the webhook benchmark, in one n8n started with `node --cpu-prof`. The
// profile is split by the load windows (each target in turn) and its CPU time grouped by who owns the
// code: this package, n8n's database layer, its credential handling, its webhook handling, the rest.
// Run with `npm run bench:webhook-cost`; prints per-request CPU figures and writes them to
// .cache/bench/webhook-cost.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { N8n } from '../test/e2e/n8n';
import { installIntoN8n } from '../test/e2e/package-install';
import { cacheDir } from '../test/e2e/paths';
import { ensureRuntime } from '../test/e2e/runtime';
import { progress } from './support/results';
import { CATEGORIES, profileWindows, readLargestProfile, topFunctions } from './webhooks/cpu-profile';
import { load, publishTargets } from './webhooks/load';
import { ensureWrk } from './webhooks/wrk';

const SECONDS = 8;

async function profileWebhooks(): Promise<void> {
	const wrk = ensureWrk();
	const runtime = await ensureRuntime(progress);
	const workDir = path.join(cacheDir(), 'bench', `profile-${new Date().toISOString().replace(/[:.]/g, '-')}`);
	const profileDir = path.join(workDir, 'cpu-profiles');
	mkdirSync(profileDir, { recursive: true });
	const userFolder = path.join(workDir, 'n8n-user');
	const installed = await installIntoN8n(N8n.n8nFolder(userFolder), path.join(workDir, 'package-install.log'));
	const n8n = await N8n.start({
		runtime,
		userFolder,
		logFile: path.join(workDir, 'n8n.log'),
		environment: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir} --cpu-prof-interval=500` },
	});
	const windows: Array<{ name: string; requests: number; requestsPerSecond: number; startUs: number; endUs: number }> = [];
	try {
		await n8n.setupOwner({ email: 'bench@chat-bridge.dev', password: 'Bench-password-1', firstName: 'Bench', lastName: 'Runner' });
		const published = await publishTargets(n8n, installed.name, wrk, workDir);
		for (const entry of published) {
			progress(`webhook cost: profiling ${entry.target.name}`);
			const startUs = Number(process.hrtime.bigint() / 1000n);
			const result = await load(wrk, workDir, n8n, entry, SECONDS);
			windows.push({ name: entry.target.name, requests: result.requests, requestsPerSecond: result.requestsPerSecond, startUs, endUs: Number(process.hrtime.bigint() / 1000n) });
		}
	} finally {
		// n8n writes its profile when it exits.
		await n8n.stop();
	}

	const profile = readLargestProfile(profileDir);
	const split = profileWindows(profile, windows);
	const lines = [
		`| Webhook | requests/s | CPU ms per request | ${CATEGORIES.join(' | ')} | under this package's code | under the expression isolate |`,
		`| --- | --- | --- | ${CATEGORIES.map(() => '---').join(' | ')} | --- | --- |`,
		...windows.map((window, index) => {
			const perRequest = (ms: number) => (ms / window.requests).toFixed(2);
			const cost = split[index];
			return `| ${window.name} | ${window.requestsPerSecond.toFixed(1)} | ${perRequest(cost.busyMs)} | ${CATEGORIES.map((category) => perRequest(cost.selfMs[category])).join(' | ')} | ${perRequest(cost.underPackageMs)} | ${perRequest(cost.underIsolateMs)} |`;
		}),
		'',
		...windows.flatMap((window) => [
			`Top functions (self CPU ms over ${window.requests} requests) for ${window.name}:`,
			...topFunctions(profile, window).map((entry) => `  ${entry.ms.toFixed(1).padStart(8)}  ${entry.name}`),
			'',
		]),
	];
	const report = lines.join('\n');
	writeFileSync(path.join(cacheDir(), 'bench', 'webhook-cost.md'), `${report}\n`);
	console.log(report);
	expect(windows.every((window) => window.requests > 0)).toBe(true);
}

describe('Webhook call cost in real n8n', () => {
	it('profiles n8n under load on its Webhook node and on the Ultimate and JAICP triggers', profileWebhooks, 15 * 60_000);
});
