import type { INodeParameters } from 'n8n-workflow';

import { startTrigger, type TriggerHandle } from '../helpers/trigger';
import { delay, waitFor } from '../helpers/wait';
import { runWorkflow } from '../helpers/workflow';
import { conciergeAction, conciergeTrigger, credentialsFor, TOKEN, useEmulator } from './setup';

describe('Concierge Trigger', () => {
	const emulator = useEmulator();
	let trigger: TriggerHandle | undefined;

	afterEach(async () => {
		await trigger?.close();
		trigger = undefined;
	});

	const start = async (parameters: INodeParameters, credentials = credentialsFor(emulator.current)) => {
		trigger = await startTrigger(conciergeTrigger(parameters), { credentials });
		return trigger;
	};

	it('emits a concierge message as a ChatEvent, with ids and epoch-ms strings normalized', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const handle = await start({ follow: 'ids', chatSessionIds: chatSessionId });
		const message = emulator.current.conciergeSend(chatSessionId, 'Your parcel is at the front desk');
		const [item] = await handle.waitForItems(1);
		expect(item.json).toEqual({
			provider: 'concierge',
			type: 'message',
			conversationId: chatSessionId,
			messageId: message.id,
			from: { role: 'agent', id: '32314' },
			text: 'Your parcel is at the front desk',
			attachments: [],
			status: 'delivered',
			timestamp: new Date(Number(message.sentAt)).toISOString(),
			replyTo: { provider: 'concierge', conversationId: chatSessionId },
			raw: message,
		});
		expect(emulator.current.frames('client/init-chat-with-concierge')[0].body).toEqual({ newSession: false, chatSessionId });
	});

	it('reads pushed frames whose data is under `body` too', async () => {
		await emulator.restart({ pushKey: 'body' });
		const { chatSessionId } = emulator.current.createSession();
		const handle = await start({ follow: 'ids', chatSessionIds: chatSessionId });
		emulator.current.conciergeSend(chatSessionId, 'body-shaped');
		await handle.waitForItems(1);
		expect(handle.json[0].text).toBe('body-shaped');
	});

	it('leaves out the tenant’s own messages unless asked, and outputs raw payloads when asked', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const handle = await start({ follow: 'ids', chatSessionIds: chatSessionId, conciergeOnly: false, options: { rawOutput: true } });
		const mine = emulator.current.tenantSend(chatSessionId, 'from the app');
		const theirs = emulator.current.conciergeSend(chatSessionId, 'answer');
		await handle.waitForItems(2);
		expect(handle.json).toEqual([mine, theirs]);

		const onlyConcierge = await startTrigger(conciergeTrigger({ follow: 'ids', chatSessionIds: chatSessionId }), {
			credentials: credentialsFor(emulator.current),
		});
		try {
			emulator.current.tenantSend(chatSessionId, 'again from the app');
			const reply = emulator.current.conciergeSend(chatSessionId, 'again');
			await onlyConcierge.waitForItems(1);
			await delay(50);
			expect(onlyConcierge.json.map((event) => event.messageId)).toEqual([reply.id]);
		} finally {
			await onlyConcierge.close();
		}
	});

	it('emits session updates, unsent messages and the end of a session, then stops pinging it', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const handle = await start({
			follow: 'ids',
			chatSessionIds: chatSessionId,
			events: ['chatMessage', 'chatSessionUpdate', 'chatMessageDelete'],
			options: { pingInterval: 0.05 },
		});
		emulator.current.conciergeJoin(chatSessionId, '555');
		const message = emulator.current.conciergeSend(chatSessionId, 'wrong chat, sorry');
		emulator.current.unsend(message.id);
		emulator.current.unsend(message.id); // delivered twice: emitted once
		emulator.current.conciergeEnd(chatSessionId);
		await handle.waitForItems(4);
		await delay(100);
		expect(handle.json.map((event) => [event.type, event.status, event.messageId])).toEqual([
			['status', 'joined', undefined],
			['message', 'delivered', message.id],
			['message_deleted', undefined, message.id],
			['session_ended', 'closed', undefined],
		]);
		expect(handle.json[0]).toMatchObject({ conversationId: chatSessionId, from: { role: 'agent', id: '555' } });
		// The delete frame names only the message: the session comes from the message seen before.
		expect(handle.json[2]).toMatchObject({ conversationId: chatSessionId, from: { role: 'system' } });
		const pings = emulator.current.frames('client/ping-on-chat-session').length;
		await delay(200);
		expect(emulator.current.frames('client/ping-on-chat-session').length).toBe(pings);
	});

	it('notices a session closed while disconnected, once, and keeps following the others', async () => {
		const first = emulator.current.createSession();
		const second = emulator.current.createSession();
		const handle = await start({
			follow: 'ids',
			chatSessionIds: `${first.chatSessionId}, ${second.chatSessionId}`,
			events: ['chatMessage', 'chatSessionUpdate'],
		});
		emulator.current.dropAll();
		emulator.current.conciergeEnd(first.chatSessionId); // nobody hears this push
		await waitFor(() => emulator.current.connectionsOpened === 2, 3000, () => 'the reconnect');
		const message = emulator.current.conciergeSend(second.chatSessionId, 'still open here');
		await handle.waitForItems(2);
		expect(handle.json.map((event) => [event.type, event.conversationId])).toEqual([
			['session_ended', first.chatSessionId],
			['message', second.chatSessionId],
		]);
		expect(handle.json[1].messageId).toBe(message.id);
		emulator.current.dropAll();
		await waitFor(() => emulator.current.connectionsOpened === 3, 3000, () => 'the second reconnect');
		await delay(100);
		expect(handle.emitted).toHaveLength(2);
		const resumedAfterSecondDrop = emulator.current.frames('client/init-chat-with-concierge').slice(-1)[0];
		expect(resumedAfterSecondDrop.body.chatSessionId).toBe(second.chatSessionId);
	});

	it('skips malformed and unknown frames', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const handle = await start({ follow: 'ids', chatSessionIds: chatSessionId });
		emulator.current.pushRaw('{not json');
		emulator.current.pushRaw(JSON.stringify({ message: 'Forbidden', connectionId: 'c', requestId: 'r' }));
		emulator.current.pushRaw(JSON.stringify({ channel: `chat-message-${chatSessionId}`, payload: { chatSessionId } }));
		emulator.current.pushRaw(JSON.stringify({ channel: 'chat-message-other', payload: { chatMessage: { id: '999', chatSessionId: 'other' } } }));
		emulator.current.pushRaw(JSON.stringify({ channel: 'client/send-message', status: 200, body: {} }));
		const message = emulator.current.conciergeSend(chatSessionId, 'after the noise');
		await handle.waitForItems(1);
		await delay(50);
		expect(handle.json.map((event) => event.messageId)).toEqual([message.id]);
		expect(handle.errors).toEqual([]);
	});

	it('catches up with a service that lists messages newest first', async () => {
		await emulator.restart({ messageOrder: 'desc', maxPageSize: 4 });
		const { chatSessionId } = emulator.current.createSession();
		for (let index = 0; index < 9; index++) emulator.current.conciergeSend(chatSessionId, `old ${index}`);
		const handle = await start({ follow: 'ids', chatSessionIds: chatSessionId });
		emulator.current.dropAll();
		const missed = Array.from({ length: 6 }, (_, index) => emulator.current.conciergeSend(chatSessionId, `missed ${index}`).id);
		await handle.waitForItems(6);
		await delay(100);
		expect(handle.json.map((event) => event.messageId)).toEqual(missed);
	});

	it('starts a new session when asked, emits session_started with its id, and follows it', async () => {
		const handle = await start({ follow: 'new' });
		const [started] = await handle.waitForItems(1);
		const chatSessionId = String(started.json.conversationId);
		expect(started.json).toMatchObject({ provider: 'concierge', type: 'session_started', from: { role: 'customer' } });
		expect(emulator.current.sessions.has(chatSessionId)).toBe(true);
		emulator.current.dropAll();
		await waitFor(() => emulator.current.connectionsOpened === 2, 3000, () => 'the reconnect');
		emulator.current.conciergeSend(chatSessionId, 'welcome');
		await handle.waitForItems(2);
		expect(handle.json[1]).toMatchObject({ type: 'message', conversationId: chatSessionId, text: 'welcome' });
		expect(emulator.current.frames('client/init-chat-with-concierge').map((frame) => frame.body)).toEqual([
			{ newSession: true },
			{ newSession: false, chatSessionId },
		]);
	});

	it('follows every session the service delivers to the connection, including ones the action node starts', async () => {
		await emulator.restart({ pushScope: 'tenant' });
		const handle = await start({ follow: 'all' });
		const started = await runWorkflow(conciergeAction({ resource: 'chatSession', operation: 'start' }), {
			credentials: credentialsFor(emulator.current),
		});
		const chatSessionId = String(started.json('Action')[0].chatSessionId);
		const first = emulator.current.conciergeSend(chatSessionId, 'hello from the desk');
		await handle.waitForItems(1);
		emulator.current.dropAll();
		const missed = emulator.current.conciergeSend(chatSessionId, 'sent while you were away');
		await handle.waitForItems(2);
		expect(handle.json.map((event) => event.messageId)).toEqual([first.id, missed.id]);
		// The trigger resumed the session it had heard of on its new connection.
		expect(emulator.current.frames('client/init-chat-with-concierge').slice(-1)[0].body).toEqual({ newSession: false, chatSessionId });
	});

	it('resolves a test run on the first message', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const workflow = conciergeTrigger({ follow: 'ids', chatSessionIds: chatSessionId });
		const running = runWorkflow(workflow, { mode: 'manual', credentials: credentialsFor(emulator.current) });
		await waitFor(() => emulator.current.frames('client/get-chat-messages').length === 1, 3000, () => 'the trigger to follow');
		emulator.current.conciergeSend(chatSessionId, 'first');
		emulator.current.conciergeSend(chatSessionId, 'second');
		const result = await running;
		expect(result.json('Concierge Trigger').map((event) => event.text)).toEqual(['first']);
		await waitFor(() => emulator.current.openConnections === 0, 2000, () => 'the test run to disconnect');
	});

	it('resolves a test run with an event that comes while the trigger is still connecting', async () => {
		// "A new chat session" emits session_started during activation, before n8n has wired up emit.
		const result = await runWorkflow(conciergeTrigger({ follow: 'new' }), {
			mode: 'manual',
			credentials: credentialsFor(emulator.current),
		});
		expect(result.status).toBe('success');
		const [event] = result.json('Concierge Trigger');
		expect(event).toMatchObject({ type: 'session_started' });
		expect(emulator.current.sessions.has(String(event.conversationId))).toBe(true);
		await waitFor(() => emulator.current.openConnections === 0, 2000, () => 'the test run to disconnect');
	});

	it('fails activation clearly: refused token, closed sessions, no sessions listed', async () => {
		const refused = start({ follow: 'ids', chatSessionIds: 'x' }, credentialsFor(emulator.current, { accessToken: 'stolen-token-987654' }));
		await expect(refused).rejects.toThrow('Invalid token: WebSocket upgrade refused with HTTP 401 (the credentials were refused)');
		await refused.catch((error: Error) => expect(JSON.stringify({ ...error, message: error.message })).not.toContain('stolen-token-987654'));

		const { chatSessionId } = emulator.current.createSession();
		emulator.current.conciergeEnd(chatSessionId);
		await expect(start({ follow: 'ids', chatSessionIds: chatSessionId })).rejects.toThrow(
			`Chat session ${chatSessionId} is closed: a closed session cannot be followed`,
		);
		await expect(start({ follow: 'ids', chatSessionIds: 'gone' })).rejects.toThrow(
			'Chat session gone could not be resumed: Chat session not found [404]',
		);
		await expect(start({ follow: 'ids', chatSessionIds: ' , ' })).rejects.toThrow(
			'Chat Session IDs is empty: list at least one session to follow',
		);
		await waitFor(
			() => emulator.current.openConnections === 0,
			2000,
			() => `every refused trigger to disconnect (open: ${emulator.current.describeOpenConnections()})`,
		);
	});

	it('follows the open sessions of a list that also names a closed one', async () => {
		const closed = emulator.current.createSession();
		emulator.current.conciergeEnd(closed.chatSessionId);
		const open = emulator.current.createSession();
		const handle = await start({ follow: 'ids', chatSessionIds: `${closed.chatSessionId},${open.chatSessionId}` });
		emulator.current.conciergeSend(open.chatSessionId, 'hi');
		await handle.waitForItems(1);
		expect(handle.json[0].conversationId).toBe(open.chatSessionId);
		expect(emulator.current.frames('client/init-chat-with-concierge').map((frame) => frame.body.chatSessionId)).toEqual([
			closed.chatSessionId,
			open.chatSessionId,
		]);
	});

	it('reports to n8n when the token is refused on a reconnect, so the workflow can be re-activated', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const handle = await start({ follow: 'ids', chatSessionIds: chatSessionId });
		emulator.current.revoke(TOKEN);
		emulator.current.dropAll();
		const error = await handle.waitForError(3000);
		expect(error.message).toBe('Invalid token: WebSocket upgrade refused with HTTP 401 (the credentials were refused)');
	});
});
