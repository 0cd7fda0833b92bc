import type { N8n, StoredWorkflow } from '../../test/e2e/n8n';
import { progress } from '../support/results';
import { pause, until } from '../support/waiting';
import { jaicpTrigger, plainWebhook, ULTIMATE_BOT, ultimateTrigger, type WebhookTarget } from './targets';
import { runWrk, writePostScript, type WrkResult } from './wrk';
import { executionCounts } from '../support/executions';

const WARM_UP_SECONDS = 2;
const DRAIN_TIMEOUT_MS = 180_000;

export const CONNECTIONS = 8;

export interface Published {
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
export async function drained(n8n: N8n, published: Published, atLeast: number): Promise<number> {
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
export async function load(wrk: string, folder: string, n8n: N8n, published: Published, seconds: number): Promise<WrkResult> {
	const script = writePostScript(folder, published.target.name.replace(/\W+/g, '-'), published.target.body);
	const result = await runWrk(wrk, published.url, script, { connections: CONNECTIONS, seconds });
	expect(result.failures).toBe(0);
	const executions = await drained(n8n, published, published.executions + result.requests);
	// wrk counts the requests answered before its time was up; up to one per connection was still in flight.
	expect(executions - published.executions).toBeLessThanOrEqual(result.requests + CONNECTIONS);
	published.executions = executions;
	return result;
}

/**
 * Publishes n8n's Webhook node and the Ultimate and JAICP triggers, each feeding one No Operation node,
 * waits until each is registered and warms each up under wrk. Answers them in that order.
 */
export async function publishTargets(n8n: N8n, packageName: string, wrk: string, workDir: string): Promise<Published[]> {
	const credentialId = await n8n.createCredential('Ultimate (bench)', 'ultimateApi', {
		apiKey: 'bench-api-key',
		botId: ULTIMATE_BOT,
		baseUrl: 'http://127.0.0.1:9',
	});
	const targets = [plainWebhook(), ultimateTrigger(packageName), jaicpTrigger(packageName)];
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
	return published;
}
