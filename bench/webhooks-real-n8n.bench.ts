// Webhook triggers in real n8n: requests/s and p99 of the Ultimate and JAICP webhook triggers against
// n8n's own Webhook node, each feeding the same one-node workflow, under the same wrk load, in the same
// run. n8n is the pinned real n8n that `npm run test:e2e` installs into .cache/n8n (installed here first
// if it is not there yet), with this package packed and installed as a community node, as test/e2e does.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { N8n } from '../test/e2e/n8n';
import { installIntoN8n } from '../test/e2e/package-install';
import { cacheDir } from '../test/e2e/paths';
import { ensureRuntime } from '../test/e2e/runtime';
import { progress, recordRow } from './support/results';
import { median } from './support/stats';
import { CONNECTIONS, load, publishTargets } from './webhooks/load';
import type { WebhookTarget } from './webhooks/targets';
import { ensureWrk, type WrkResult } from './webhooks/wrk';

const ROUNDS = 3;
const SECONDS = 5;
/** Loads the three webhooks with wrk, in turn, in a real n8n, and records the two triggers against the plain one. */
async function measureWebhooks(): Promise<void> {
	const wrk = ensureWrk();
	const runtime = await ensureRuntime(progress);
	const workDir = path.join(cacheDir(), 'bench', `n8n-${new Date().toISOString().replace(/[:.]/g, '-')}`);
	mkdirSync(workDir, { recursive: true });
	const userFolder = path.join(workDir, 'n8n-user');
	progress('webhooks in real n8n: building and installing the package');
	const installed = await installIntoN8n(N8n.n8nFolder(userFolder), path.join(workDir, 'package-install.log'));
	progress(`webhooks in real n8n: starting n8n ${runtime.n8nVersion}`);
	const n8n = await N8n.start({ runtime, userFolder, logFile: path.join(workDir, 'n8n.log') });
	try {
		await n8n.setupOwner({ email: 'bench@chat-bridge.dev', password: 'Bench-password-1', firstName: 'Bench', lastName: 'Runner' });
		const published = await publishTargets(n8n, installed.name, wrk, workDir);
		const results = new Map<WebhookTarget, WrkResult[]>(published.map((entry) => [entry.target, []]));
		for (let round = 0; round < ROUNDS; round++) {
			progress(`webhooks in real n8n: round ${round + 1} of ${ROUNDS}`);
			const order = [...published.slice(round % published.length), ...published.slice(0, round % published.length)];
			for (const entry of order) results.get(entry.target)!.push(await load(wrk, workDir, n8n, entry, SECONDS));
		}

		const [plain, ...triggers] = published.map((entry) => ({ target: entry.target, runs: results.get(entry.target)! }));
		const plainRate = median(plain.runs.map((run) => run.requestsPerSecond));
		const plainP99 = median(plain.runs.map((run) => run.p99Ms));
		for (const { target, runs } of triggers) {
			const rate = median(runs.map((run) => run.requestsPerSecond));
			recordRow({
				section: 'Webhook triggers in real n8n',
				subject: target.name,
				metric: 'throughput',
				unit: 'requests/s',
				value: rate,
				baseline: { label: `n8n Webhook node`, value: plainRate },
				compare: 'ratio',
				basis: `median of ${ROUNDS} rounds of ${SECONDS} s`,
				target: '>= 0.95x',
				met: rate / plainRate >= 0.95,
				note: `wrk, ${CONNECTIONS} connections; n8n ${runtime.n8nVersion}`,
			});
			recordRow({
				section: 'Webhook triggers in real n8n',
				subject: target.name,
				metric: 'p99 latency',
				unit: 'ms',
				value: median(runs.map((run) => run.p99Ms)),
				baseline: { label: `n8n Webhook node`, value: plainP99 },
				compare: 'difference',
				basis: `median of ${ROUNDS} rounds of ${SECONDS} s`,
				target: '-',
			});
		}
	} finally {
		await n8n.stop();
	}
	rmSync(workDir, { recursive: true, force: true });
}

describe('Webhook triggers in real n8n', () => {
	it(`Ultimate and JAICP webhook triggers against n8n's Webhook node, every request answered and run`, measureWebhooks);
});
