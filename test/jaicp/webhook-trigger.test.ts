import type { INodeParameters } from 'n8n-workflow';

import { JaicpEmulator } from '../emulators/jaicp';
import { waitFor } from '../helpers/wait';
import { WebhookServer } from '../helpers/webhook';
import { chain } from '../helpers/workflow-builder';
import { everything } from './setup';

const TOKEN = 'AbCdEfGh:0123456789abcdef0123456789abcdef01234567';

const hookWorkflow = (parameters: INodeParameters = {}, staticData?: object) => ({
	...chain({ name: 'JAICP Trigger', type: 'jaicpTrigger', webhookId: 'jaicp-hook', parameters }),
	...(staticData ? { staticData: JSON.parse(JSON.stringify(staticData)) } : {}),
});

const entry = (questionId: string, text: string, extra: object = {}) => ({
	token: TOKEN,
	clientId: 'client-7',
	questionId,
	data: {
		nlpClass: '/CatchAll',
		confidence: 0.4,
		replies: [{ type: 'text', text, state: '/CatchAll' }],
		answer: text,
		newSessionStarted: false,
		debugData: [],
		endSession: false,
	},
	timestamp: '2022-09-28T12:32:13.262',
	blockForm: false,
	...extra,
});

const post = async (url: string, body: unknown, headers: Record<string, string> = {}) =>
	await fetch(url, {
		method: 'POST',
		body: typeof body === 'string' ? body : JSON.stringify(body),
		headers: { 'content-type': 'application/json', ...headers },
	});

