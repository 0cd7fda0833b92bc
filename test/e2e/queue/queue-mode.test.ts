// The package in n8n's queue mode: a main, 2 workers and 2 webhook processors on throw-away Postgres
// and Redis, production webhooks through a round-robin proxy. Every example runs here as it does in
// one process, and the guarantees that cross processes are proven with counts.
import type { JaicpEmulator } from '../../emulators/jaicp';
import type { NovaTalksEmulator } from '../../emulators/novatalks';
import { waitFor } from '../../helpers/wait';
import { EXAMPLE_DRIVERS } from '../drivers';
import { newRunDir } from '../paths';
import { exampleFiles, Stack } from '../stack';
import { relayToCustomerApp, slowRelayToCustomerApp } from './flows';
import { PeakMemory } from './memory';
import { deliver, REDELIVERY_CASES, setUpRedeliveryCase } from './redeliveries';

const OWNER = { email: 'queue@chat-bridge.test', password: 'Queue-pass-1234', firstName: 'Queue', lastName: 'Mode' };
const MEMORY_BUDGET_MB = 5 * 1024;

let stack: Stack;
const memory = new PeakMemory();
let memoryTimer: NodeJS.Timeout | undefined;
const suiteStarted = Date.now();

beforeAll(async () => {
	const workDir = newRunDir('queue');
	stack = await Stack.start({ workDir, owner: OWNER, log: (line) => console.log(line), queue: { workers: 2, webhookProcessors: 2 } });
	console.log(`Queue-mode stack up after ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s; work folder: ${workDir}`);
	memoryTimer = setInterval(() => stack.queue && memory.read(stack.queue.processGroups()), 2_000);
}, 40 * 60_000);

afterAll(async () => {
	if (memoryTimer) clearInterval(memoryTimer);
	if (stack?.queue) memory.read(stack.queue.processGroups());
	console.log(`Peak memory of the queue-mode stack: ${memory.peakTotalMb} MB RSS (${JSON.stringify(memory.peakGroups)})`);
	console.log(`Queue-mode suite took ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s`);
	await stack?.stop();
}, 120_000);

describe('the examples in queue mode', () => {
	const files = exampleFiles();

	for (const file of files) {
		it(`runs ${file} to success`, async () => {
			const imported = stack.workflow(file);
			const driver = EXAMPLE_DRIVERS[file];
			if (driver) await driver(stack, imported);
			else if (imported.triggers.length === 0) await stack.runManually(imported);
			else throw new Error(`${file} starts from ${imported.triggers.join(', ')}: add a driver for it in test/e2e/drivers/`);
		});
	}

	it('ran every example on the workers, with webhook calls spread over both webhook processors, and none failed', async () => {
		const executions = await stack.n8n.executions();
		const failed = executions.filter((execution) => execution.status !== 'success');
		const byProcessor = stack.queue?.proxy.calls.reduce<number[]>((counts, call) => {
			counts[call.upstream] = (counts[call.upstream] ?? 0) + 1;
			return counts;
		}, []);
		// Each worker logs "Worker finished execution <id>" for every execution it ran.
		const ranOnWorker = (stack.queue?.workers ?? []).map((worker) => new Set(worker.log().match(/Worker finished execution \d+/g) ?? []).size);
		console.log(
			`Examples: ${files.length} run (${files.filter((file) => EXAMPLE_DRIVERS[file]).length} through a driver), ` +
				`${executions.length} executions, ${failed.length} failed; executions per worker: ${JSON.stringify(ranOnWorker)}; ` +
				`webhook calls per processor: ${JSON.stringify(byProcessor)}`,
		);
		expect(failed).toEqual([]);
		expect(ranOnWorker.reduce((sum, count) => sum + count, 0)).toBe(executions.length);
		expect(ranOnWorker.filter((count) => count > 0)).toHaveLength(2);
		expect(byProcessor?.filter((count) => count > 0)).toHaveLength(2);
	});

	it(`stays under ${MEMORY_BUDGET_MB} MB of RSS in all`, () => {
		memory.read(stack.queue?.processGroups() ?? {});
		console.log(`Memory now / peak: ${JSON.stringify(memory.peakGroups)}, peak total ${memory.peakTotalMb} MB`);
		expect(memory.peakTotalMb).toBeGreaterThan(0);
		expect(memory.peakTotalMb).toBeLessThan(MEMORY_BUDGET_MB);
	});
});

