import { waitFor } from '../helpers/wait';
import { everything, runJaicp, useEmulator } from './setup';

const emulator = useEmulator({ longPollMs: 10_000, operatorDelayMs: 20 });

describe('JAICP Events: Get', () => {
	it('long polls /events and returns the operator reply as an agent ChatEvent', async () => {
		await runJaicp(emulator(), { resource: 'message', operation: 'send', clientId: 'e1', query: 'operator' });
		const since = Date.now() - 60_000;
		const run = await runJaicp(emulator(), {
			resource: 'events',
			operation: 'get',
			clientId: 'e1',
			options: { ts: String(since), waitSeconds: 5 },
		});
		const [call] = emulator().calls('GET', '/chatapi/{token}/events');
		expect(call.query).toEqual({ clientId: 'e1', ts: String(since) });
		// Operator replies only (the default filter): the bot's own replies are not among them.
		expect(run.json('Action')).toEqual([
			expect.objectContaining({
				provider: 'jaicp',
				type: 'message',
				conversationId: 'e1',
				from: { role: 'agent' },
				text: 'Hello, this is Anna from support. How can I help?',
			}),
		]);
		expect(run.output('Action')[0].pairedItem).toEqual({ item: 0 });
	});

	it('with All Channel Events returns the bot replies too, as bot events; ts and cid are sent', async () => {
		await runJaicp(emulator(), {
			resource: 'message',
			operation: 'send',
			clientId: 'e2',
			query: 'menu',
			additionalFields: { cid: 'tab-9' },
		});
		const run = await runJaicp(emulator(), {
			resource: 'events',
			operation: 'get',
			clientId: 'e2',
			options: { all: true, cid: 'tab-9', ts: '2020-01-01T00:00:00Z', split: 'request' },
		});
		expect(emulator().calls('GET', '/chatapi/{token}/events')[0].query).toEqual({
			clientId: 'e2',
			all: 'true',
			cid: 'tab-9',
			ts: String(Date.parse('2020-01-01T00:00:00Z')),
		});
		expect(run.json('Action')).toEqual([
			expect.objectContaining({ from: { role: 'bot' }, text: 'What would you like?', buttons: expect.any(Array) }),
		]);
	});

	it('returns no items once the wait is over, and does not keep the poll open', async () => {
		const started = Date.now();
		const run = await runJaicp(emulator(), {
			resource: 'events',
			operation: 'get',
			clientId: 'quiet',
			options: { waitSeconds: 1 },
		});
		const took = Date.now() - started;
		expect(run.status).toBe('success');
		expect(run.output('Action')).toEqual([]);
		expect(took).toBeGreaterThanOrEqual(900);
		expect(took).toBeLessThan(5000); // the emulator would have answered only after 10 s
		// The aborted request is gone from the server too.
		await waitFor(() => emulator().pendingPolls === 0, 3000, () => 'the server to see the poll closed');
	});

	it('outputs the raw events with the token masked', async () => {
		emulator().operatorSays('e3', 'raw hello');
		const run = await runJaicp(emulator(), {
			resource: 'events',
			operation: 'get',
			clientId: 'e3',
			options: { ts: '0', rawOutput: true },
		});
		expect(run.json('Action')).toEqual([
			{ type: 'botResponse', event: expect.objectContaining({ token: '***', clientId: 'e3', data: expect.any(Object) }) },
		]);
		expect(everything(run.run)).not.toContain(emulator().token);
	});

	it('rejects a Since that is neither a number nor a date', async () => {
		const run = await runJaicp(emulator(), { resource: 'events', operation: 'get', clientId: 'e4', options: { ts: 'yesterday-ish' } });
		expect(run.nodeError('Action')?.message).toBe('Since is neither epoch milliseconds nor a date: "yesterday-ish"');
		expect(emulator().requests).toHaveLength(0);
	});
});

describe('JAICP History: Get', () => {
	const seed = async (count: number) => {
		await runJaicp(
			emulator(),
			{ resource: 'message', operation: 'send', clientId: 'h1', query: '={{ $json.q }}' },
			{ items: Array.from({ length: count }, (_, index) => ({ q: `message ${index}` })) },
		);
	};

	it('returns the client query and the bot reply of every entry, across pages with Return All', async () => {
		await seed(130);
		const run = await runJaicp(emulator(), { resource: 'history', operation: 'get', clientId: 'h1', returnAll: true });
		const pages = emulator().calls('GET', '/chatapi/{token}/client/h1/history');
		expect(pages.map((call) => call.query)).toEqual([
			{ page: '0', size: '100' },
			{ page: '1', size: '100' },
		]);
		const events = run.json('Action');
		expect(events).toHaveLength(260);
		expect(events[0]).toMatchObject({ from: { role: 'customer' }, text: 'message 0', conversationId: 'h1' });
		expect(events[1]).toMatchObject({ from: { role: 'bot' }, text: 'You said: message 0' });
		expect(events[259]).toMatchObject({ text: 'You said: message 129' });
	});

	it('stops at the limit and sends the period', async () => {
		await seed(5);
		const from = '2020-01-01T00:00:00.000Z';
		const to = new Date(Date.now() + 60_000).toISOString();
		const run = await runJaicp(emulator(), {
			resource: 'history',
			operation: 'get',
			clientId: 'h1',
			limit: 2,
			options: { from, to, rawOutput: true },
		});
		expect(emulator().calls('GET', '/chatapi/{token}/client/h1/history')[0].query).toEqual({
			from: String(Date.parse(from)),
			to: String(Date.parse(to)),
			page: '0',
			size: '2',
		});
		expect(run.json('Action').map((entry) => entry.query)).toEqual(['message 0', 'message 1']);
	});

	it('gives nothing for a period without messages', async () => {
		await seed(2);
		const run = await runJaicp(emulator(), {
			resource: 'history',
			operation: 'get',
			clientId: 'h1',
			returnAll: true,
			options: { to: '2020-01-01T00:00:00.000Z' },
		});
		expect(run.output('Action')).toEqual([]);
	});
});

