import { runWorkflow } from '../helpers/workflow';
import { conciergeAction, credentialsFor, useEmulator } from './setup';

describe('Concierge node: chat sessions', () => {
	const emulator = useEmulator();

	it('starts a new session and returns the chat session id', async () => {
		const run = await runWorkflow(conciergeAction({ resource: 'chatSession', operation: 'start' }), {
			credentials: credentialsFor(emulator.current),
		});
		expect(run.status).toBe('success');
		const [output] = run.json('Action');
		expect(output.chatSessionId).toMatch(/^[0-9a-f-]{36}$/);
		expect(emulator.current.sessions.has(String(output.chatSessionId))).toBe(true);
		expect(emulator.current.frames('client/init-chat-with-concierge').map((frame) => frame.body)).toEqual([{ newSession: true }]);
	});
});