/** How often each message id reached the customer app in `conversationId` (one POST per execution). */
function handOversPerMessage(conversationId: string): Map<string, number> {
	const counts = new Map<string, number>();
	for (const message of stack.customer.messagesIn(conversationId)) counts.set(message.text, (counts.get(message.text) ?? 0) + 1);
	return counts;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the same webhook event delivered 3 times, over both webhook processors', () => {
	REDELIVERY_CASES.forEach((testCase, index) => {
		it(`${testCase.title}: one execution reaches the other side`, async () => {
			const { imported, conversationId, url } = await setUpRedeliveryCase(stack, testCase, index);
			const proxy = stack.queue!.proxy;
			const callsBefore = proxy.calls.length;

			// A provider re-delivers after it got no answer in time: one copy after the other.
			const id = testCase.newId(1);
			const statuses: number[] = [];
			for (let copy = 0; copy < 3; copy++) statuses.push(await deliver(url, testCase.event(stack, id)));
			const processors = new Set(proxy.calls.slice(callsBefore).map((call) => call.upstream));
			await stack.n8n.waitForExecutions(imported.workflow.id, 1);
			await waitFor(() => stack.customer.messagesIn(conversationId).length >= 1, 30_000, () => 'the hand-over');
			await settle(3_000);
			const sequential = { statuses, processors: processors.size, executions: await stack.n8n.executionCounts(imported.workflow.id), handOvers: handOversPerMessage(conversationId).get(id) };

			// Copies that arrive at the same moment on both processors (static data has no lock: measured, not promised).
			const concurrentId = testCase.newId(2);
			const concurrentStatuses = await Promise.all([0, 1, 2].map(() => deliver(url, testCase.event(stack, concurrentId))));
			await waitFor(() => (handOversPerMessage(conversationId).get(concurrentId) ?? 0) >= 1, 30_000, () => 'the concurrent hand-over');
			await settle(3_000);
			const concurrentHandOvers = handOversPerMessage(conversationId).get(concurrentId) ?? 0;

			console.log(
				`${testCase.title}: 3 copies one after the other -> answered ${statuses.join('/')}, on ${sequential.processors} webhook processors, ` +
					`executions ${JSON.stringify(sequential.executions)}, hand-overs ${sequential.handOvers}; ` +
					`3 copies at the same moment -> answered ${concurrentStatuses.join('/')}, hand-overs ${concurrentHandOvers}`,
			);
			expect(statuses).toEqual([200, 200, 200]);
			expect(sequential.processors).toBe(2);
			expect(sequential.executions).toEqual({ success: 1 });
			expect(sequential.handOvers).toBe(1);
			expect(concurrentStatuses).toEqual([200, 200, 200]);
			expect(concurrentHandOvers).toBeGreaterThanOrEqual(1);
		});
	});
});

