// The package in n8n's queue mode: a main, 2 workers and 2 webhook processors on throw-away Postgres
// and Redis, production webhooks through a round-robin proxy. Every example runs here as it does in
// one process, and the guarantees that cross processes are proven with counts.
import { EXAMPLE_DRIVERS } from '../drivers';
import { newRunDir } from '../paths';
import { exampleFiles, Stack } from '../stack';
import { PeakMemory } from './memory';

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
		console.log(
			`Examples: ${files.length} run (${files.filter((file) => EXAMPLE_DRIVERS[file]).length} through a driver), ` +
				`${executions.length} executions, ${failed.length} failed; webhook calls per processor: ${JSON.stringify(byProcessor)}`,
		);
		expect(failed).toEqual([]);
		expect(byProcessor?.filter((count) => count > 0)).toHaveLength(2);
	});

	it(`stays under ${MEMORY_BUDGET_MB} MB of RSS in all`, () => {
		memory.read(stack.queue?.processGroups() ?? {});
		console.log(`Memory now / peak: ${JSON.stringify(memory.peakGroups)}, peak total ${memory.peakTotalMb} MB`);
		expect(memory.peakTotalMb).toBeGreaterThan(0);
		expect(memory.peakTotalMb).toBeLessThan(MEMORY_BUDGET_MB);
	});
});