describe('JAICP Chat State', () => {
	it('saves an object and loads it back', async () => {
		const state = { step: 3, cart: [{ sku: 'A1', qty: 2 }], nested: { ok: true } };
		const saved = await runJaicp(emulator(), {
			resource: 'chatState',
			operation: 'save',
			clientId: 's1',
			state: JSON.stringify(state),
		});
		expect(saved.json('Action')).toEqual([{ clientId: 's1', saved: true, state }]);
		expect(emulator().calls('POST', '/chatapi/{token}/client/s1/state')[0].body).toEqual(state);
		expect(emulator().stateOf('s1')).toEqual(state);

		const loaded = await runJaicp(emulator(), { resource: 'chatState', operation: 'load', clientId: 's1' });
		expect(loaded.json('Action')).toEqual([{ clientId: 's1', state }]);
	});

	it('refuses a state that is not a JSON object', async () => {
		const run = await runJaicp(emulator(), { resource: 'chatState', operation: 'save', clientId: 's2', state: '"text"' });
		expect(run.nodeError('Action')?.message).toBe('State (JSON) must be a JSON object');
	});
});

describe('JAICP Message Status and Unread Count', () => {
	const sendTwo = async () => {
		await runJaicp(
			emulator(),
			{ resource: 'message', operation: 'send', clientId: 'm1', query: '={{ $json.q }}' },
			{ items: [{ q: 'one' }, { q: 'two' }] },
		);
		return emulator().historyOf('m1').map((entry) => entry.questionId);
	};

	it('gets and updates one status, updates many, and counts the unread ones', async () => {
		const [first, second] = await sendTwo();
		const unread = await runJaicp(emulator(), { resource: 'unreadCount', operation: 'get', clientId: 'm1' });
		expect(unread.json('Action')).toEqual([{ clientId: 'm1', count: 2 }]);

		const got = await runJaicp(emulator(), { resource: 'messageStatus', operation: 'get', clientId: 'm1', questionId: first });
		expect(got.json('Action')).toEqual([{ clientId: 'm1', questionId: first, status: 'SENT' }]);

		const updated = await runJaicp(emulator(), {
			resource: 'messageStatus',
			operation: 'update',
			clientId: 'm1',
			questionId: first,
			status: 'DELIVERED',
		});
		expect(updated.json('Action')).toEqual([{ clientId: 'm1', questionId: first, status: 'DELIVERED' }]);
		expect(emulator().calls('POST', `/chatapi/{token}/client/m1/message/${first}/status`)[0].body).toEqual({ status: 'DELIVERED' });

		const many = await runJaicp(emulator(), {
			resource: 'messageStatus',
			operation: 'updateMany',
			clientId: 'm1',
			statuses: { status: [{ questionId: first, status: 'READ' }, { questionId: second, status: 'READ' }] },
		});
		expect(emulator().calls('POST', '/chatapi/{token}/client/m1/message-statuses')[0].body).toEqual({
			statuses: [
				{ questionId: first, status: 'READ' },
				{ questionId: second, status: 'READ' },
			],
		});
		expect(many.json('Action')).toEqual([
			{ clientId: 'm1', statuses: [{ questionId: first, status: 'READ' }, { questionId: second, status: 'READ' }], updated: 2 },
		]);
		expect(emulator().statusOf('m1', second)).toBe('READ');

		const none = await runJaicp(emulator(), { resource: 'unreadCount', operation: 'get', clientId: 'm1' });
		expect(none.json('Action')).toEqual([{ clientId: 'm1', count: 0 }]);
	});

	it('reports an unknown message as a 404 and refuses bad statuses before calling JAICP', async () => {
		const missing = await runJaicp(emulator(), { resource: 'messageStatus', operation: 'get', clientId: 'm1', questionId: 'nope' });
		expect(missing.nodeError('Action')).toMatchObject({ httpCode: '404', message: 'Message nope of client m1 not found [404]' });

		const calls = emulator().requests.length;
		const bad = await runJaicp(emulator(), {
			resource: 'messageStatus',
			operation: 'update',
			clientId: 'm1',
			questionId: 'q',
			status: '={{ "SEEN" }}',
		});
		expect(bad.nodeError('Action')?.message).toBe('Status must be one of SENT, DELIVERED, READ, NOT_SENT, not "SEEN"');
		const empty = await runJaicp(emulator(), { resource: 'messageStatus', operation: 'updateMany', clientId: 'm1', statuses: {} });
		expect(empty.nodeError('Action')?.message).toBe('Statuses needs at least one entry');
		const noId = await runJaicp(emulator(), {
			resource: 'messageStatus',
			operation: 'updateMany',
			clientId: 'm1',
			statuses: { status: [{ questionId: '', status: 'READ' }] },
		});
		expect(noId.nodeError('Action')?.message).toBe('Statuses entry 1 has no Question ID');
		expect(emulator().requests).toHaveLength(calls);
	});
});