describe('socket and long-poll triggers while the main restarts', () => {
	const TOTAL = 200;
	const RESTARTS = 3;

	it(`NovaTalks (WebSocket) and JAICP events (long poll): ${TOTAL} messages each, ${RESTARTS} restarts of the main, none lost, none run twice`, async () => {
		const novatalks = stack.provider<NovaTalksEmulator>('novatalks').emulator;
		const jaicp = stack.provider<JaicpEmulator>('jaicp').emulator;
		const contact = novatalks.createConversation('queue restart contact');
		const jaicpClient = `queue-restart-${Date.now()}`;
		const inbox = { novatalks: `restart-novatalks-${Date.now()}`, jaicp: `restart-jaicp-${Date.now()}` };
		const trigger = (name: string, type: string, parameters: Record<string, unknown>) => ({ name, type: `${stack.installed.name}.${type}`, typeVersion: 1, parameters });
		const novatalksFlow = await stack.importWorkflow(
			'queue-restart-novatalks.json',
			relayToCustomerApp(
				'Queue mode: NovaTalks socket through restarts',
				trigger('Agent Messages', 'novaTalksTrigger', { contactTokens: contact.token, events: ['message.created'], onlyAgentSide: true, options: {} }),
				stack.customer.replyUrl,
				inbox.novatalks,
			),
		);
		const jaicpFlow = await stack.importWorkflow(
			'queue-restart-jaicp.json',
			relayToCustomerApp(
				'Queue mode: JAICP long poll through restarts',
				trigger('Operator Replies', 'jaicpEventsTrigger', { clientId: jaicpClient, options: { pollTimeoutSeconds: 5 } }),
				stack.customer.replyUrl,
				inbox.jaicp,
			),
		);
		await waitFor(() => novatalks.subscriberCount(contact.id) > 0, 60_000, () => 'the NovaTalks trigger to subscribe');
		await settle(1_000);

		const sent = { novatalks: [] as string[], jaicp: [] as string[] };
		let restartsDone = false;
		const sender = (async () => {
			for (let index = 0; index < TOTAL; index++) {
				// While restarts are still to come, keep the last messages for after the last one.
				while (!restartsDone && index >= TOTAL - 20) await settle(200);
				sent.novatalks.push(String(novatalks.agentSend(contact.id, { content: `agent message ${index}` }).id));
				sent.jaicp.push(jaicp.operatorSays(jaicpClient, `operator message ${index}`).questionId);
				await settle(restartsDone ? 25 : 300);
			}
		})();
		const restartSeconds: number[] = [];
		for (let restart = 1; restart <= RESTARTS; restart++) {
			await waitFor(() => sent.novatalks.length >= restart * 40, 300_000, () => `${restart * 40} messages sent`);
			restartSeconds.push(await stack.n8n.restart());
		}
		restartsDone = true;
		await sender;

		const arrived = (conversation: string, ids: string[]) => ids.filter((id) => handOversPerMessage(conversation).has(id)).length;
		await waitFor(
			() => arrived(inbox.novatalks, sent.novatalks) === TOTAL && arrived(inbox.jaicp, sent.jaicp) === TOTAL,
			180_000,
			() => `all messages handed over (NovaTalks ${arrived(inbox.novatalks, sent.novatalks)}, JAICP ${arrived(inbox.jaicp, sent.jaicp)} of ${TOTAL})`,
		).catch(() => undefined);
		await settle(5_000);

		const refusedRepeats = (stack.n8n.log().match(/duplicate deduplication key/g) ?? []).length;
		const report = (name: keyof typeof sent) => {
			const counts = handOversPerMessage(inbox[name]);
			return {
				sent: sent[name].length,
				lost: sent[name].filter((id) => !counts.has(id)).length,
				runTwice: [...counts.values()].filter((count) => count > 1).length,
			};
		};
		const result = { novatalks: report('novatalks'), jaicp: report('jaicp') };
		const executions = {
			novatalks: await stack.n8n.executionCounts(novatalksFlow.workflow.id),
			jaicp: await stack.n8n.executionCounts(jaicpFlow.workflow.id),
		};
		console.log(
			`Main restarted ${RESTARTS} times (back after ${restartSeconds.map((seconds) => seconds.toFixed(1)).join(', ')} s): ` +
				`${JSON.stringify(result)}; executions ${JSON.stringify(executions)}; repeats refused by n8n's de-duplication key: ${refusedRepeats}`,
		);
		expect(result).toEqual({ novatalks: { sent: TOTAL, lost: 0, runTwice: 0 }, jaicp: { sent: TOTAL, lost: 0, runTwice: 0 } });
		expect(executions).toEqual({ novatalks: { success: TOTAL }, jaicp: { success: TOTAL } });
	}, 15 * 60_000);
});

