import { closedPort } from '../helpers/ports';
import { startTrigger } from '../helpers/trigger';
import { delay, waitFor } from '../helpers/wait';
import { chain } from '../helpers/workflow-builder';
import { runWorkflow } from '../helpers/workflow';
import { TestWsServer } from '../helpers/ws-server';

const probeWorkflow = (url: string, rawOutput = false) =>
	chain({ name: 'Probe Trigger', type: 'test.socketProbeTrigger', parameters: { url, rawOutput } });

describe('runSocketTrigger', () => {
	let server: TestWsServer;

	beforeEach(async () => {
		server = await TestWsServer.start();
	});

	afterEach(async () => {
		await server.close();
	});

	it('emits every event in active mode and nothing after close', async () => {
		const trigger = await startTrigger(probeWorkflow(server.url), { mode: 'trigger' });
		await waitFor(() => server.openClients.length === 1, 1000, () => 'the trigger to connect');
		server.broadcast({ id: 'm1', text: 'hello' });
		server.broadcast({ id: 'm2', text: 'again' });
		await trigger.waitForItems(2);
		expect(trigger.json.map((event) => event.text)).toEqual(['hello', 'again']);
		expect(trigger.emissions).toHaveLength(2);
		expect(trigger.json[0]).toMatchObject({ provider: 'novatalks', type: 'message', messageId: 'm1', attachments: [] });

		await trigger.close();
		await waitFor(() => server.openClients.length === 0, 1000, () => 'the trigger socket to close');
		server.broadcast({ id: 'm3', text: 'late' });
		await delay(50);
		expect(trigger.emitted).toHaveLength(2);
	});

	it('orders per conversation: the next event of a conversation waits for the execution before it, others go on', async () => {
		const running: Array<{ text: string; finish: () => void }> = [];
		const trigger = await startTrigger(
			chain({ name: 'Probe Trigger', type: 'test.socketProbeTrigger', parameters: { url: server.url, orderWaitMs: 5000 } }),
			{ onDone: (finish, data) => running.push({ text: String(data[0][0].json.text), finish }) },
		);
		await waitFor(() => server.openClients.length === 1, 1000, () => 'the trigger to connect');
		server.broadcast({ id: 'a1', text: 'a1', conversation: 'a' });
		server.broadcast({ id: 'a2', text: 'a2', conversation: 'a' });
		server.broadcast({ id: 'b1', text: 'b1', conversation: 'b' });
		await waitFor(() => running.length === 2, 1000, () => 'the first event of each conversation');
		await delay(100);
		// a2 waits for a1's execution; b1 runs beside it.
		expect(running.map((execution) => execution.text)).toEqual(['a1', 'b1']);
		running[0].finish();
		await waitFor(() => running.length === 3, 1000, () => 'a2 after a1 finished');
		expect(running[2].text).toBe('a2');
		running.forEach((execution) => execution.finish());
		await trigger.close();
	});

	it('orders per conversation only up to the wait limit, and emits what waits when it is closed', async () => {
		const started: string[] = [];
		const trigger = await startTrigger(
			chain({ name: 'Probe Trigger', type: 'test.socketProbeTrigger', parameters: { url: server.url, orderWaitMs: 200 } }),
			{ onDone: (_finish, data) => started.push(String(data[0][0].json.text)) },
		);
		await waitFor(() => server.openClients.length === 1, 1000, () => 'the trigger to connect');
		server.broadcast({ id: 'a1', text: 'a1', conversation: 'a' });
		server.broadcast({ id: 'a2', text: 'a2', conversation: 'a' });
		server.broadcast({ id: 'a3', text: 'a3', conversation: 'a' });
		// Executions that never report their end hold a conversation for the wait limit only.
		await waitFor(() => started.length === 2, 1000, () => 'a2 after the wait limit');
		expect(started).toEqual(['a1', 'a2']);
		await trigger.close();
		expect(started).toEqual(['a1', 'a2', 'a3']);
	});

	it('outputs the raw payload when asked', async () => {
		const trigger = await startTrigger(probeWorkflow(server.url, true));
		await waitFor(() => server.openClients.length === 1, 1000, () => 'the trigger to connect');
		server.broadcast({ id: 'r1', text: 'raw' });
		await trigger.waitForItems(1);
		expect(trigger.json).toEqual([{ id: 'r1', text: 'raw' }]);
		await trigger.close();
	});

	it('sends a fatal error to emitError so n8n can re-activate the workflow', async () => {
		const trigger = await startTrigger(probeWorkflow(server.url));
		await waitFor(() => server.openClients.length === 1, 1000, () => 'the trigger to connect');
		await server.close();
		const error = await trigger.waitForError(3000);
		expect(error.message).toMatch(/Could not open the WebSocket/);
		await trigger.close();
		server = await TestWsServer.start();
	});

	it('fails activation at once with a clear error when it cannot connect', async () => {
		const port = await closedPort();
		await expect(startTrigger(probeWorkflow(`ws://127.0.0.1:${port}`))).rejects.toThrow(
			'Could not open the WebSocket: the connection was refused (is the server running?)',
		);
	});

	it('resolves a manual (test) run on the first event through n8n-core’s manual trigger path', async () => {
		const workflow = chain(
			{ name: 'Probe Trigger', type: 'test.socketProbeTrigger', parameters: { url: server.url } },
			{ name: 'Next', type: 'test.socketProbeTrigger', parameters: { url: server.url } },
		);
		// Only the trigger runs here: the test run stops at the trigger node.
		workflow.connections = {};
		const running = runWorkflow(workflow, { mode: 'manual' });
		await waitFor(() => server.openClients.length === 1, 2000, () => 'the manual trigger to connect');
		server.broadcast({ id: 'first', text: 'one' });
		server.broadcast({ id: 'second', text: 'two' });
		const run = await running;
		expect(run.status).toBe('success');
		expect(run.json('Probe Trigger').map((event) => event.messageId)).toEqual(['first']);
		await waitFor(() => server.openClients.length === 0, 2000, () => 'the manual trigger to close');
	});
});