describe('JAICP Trigger (webhook)', () => {
	let server: WebhookServer | undefined;
	let emulator: JaicpEmulator | undefined;

	afterEach(async () => {
		await emulator?.close();
		await server?.close();
		server = emulator = undefined;
	});

	it('emits each event of the array once, as a ChatEvent with the time in UTC', async () => {
		server = await WebhookServer.start(hookWorkflow());
		const response = await post(server.url('JAICP Trigger'), [entry('q-1', 'Hi there'), entry('q-2', 'Second')]);
		expect(response.status).toBe(200);
		const [run] = await server.runs();
		expect(run.json('JAICP Trigger')).toEqual([
			expect.objectContaining({
				provider: 'jaicp',
				type: 'message',
				conversationId: 'client-7',
				messageId: 'q-1',
				from: { role: 'bot' },
				text: 'Hi there',
				timestamp: '2022-09-28T12:32:13.262Z',
			}),
			expect.objectContaining({ messageId: 'q-2', text: 'Second' }),
		]);
		expect(everything(run.run)).not.toContain(TOKEN);
		expect((run.json('JAICP Trigger')[0].raw as { token: string }).token).toBe('***');
	});

	it('emits each event once when the emulator delivers every reply three more times', async () => {
		server = await WebhookServer.start(hookWorkflow());
		emulator = await JaicpEmulator.start({ duplicateDeliveries: 3, webhookUrl: server.url('JAICP Trigger'), operatorGreeting: null });
		emulator.broadcast('client-a', 'Sale today');
		emulator.operatorSays('client-b', 'Operator here');
		await waitFor(() => emulator?.deliveries.length === 8, 5000, () => `8 deliveries (got ${emulator?.deliveries.length})`);
		await waitFor(() => !emulator?.webhookBusy, 2000, () => 'the deliveries to end');

		expect(emulator.deliveries.every((delivery) => delivery.status === 200)).toBe(true);
		const runs = await server.runs();
		expect(runs).toHaveLength(2);
		const texts = runs.flatMap((run) => run.json('JAICP Trigger').map((event) => event.text));
		expect(texts.sort()).toEqual(['Operator here', 'Sale today']);
		expect(server.calls.map((call) => call.statusCode)).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
	});

	it('makes JAICP retry a refused delivery (three more times), and emits once the secret is right', async () => {
		server = await WebhookServer.start(hookWorkflow({ secretCheck: 'query', queryParameterName: 'secret', secret: 'k3y' }));
		emulator = await JaicpEmulator.start({ webhookUrl: server.url('JAICP Trigger'), operatorGreeting: null });
		emulator.operatorSays('client-c', 'refused');
		await waitFor(() => emulator?.deliveries.length === 4 && !emulator.webhookBusy, 5000, () => '4 delivery attempts');
		expect(emulator.deliveries.map((delivery) => [delivery.attempt, delivery.status])).toEqual([
			[1, 401],
			[2, 401],
			[3, 401],
			[4, 401],
		]);
		expect(await server.runs()).toHaveLength(0);

		emulator.webhookUrl = `${server.url('JAICP Trigger')}?secret=k3y`;
		emulator.operatorSays('client-c', 'accepted');
		await waitFor(() => emulator?.deliveries.length === 5, 3000, () => 'the fifth delivery');
		const runs = await server.runs();
		expect(runs.map((run) => run.json('JAICP Trigger')[0].text)).toEqual(['accepted']);
	});

	it('still recognises a re-delivery after a restart, from the static data n8n keeps', async () => {
		server = await WebhookServer.start(hookWorkflow());
		await post(server.url('JAICP Trigger'), [entry('q-10', 'before restart')]);
		expect(await server.runs()).toHaveLength(1);
		const staticData = server.workflow.staticData;
		expect(staticData['node:JAICP Trigger']).toEqual({ seenQuestionIds: ['q-10'] });
		await server.close();

		server = await WebhookServer.start(hookWorkflow({}, staticData));
		const again = await post(server.url('JAICP Trigger'), [entry('q-10', 'before restart')]);
		expect(again.status).toBe(200);
		expect(await again.json()).toEqual({ message: 'Already received' });
		const mixed = await post(server.url('JAICP Trigger'), [entry('q-10', 'before restart'), entry('q-11', 'new one')]);
		expect(mixed.status).toBe(200);
		const runs = await server.runs();
		expect(runs).toHaveLength(1);
		expect(runs[0].json('JAICP Trigger').map((event) => event.messageId)).toEqual(['q-11']);
	});

	it('treats a numeric questionId and the same one as a string as one delivery', async () => {
		server = await WebhookServer.start(hookWorkflow());
		const url = server.url('JAICP Trigger');
		const numeric = { ...entry('x', 'Numbered'), questionId: 12345 };
		expect((await post(url, [numeric])).status).toBe(200);
		expect((await post(url, [numeric])).status).toBe(200);
		expect((await post(url, [entry('12345', 'Numbered')])).status).toBe(200);
		expect((await post(url, [{ ...entry('x', 'Only a question ID'), questionId: 777, data: undefined }])).status).toBe(200);
		const runs = await server.runs();
		expect(runs.flatMap((run) => run.json('JAICP Trigger').map((event) => [event.messageId, event.text ?? null]))).toEqual([
			['12345', 'Numbered'],
			['777', null],
		]);
	});

	it('forgets the oldest question IDs beyond its memory', async () => {
		server = await WebhookServer.start(hookWorkflow({ options: { memory: 10 } }));
		const url = server.url('JAICP Trigger');
		for (let index = 0; index < 12; index++) await post(url, [entry(`q-${index}`, `m${index}`)]);
		const remembered = (server.workflow.staticData['node:JAICP Trigger'] as { seenQuestionIds: string[] }).seenQuestionIds;
		expect(remembered).toEqual(Array.from({ length: 10 }, (_, index) => `q-${index + 2}`));
		await post(url, [entry('q-0', 'm0 again')]);
		await post(url, [entry('q-11', 'm11 again')]);
		const runs = await server.runs();
		expect(runs).toHaveLength(13);
	});

	it('checks a secret in the query or a header: 401 and no run without it', async () => {
		server = await WebhookServer.start(hookWorkflow({ secretCheck: 'query', queryParameterName: 'key', secret: 's3cret' }));
		const url = server.url('JAICP Trigger');
		expect((await post(url, [entry('q-1', 'x')])).status).toBe(401);
		const wrong = await post(`${url}?key=nope`, [entry('q-1', 'x')]);
		expect(wrong.status).toBe(401);
		expect(await wrong.json()).toEqual({ message: 'The webhook secret is wrong' });
		expect(await server.runs()).toHaveLength(0);
		expect((await post(`${url}?key=s3cret`, [entry('q-1', 'x')])).status).toBe(200);
		expect(await server.runs()).toHaveLength(1);
		await server.close();

		server = await WebhookServer.start(hookWorkflow({ secretCheck: 'header', headerName: 'X-Jaicp-Key', secret: 'h3ader' }));
		const headerUrl = server.url('JAICP Trigger');
		const missing = await post(headerUrl, [entry('q-2', 'y')]);
		expect(missing.status).toBe(401);
		expect(await missing.json()).toEqual({ message: 'The webhook secret is missing' });
		expect((await post(headerUrl, [entry('q-2', 'y')], { 'x-jaicp-key': 'h3ader' })).status).toBe(200);
		expect(await server.runs()).toHaveLength(1);
	});

	it('answers 400 with a clear message for a body that is not a JAICP event, and runs nothing', async () => {
		server = await WebhookServer.start(hookWorkflow());
		const url = server.url('JAICP Trigger');
		const notEvent = await post(url, { hello: 'world' });
		expect(notEvent.status).toBe(400);
		expect(await notEvent.json()).toEqual({
			message:
				'Not a JAICP Chat API event: entry 0 has no clientId. Expected an array of {clientId, questionId, data: {replies}} objects.',
		});
		const badEntry = await post(url, [entry('q-1', 'ok'), { clientId: 'c', data: 'text' }]);
		expect(badEntry.status).toBe(400);
		expect(((await badEntry.json()) as { message: string }).message).toContain('entry 1 has a data field that is not an object');
		const scalar = await post(url, [42]);
		expect(((await scalar.json()) as { message: string }).message).toContain('entry 0 is not a JSON object');
		expect(await server.runs()).toHaveLength(0);
		expect(server.workflow.staticData['node:JAICP Trigger']).toBeUndefined();
	});

	it('leaves unparsable JSON to n8n, which answers 422 before the node runs', async () => {
		server = await WebhookServer.start(hookWorkflow());
		const response = await post(server.url('JAICP Trigger'), '[{"clientId": "c",');
		expect(response.status).toBe(422);
		expect(await server.runs()).toHaveLength(0);
	});

	it('acknowledges an empty array without running the workflow', async () => {
		server = await WebhookServer.start(hookWorkflow());
		const response = await post(server.url('JAICP Trigger'), []);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ message: 'No events' });
		expect(await server.runs()).toHaveLength(0);
	});

	it('splits per reply, with a switch as escalation, or outputs the raw entries', async () => {
		server = await WebhookServer.start(hookWorkflow({ options: { split: 'reply' } }));
		const handover = entry('q-20', 'Connecting…');
		handover.data.replies.push({ type: 'switch', text: undefined as unknown as string, state: '/Operator' });
		await post(server.url('JAICP Trigger'), [handover, entry('q-21', 'Bye', { data: { replies: [{ type: 'hangup' }], endSession: true } })]);
		const [run] = await server.runs();
		expect(run.json('JAICP Trigger').map((event) => [event.messageId, event.type])).toEqual([
			['q-20', 'message'],
			['q-20', 'escalation'],
			['q-21', 'session_ended'],
		]);
		await server.close();

		server = await WebhookServer.start(hookWorkflow({ options: { rawOutput: true } }));
		await post(server.url('JAICP Trigger'), [entry('q-30', 'raw')]);
		const [raw] = await server.runs();
		expect(raw.json('JAICP Trigger')).toEqual([{ ...entry('q-30', 'raw'), token: '***' }]);
	});

	it('accepts a single event object as well as an array', async () => {
		server = await WebhookServer.start(hookWorkflow());
		const response = await post(server.url('JAICP Trigger'), entry('q-40', 'single'));
		expect(response.status).toBe(200);
		const [run] = await server.runs();
		expect(run.json('JAICP Trigger')).toEqual([expect.objectContaining({ messageId: 'q-40', text: 'single' })]);
	});
});
