// The routed hop in n8n's queue mode: an Ultimate bot message in through this package's trigger and out
// to NovaTalks through its Send Message, against the same hop with n8n's core nodes only (Webhook ->
// HTTP Request), in the same stack and run: main, webhook processors behind a round-robin proxy, and
// 4, then 2, then 1 workers on Postgres and Redis (test/e2e's queue-mode stack). Messages per second
// and the p50/p99 delay from the request to the message at NovaTalks. `npm run bench:queue`.
import type { NovaTalksEmulator } from '../test/emulators/novatalks';
import { newRunDir } from '../test/e2e/paths';
import { Stack } from '../test/e2e/stack';
import { botMessage, coreHopWorkflow, driveHop, packageHopWorkflow, type Hop, type HopResult } from './queue/hop';
import { progress, recordRow } from './support/results';
import { median } from './support/stats';

const WORKER_COUNTS = [4, 2, 1];
const MESSAGES = 150;
const ROUNDS = 2;

async function measureQueueMode(): Promise<void> {
	const stack = await Stack.start({
		workDir: newRunDir('queue'),
		owner: { email: 'bench@chat-bridge.dev', password: 'Bench-password-1', firstName: 'Bench', lastName: 'Runner' },
		log: progress,
		queue: { workers: Math.max(...WORKER_COUNTS), webhookProcessors: 2 },
	});
	try {
		const novatalks = stack.provider<NovaTalksEmulator>('novatalks').emulator;
		const botId = String(stack.provider('ultimate').credentialData.botId);
		const hops: Array<Hop & { conversationId: number }> = [];
		for (const [name, build] of [
			['This package: Ultimate Trigger -> NovaTalks Send Message', (token: string) => packageHopWorkflow(stack.installed.name, token)],
			["n8n's core nodes: Webhook -> HTTP Request", (token: string) => coreHopWorkflow(novatalks.baseUrl, token)],
		] as const) {
			const conversation = novatalks.createConversation(`queue bench ${hops.length}`);
			const workflow = build(conversation.token);
			const imported = await stack.importWorkflow(`${workflow.name}.json`, workflow);
			const trigger = workflow.nodes[0];
			const webhookName = 'default';
			hops.push({ name, imported, url: stack.webhookUrl(imported, trigger.name, webhookName), body: (id) => botMessage(botId, id), conversationId: conversation.id });
		}

		let runSerial = 0;
		const run = async (hop: (typeof hops)[number], count: number) => await driveHop(stack, hop, hop.conversationId, count, `r${runSerial++}`);
		progress('queue mode: warming up');
		for (const hop of hops) await run(hop, 20);

		for (const workers of WORKER_COUNTS) {
			const running = stack.queue!.workers;
			while (running.length > workers) await running.pop()!.stop();
			const results = new Map<string, HopResult[]>(hops.map((hop) => [hop.name, []]));
			for (let round = 0; round < ROUNDS; round++) {
				const order = round % 2 === 0 ? hops : [...hops].reverse();
				for (const hop of order) {
					progress(`queue mode: ${workers} worker(s), round ${round + 1}, ${hop.name}`);
					results.get(hop.name)!.push(await run(hop, MESSAGES));
				}
			}
			const [ours, core] = hops.map((hop) => results.get(hop.name)!);
			const figure = (runs: HopResult[], pick: (result: HopResult) => number) => median(runs.map(pick));
			const basis = `median of ${ROUNDS} rounds of ${MESSAGES} messages, 8 in flight`;
			recordRow({
				section: 'Queue mode',
				subject: `${workers} worker(s)`,
				metric: 'routed messages/s',
				unit: 'messages/s',
				value: figure(ours, (result) => result.messagesPerSecond),
				baseline: { label: 'core nodes: Webhook -> HTTP Request', value: figure(core, (result) => result.messagesPerSecond) },
				compare: 'ratio',
				basis,
				target: '-',
			});
			for (const [metric, pick] of [
				['p50 hop latency', (result: HopResult) => result.p50Ms],
				['p99 hop latency', (result: HopResult) => result.p99Ms],
			] as const) {
				recordRow({
					section: 'Queue mode',
					subject: `${workers} worker(s)`,
					metric,
					unit: 'ms',
					value: figure(ours, pick),
					baseline: { label: 'core nodes: Webhook -> HTTP Request', value: figure(core, pick) },
					compare: 'difference',
					basis,
					target: '-',
				});
			}
		}
	} finally {
		await stack.stop();
	}
}

describe('Queue mode', () => {
	it('routes bot messages to NovaTalks through 4, 2 and 1 workers, beside the same hop with core nodes', measureQueueMode, 40 * 60_000);
});
