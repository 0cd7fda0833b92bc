import { runWorkflow } from '../helpers/workflow';
import { conciergeAction, credentialsFor, TOKEN, useEmulator } from './setup';

describe('Concierge node: chat sessions', () => {
	const emulator = useEmulator();
	const run = (parameters: Record<string, unknown>, options: { continueOnFail?: boolean; items?: number } = {}) =>
		runWorkflow(conciergeAction({ resource: 'chatSession', ...parameters } as never, options.continueOnFail), {
			credentials: credentialsFor(emulator.current),
			startData: options.items ? [Array.from({ length: options.items }, (_, index) => ({ json: { index } }))] : undefined,
		});

	it('starts a new session and returns the chat session id', async () => {
		const result = await run({ operation: 'start' });
		expect(result.status).toBe('success');
		const [output] = result.json('Action');
		expect(output.chatSessionId).toMatch(/^[0-9a-f-]{36}$/);
		expect(output.chatSession).toMatchObject({ chatSessionId: output.chatSessionId, isSessionClosed: false });
		expect(emulator.current.sessions.has(String(output.chatSessionId))).toBe(true);
		expect(emulator.current.frames('client/init-chat-with-concierge').map((frame) => frame.body)).toEqual([{ newSession: true }]);
		expect(result.output('Action')[0].pairedItem).toEqual({ item: 0 });
	});

	it('resumes a session after checking that it is open', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const result = await run({ operation: 'resume', chatSessionId });
		expect(result.json('Action')[0]).toMatchObject({ chatSessionId, chatSession: { isSessionClosed: false } });
		expect(emulator.current.received.map((frame) => [frame.route, frame.body])).toEqual([
			['client/get-chat-session', { chatSessionId }],
			['client/init-chat-with-concierge', { newSession: false, chatSessionId }],
		]);
	});

	it('refuses to resume a closed session with a clear error, without calling init', async () => {
		const { chatSessionId } = emulator.current.createSession();
		emulator.current.conciergeEnd(chatSessionId);
		const result = await run({ operation: 'resume', chatSessionId });
		expect(result.status).toBe('error');
		const error = result.nodeError('Action');
		expect(error?.message).toBe(`Chat session ${chatSessionId} is closed`);
		expect(error?.description).toBe('A closed session cannot be resumed. Start a new session instead.');
		expect(emulator.current.frames('client/init-chat-with-concierge')).toHaveLength(0);
	});

	it('turns a refused route into an API error carrying the reply status and body', async () => {
		const result = await run({ operation: 'resume', chatSessionId: 'no-such-session', checkOpen: false });
		const error = result.nodeError('Action') as { message: string; description?: string; httpCode?: string; errorResponse?: unknown };
		expect(error.message).toBe('Chat session not found [404]');
		expect(error.description).toBe('The route client/init-chat-with-concierge answered with status 404');
		expect(error.httpCode).toBe('404');
		expect(error.errorResponse).toEqual({
			channel: 'client/init-chat-with-concierge',
			status: 404,
			body: { message: 'Chat session not found' },
		});
	});

	it('gets, pings and ends a session', async () => {
		const { chatSessionId, lastPingedByChatInitiator } = emulator.current.createSession();
		emulator.current.conciergeJoin(chatSessionId, '777');

		const got = (await run({ operation: 'get', chatSessionId })).json('Action')[0];
		expect(got.chatSession).toMatchObject({ chatJoinedByEntityType: 'BACKEND_USER', chatJoinedByEntityId: '777' });

		const pinged = (await run({ operation: 'ping', chatSessionId })).json('Action')[0] as { chatSession: { lastPingedByChatInitiator: string } };
		expect(Number(pinged.chatSession.lastPingedByChatInitiator)).toBeGreaterThan(Number(lastPingedByChatInitiator));

		const ended = (await run({ operation: 'end', chatSessionId })).json('Action')[0];
		expect(ended).toMatchObject({ chatSessionId, chatSession: { isSessionClosed: true } });
		expect(emulator.current.sessions.get(chatSessionId)?.isSessionClosed).toBe(true);
		expect(emulator.current.frames('client/end-chat-with-concierge')[0].body).toEqual({ chatSessionId });
	});

	it('uses one WebSocket for all items of an execution', async () => {
		const sessions = [emulator.current.createSession(), emulator.current.createSession(), emulator.current.createSession()];
		const result = await runWorkflow(
			conciergeAction({ resource: 'chatSession', operation: 'ping', chatSessionId: '={{ $json.id }}' }),
			{
				credentials: credentialsFor(emulator.current),
				startData: [sessions.map((session) => ({ json: { id: session.chatSessionId } }))],
			},
		);
		expect(result.output('Action').map((item) => [item.json.chatSessionId, item.pairedItem])).toEqual(
			sessions.map((session, index) => [session.chatSessionId, { item: index }]),
		);
		expect(emulator.current.connectionsOpened).toBe(1);
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(emulator.current.openConnections).toBe(0);
	});

	it('fails on a closed session but continues with the other items when asked to', async () => {
		const open = emulator.current.createSession();
		const closed = emulator.current.createSession();
		emulator.current.conciergeEnd(closed.chatSessionId);
		const result = await runWorkflow(
			conciergeAction({ resource: 'chatSession', operation: 'ping', chatSessionId: '={{ $json.id }}' }, true),
			{
				credentials: credentialsFor(emulator.current),
				startData: [[{ json: { id: closed.chatSessionId } }, { json: { id: open.chatSessionId } }]],
			},
		);
		expect(result.status).toBe('success');
		const output = result.output('Action');
		expect(output[0]).toEqual({ json: { error: 'Chat session is closed [400]' }, pairedItem: { item: 0 } });
		expect(output[1].json.chatSessionId).toBe(open.chatSessionId);
		expect(emulator.current.connectionsOpened).toBe(1);
	});

	it('cannot touch another tenant’s session', async () => {
		const { chatSessionId } = emulator.current.createSession('34');
		const result = await runWorkflow(conciergeAction({ resource: 'chatSession', operation: 'end', chatSessionId }), {
			credentials: credentialsFor(emulator.current, { accessToken: 'tenant-token-35' }),
		});
		expect(result.nodeError('Action')?.message).toBe('Not your chat session [403]');
		expect(emulator.current.sessions.get(chatSessionId)?.isSessionClosed).toBe(false);
	});

	it('fails with "invalid token" when the gateway refuses the connection, never showing the token', async () => {
		const result = await runWorkflow(conciergeAction({ resource: 'chatSession', operation: 'start' }), {
			credentials: credentialsFor(emulator.current, { accessToken: 'revoked-token-0123456789' }),
		});
		const error = result.nodeError('Action');
		expect(error?.message).toBe('Invalid token: WebSocket upgrade refused with HTTP 401 (the credentials were refused)');
		expect(JSON.stringify(error)).not.toContain('revoked-token-0123456789');
		expect(JSON.stringify(error)).not.toContain(TOKEN);
		expect(emulator.current.upgrades[0]).toContain('Auth=revoked-token-0123456789&deviceId=n8n-test');
	});
});
