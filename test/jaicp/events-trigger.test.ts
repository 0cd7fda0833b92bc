import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { JaicpEmulator } from '../emulators/jaicp';
import { startTrigger, type TriggerHandle } from '../helpers/trigger';
import { delay, waitFor } from '../helpers/wait';
import { chain } from '../helpers/workflow-builder';
import { credentialsFor, everything } from './setup';

const triggerWorkflow = (parameters: INodeParameters, staticData?: IDataObject) => ({
	...chain({ name: 'JAICP Events Trigger', type: 'jaicpEventsTrigger', parameters }),
	...(staticData ? { staticData: JSON.parse(JSON.stringify(staticData)) as IDataObject } : {}),
});

/** Open sockets and servers by kind. */
const socketCounts = () => {
	const counts: Record<string, number> = {};
	for (const name of process.getActiveResourcesInfo()) if (/TCP|Pipe|Socket/.test(name)) counts[name] = (counts[name] ?? 0) + 1;
	return counts;
};

/** Records every timer set from now on; `pending()` lists those neither fired nor cleared. */
function recordTimers() {
	const original = global.setTimeout;
	const created: Array<{ timer: NodeJS.Timeout; delay?: number }> = [];
	global.setTimeout = ((handler: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => {
		const timer = original(handler, delay, ...args);
		created.push({ timer, delay });
		return timer;
	}) as typeof setTimeout;
	return {
		pending: () =>
			created
				.filter(({ timer }) => !(timer as unknown as { _destroyed: boolean })._destroyed)
				.map(({ delay }) => `a timer of ${delay} ms`),
		restore: () => {
			global.setTimeout = original;
		},
	};
}

const texts = (trigger: TriggerHandle) => trigger.json.map((event) => event.text);

describe('JAICP Events Trigger (long polling)', () => {
	let emulator: JaicpEmulator;
	let trigger: TriggerHandle | undefined;

	const start = async (parameters: INodeParameters = {}, options: { staticData?: IDataObject; mode?: 'trigger' | 'manual' } = {}) => {
		trigger = await startTrigger(triggerWorkflow({ clientId: 'client-1', ...parameters }, options.staticData), {
			credentials: credentialsFor(emulator),
			mode: options.mode,
		});
		return trigger;
	};
	const polling = async () => await waitFor(() => emulator.pendingPolls === 1, 3000, () => 'a pending long poll');

	beforeEach(async () => {
		emulator = await JaicpEmulator.start({ longPollMs: 1500, operatorDelayMs: 10 });
	});

	afterEach(async () => {
		await trigger?.close();
		trigger = undefined;
		await emulator.close();
	});

	it('emits operator replies as they come, carrying ts forward so nothing is fetched twice', async () => {
		await start();
		await polling();
		const first = emulator.operatorSays('client-1', 'Hi, I am Anna');
		await trigger!.waitForItems(1);
		emulator.operatorSays('client-1', 'How can I help?');
		emulator.operatorSays('client-1', 'Still there?');
		await trigger!.waitForItems(3);
		await polling(); // the next poll is open again, after the events were handled

		expect(texts(trigger!)).toEqual(['Hi, I am Anna', 'How can I help?', 'Still there?']);
		expect(trigger!.json[0]).toMatchObject({
			provider: 'jaicp',
			type: 'message',
			conversationId: 'client-1',
			messageId: first.questionId,
			from: { role: 'agent' },
		});
		const polls = emulator.calls('GET', '/chatapi/{token}/events');
		const sent = polls.map((call) => Number(call.query.ts));
		expect(polls.every((call) => call.query.clientId === 'client-1')).toBe(true);
		expect(sent).toEqual([...sent].sort((a, b) => a - b));
		// After an event, its millisecond is asked again (from one before, for a server that excludes ts):
		// more events may be stored in it after the answer that held the first.
		expect(sent[1]).toBe(Date.parse(`${first.timestamp}Z`) - 1);
		expect(everything(trigger!.emitted)).not.toContain(emulator.token);
	});

	it('loses nothing and repeats nothing across emulator restarts', async () => {
		await start();
		await polling();
		emulator.operatorSays('client-1', 'one');
		await trigger!.waitForItems(1);

		await emulator.stop(); // the pending long poll is cut
		emulator.operatorSays('client-1', 'two (while down)');
		emulator.operatorSays('client-1', 'three (while down)');
		await delay(300);
		await emulator.restart();
		emulator.operatorSays('client-1', 'four');
		await trigger!.waitForItems(4, 8000);

		await emulator.restart();
		emulator.operatorSays('client-1', 'five');
		await trigger!.waitForItems(5, 8000);
		await polling();
		await delay(100);

		expect(texts(trigger!)).toEqual(['one', 'two (while down)', 'three (while down)', 'four', 'five']);
		expect(trigger!.errors).toEqual([]);
	});

	it('backs off on server errors and carries on once the server is well', async () => {
		emulator.failNext(4, 500, { message: 'internal' }, { route: /\/events$/ });
		await start();
		await delay(5); // the trigger follows events from its activation on: this one comes after it
		emulator.operatorSays('client-1', 'after the errors');
		await trigger!.waitForItems(1, 8000);

		const polls = emulator.calls('GET', '/chatapi/{token}/events');
		expect(polls.length).toBeGreaterThanOrEqual(5);
		expect(trigger!.errors).toEqual([]);
		expect(texts(trigger!)).toEqual(['after the errors']);
	});

	it('waits longer after each failure (jittered exponential backoff)', async () => {
		const stamps: number[] = [];
		emulator.failNext(4, 503, { message: 'maintenance' }, { route: /\/events$/ });
		const original = emulator.requests.push.bind(emulator.requests);
		emulator.requests.push = (...entries) => {
			for (const entry of entries) if (entry.route.endsWith('/events')) stamps.push(Date.now());
			return original(...entries);
		};
		await start();
		await waitFor(() => stamps.length >= 5, 8000, () => '5 polls');
		const gaps = stamps.slice(1, 5).map((stamp, index) => stamp - stamps[index]);
		// Equal jitter on 200, 400, 800, 1600 ms: each wait is at least half its step.
		expect(gaps[0]).toBeGreaterThanOrEqual(90);
		expect(gaps[1]).toBeGreaterThanOrEqual(190);
		expect(gaps[2]).toBeGreaterThanOrEqual(390);
		expect(gaps[3]).toBeGreaterThanOrEqual(790);
	});

	it('reports a refused token to n8n (emitError) and stops polling', async () => {
		await start();
		await polling();
		emulator.failNext(1, 401, { message: `Unknown Chat API channel token in /chatapi/${emulator.token}/events` }, { route: /\/events$/ });
		await emulator.restart(); // cuts the pending poll; the next one is refused
		const error = await trigger!.waitForError(5000);
		expect(error.message).toBe('Unknown Chat API channel token in /chatapi/***/events [401]');
		expect(everything(error)).not.toContain(emulator.token);
		const polls = emulator.calls('GET', '/chatapi/{token}/events').length;
		await delay(400);
		expect(emulator.calls('GET', '/chatapi/{token}/events')).toHaveLength(polls);
	});

	it('fails activation at once for a wrong token, without showing it', async () => {
		const wrong = 'WrOnGtOk:ffffffffffffffffffffffffffffffffffffffff';
		const attempt = startTrigger(triggerWorkflow({ clientId: 'client-1' }), { credentials: credentialsFor(emulator, wrong) });
		await expect(attempt).rejects.toThrow('The Chat API refused the token (401)');
		const error = await attempt.catch((caught: unknown) => caught);
		expect(everything(error)).not.toContain(wrong);
		expect(emulator.calls('GET', '/chatapi/{token}/events')).toHaveLength(0);
	});

	it('starts for a client that has never written (client routes answer 404 for it) and gets its first message', async () => {
		const clientRoutes = await fetch(`${emulator.baseUrl}/${emulator.token}/client/client-1/message-not-read-count`);
		expect(clientRoutes.status).toBe(404);
		await start();
		await polling();
		expect(emulator.requests.map((request) => request.route).slice(1, 3)).toEqual(['/chatapi/{token}', '/chatapi/{token}/events']);
		emulator.operatorSays('client-1', 'first words');
		await trigger!.waitForItems(1);
		expect(texts(trigger!)).toEqual(['first words']);
		expect(trigger!.errors).toEqual([]);
	});

	it('closes promptly while a long poll is pending, and leaves nothing open', async () => {
		await emulator.close();
		await delay(50);
		const socketsBefore = socketCounts();
		const timers = recordTimers();
		try {
			emulator = await JaicpEmulator.start({ longPollMs: 20_000 });
			await start();
			await polling();

			const started = Date.now();
			await trigger!.close();
			const took = Date.now() - started;
			trigger = undefined;
			expect(took).toBeLessThan(1000);
			await waitFor(() => emulator.pendingPolls === 0, 3000, () => 'the server to see the poll closed');
			const polls = emulator.calls('GET', '/chatapi/{token}/events').length;
			emulator.operatorSays('client-1', 'too late');
			await delay(200);
			expect(emulator.calls('GET', '/chatapi/{token}/events')).toHaveLength(polls);

			// With the emulator gone too, no socket is left beyond those there before, and no timer set since is pending.
			await emulator.stop();
			await delay(50);
			expect(socketCounts()).toEqual(socketsBefore);
			expect(timers.pending()).toEqual([]);
		} finally {
			timers.restore();
		}
	});

	it('in manual mode resolves on the first event and emits it', async () => {
		await start({}, { mode: 'manual' });
		const manual = trigger!.runManual();
		await polling();
		emulator.operatorSays('client-1', 'test event');
		await manual;
		expect(trigger!.emissions).toHaveLength(1);
		expect(texts(trigger!)).toEqual(['test event']);
	});

	it('resumes after a restart of the workflow from its static data, or starts from now when told', async () => {
		await start();
		await polling();
		emulator.operatorSays('client-1', 'seen before');
		await trigger!.waitForItems(1);
		const staticData = trigger!.workflow.staticData;
		await trigger!.close();
		trigger = undefined;

		emulator.operatorSays('client-1', 'while inactive');
		await start({}, { staticData });
		await trigger!.waitForItems(1);
		await polling();
		expect(texts(trigger!)).toEqual(['while inactive']);
		await trigger!.close();
		trigger = undefined;

		emulator.operatorSays('client-1', 'missed on purpose');
		await start({ options: { resume: false } }, { staticData });
		await polling();
		emulator.operatorSays('client-1', 'fresh');
		await trigger!.waitForItems(1);
		await delay(100);
		expect(texts(trigger!)).toEqual(['fresh']);
	});

	it('follows all channel events of one connection, one item per event, or raw', async () => {
		await start({ options: { all: true, cid: 'tab-1', split: 'request' } });
		await polling();
		expect(emulator.calls('GET', '/chatapi/{token}/events')[0].query).toMatchObject({ all: 'true', cid: 'tab-1' });
		const response = await fetch(`${emulator.baseUrl}/${emulator.token}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ clientId: 'client-1', query: 'menu', cid: 'tab-1' }),
		});
		expect(response.status).toBe(200);
		await trigger!.waitForItems(1);
		expect(trigger!.json[0]).toMatchObject({ from: { role: 'bot' }, text: 'What would you like?', buttons: [{ title: 'Prices' }, { title: 'Website' }] });
		await trigger!.close();

		await start({ options: { rawOutput: true } });
		await polling();
		emulator.operatorSays('client-1', 'raw');
		await trigger!.waitForItems(1);
		expect(trigger!.json[0]).toEqual({ type: 'botResponse', event: expect.objectContaining({ token: '***', clientId: 'client-1' }) });
	});
});