describe('a worker killed mid-execution, and Redis restarted', () => {
	const MESSAGES = 8;
	const push = REDELIVERY_CASES.find((testCase) => testCase.title.startsWith('NovaTalks Push'))!;

	/** Sends MESSAGES pushes at once through the load balancer, does `fault` while they run, and accounts for every one. */
	async function underFault(label: string, fault: () => Promise<void>) {
		const conversationId = `fault-${label}-${Date.now()}`;
		const imported = await stack.importWorkflow(
			`queue-fault-${label}.json`,
			slowRelayToCustomerApp(`Queue mode: ${label}`, push.trigger(stack), stack.customer.replyUrl, conversationId, 4),
		);
		const url = stack.webhookUrl(imported, 'NovaTalks Push');
		const ids = Array.from({ length: MESSAGES }, (_, index) => push.newId(index));
		const statuses = await Promise.all(ids.map((id) => deliver(url, push.event(stack, id)).catch(() => 0)));
		await fault();
		const accepted = ids.filter((_, index) => statuses[index] >= 200 && statuses[index] < 300);
		const handedOver = () => accepted.filter((id) => handOversPerMessage(conversationId).has(id)).length;
		// Settled once every accepted message is handed over or failed, or nothing has changed for 20 s (bounded).
		let executions: Record<string, number> = {};
		let last = '';
		let unchangedSince = Date.now();
		for (const deadline = Date.now() + 120_000; Date.now() < deadline; await settle(1_000)) {
			executions = await stack.n8n.executionCounts(imported.workflow.id);
			const finished = handedOver() + (executions.error ?? 0) + (executions.crashed ?? 0);
			const now = JSON.stringify([handedOver(), executions]);
			if (now !== last) [last, unchangedSince] = [now, Date.now()];
			if (finished >= accepted.length || Date.now() - unchangedSince > 20_000) break;
		}
		const failedVisibly = (executions.error ?? 0) + (executions.crashed ?? 0) + (executions.canceled ?? 0);
		const unfinished = (executions.new ?? 0) + (executions.running ?? 0) + (executions.waiting ?? 0);
		const result = {
			sent: MESSAGES,
			refused: MESSAGES - accepted.length,
			handedOver: handedOver(),
			handedOverTwice: [...handOversPerMessage(conversationId).values()].filter((count) => count > 1).length,
			failedVisibly,
			unfinished,
			withoutTrace: Math.max(0, accepted.length - handedOver() - failedVisibly - unfinished),
		};
		console.log(`${label}: ${JSON.stringify(result)}; executions ${JSON.stringify(executions)}`);
		return result;
	}

	it(`a worker killed while ${MESSAGES} messages are mid-execution: every message is handed over or shows in n8n`, async () => {
		const worker = stack.queue!.workers[0];
		let relaunched: Promise<number> | undefined;
		const result = await underFault('worker killed', async () => {
			await settle(1_500);
			await worker.kill();
			relaunched = worker.relaunch();
		});
		const back = await relaunched;
		console.log(`The killed worker served again after ${back?.toFixed(1)} s`);
		expect(result.refused).toBe(0);
		expect(result.withoutTrace).toBe(0);
		expect(result.handedOverTwice).toBe(0);
	}, 6 * 60_000);

	it(`Redis restarted (losing what it held) while ${MESSAGES} messages are queued or running: every message is handed over, refused to the provider, or shows in n8n`, async () => {
		const result = await underFault('redis restarted', async () => {
			await settle(500);
			await stack.queue!.redis.restart(1_000);
		});
		expect(result.withoutTrace).toBe(0);
		expect(result.handedOverTwice).toBe(0);
	}, 6 * 60_000);
});
