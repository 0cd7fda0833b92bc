// Webhook triggers in real n8n: requests/s and p99 of the Ultimate and JAICP webhook triggers against
// n8n's own Webhook node, each feeding the same one-node workflow, under the same wrk load, in the same
// run. n8n is the pinned real n8n that `npm run test:e2e` installs into .cache/n8n (installed here first
// if it is not there yet), with this package packed and installed as a community node, as test/e2e does.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { N8n, type StoredWorkflow } from '../test/e2e/n8n';
import { installIntoN8n } from '../test/e2e/package-install';
import { cacheDir } from '../test/e2e/paths';
import { ensureRuntime } from '../test/e2e/runtime';
import { executionCounts } from './support/executions';
import { progress, recordRow } from './support/results';
import { median } from './support/stats';
import { pause, until } from './support/waiting';
import { jaicpTrigger, plainWebhook, ULTIMATE_BOT, ultimateTrigger, type WebhookTarget } from './webhooks/targets';
import { ensureWrk, runWrk, writePostScript, type WrkResult } from './webhooks/wrk';

const ROUNDS = 3;
const SECONDS = 5;
const WARM_UP_SECONDS = 2;
const CONNECTIONS = 8;
const DRAIN_TIMEOUT_MS = 180_000;

interface Published {
	target: WebhookTarget;
	workflow: StoredWorkflow;
	url: string;
	/** Successful executions of its workflow so far. */
	executions: number;
}

/**
 * Waits until the workflow has run at least `atLeast` times to success and the count holds still
 * (requests wrk left in flight at its end may still run); none may have failed. The new count.
 */
async function drained(n8n: N8n, published: Published, atLeast: number): Promise<number> {
	let last = -1;
	let counts = { success: 0, failed: 0 };
	await until(
		async () => {
			counts = await executionCounts(n8n, published.workflow.id);
			const settled = counts.success >= atLeast && counts.success === last;
			last = counts.success;
			if (!settled) await pause(250);
			return settled || counts.failed > 0;
		},
		DRAIN_TIMEOUT_MS,
		`${atLeast} successful executions of ${published.target.name} (${counts.success} so far)`,
	);
	expect(counts.failed).toBe(0);
	return counts.success;
}

/** One wrk run against a webhook: every request answered 2xx, and each one ran the workflow once. */
async function load(wrk: string, folder: string, n8n: N8n, published: Published, seconds: number): Promise<WrkResult> {
	const script = writePostScript(folder, published.target.name.replace(/\W+/g, '-'), published.target.body);
	const result = await runWrk(wrk, published.url, script, { connections: CONNECTIONS, seconds });
	expect(result.failures).toBe(0);
	const executions = await drained(n8n, published, published.executions + result.requests);
	// wrk counts the requests answered before its time was up; up to one per connection was still in flight.
	expect(executions - published.executions).toBeLessThanOrEqual(result.requests + CONNECTIONS);
	published.executions = executions;
	return result;
}

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
		const credentialId = await n8n.createCredential('Ultimate (bench)', 'ultimateApi', {
			apiKey: 'bench-api-key',
			botId: ULTIMATE_BOT,
			baseUrl: 'http://127.0.0.1:9',
		});
		const targets = [plainWebhook(), ultimateTrigger(installed.name), jaicpTrigger(installed.name)];
		const published: Published[] = [];
		for (const target of targets) {
			const nodes = target.workflow.nodes.map((node) =>
				node.type.endsWith('.ultimateTrigger') ? { ...node, credentials: { ultimateApi: { id: credentialId, name: 'Ultimate (bench)' } } } : node,
			);
			const workflow = await n8n.publish(await n8n.createWorkflow({ ...target.workflow, nodes }));
			published.push({ target, workflow, url: `${n8n.url}/webhook/${target.path}`, executions: 0 });
		}

		progress('webhooks in real n8n: warming up');
		for (const entry of published) {
			await until(async () => (await fetch(entry.url, { method: 'POST' })).status !== 404, 30_000, `${entry.target.name} to be registered`);
			// That empty request is refused (400) by the triggers; the plain webhook runs its workflow for it.
			entry.executions = await drained(n8n, entry, 0);
			await load(wrk, workDir, n8n, entry, WARM_UP_SECONDS);
		}
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
