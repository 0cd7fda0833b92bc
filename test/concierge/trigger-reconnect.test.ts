import { startTrigger, type TriggerHandle } from '../helpers/trigger';
import { delay, waitFor } from '../helpers/wait';
import { conciergeTrigger, credentialsFor, useEmulator } from './setup';

describe('Concierge Trigger across the gateway’s idle close and maximum connection time', () => {
	// Tiny stand-ins for API Gateway's 10 min idle timeout and 2 h cut are set once each trigger is up.
	const emulator = useEmulator();
	let trigger: TriggerHandle | undefined;

	afterEach(async () => {
		await trigger?.close();
		trigger = undefined;
	});

	it('emits exactly 100 of 100 concierge messages sent while the connection is closed for idling and cut at its maximum age', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const history = emulator.current.conciergeSend(chatSessionId, 'before the trigger started');
		trigger = await startTrigger(
			conciergeTrigger({
				follow: 'ids',
				chatSessionIds: chatSessionId,
				// Pings far apart: nothing keeps the connection from idling out.
				options: { pingInterval: 60 },
			}),
			{ credentials: credentialsFor(emulator.current) },
		);

		emulator.current.configure({ idleTimeoutMs: 150 });
		const causes = () => emulator.current.serverCloses.map((close) => close.cause);
		const sent: string[] = [];
		for (let index = 1; index <= 100; index++) {
			if (index === 26) {
				// Messages keep coming while the gateway closes the idle connection.
				await waitFor(() => causes().includes('idle'), 5000, () => 'an idle close');
			}
			if (index === 51) {
				// Second half: no more idle closes, but every connection is cut 250 ms after it opened.
				emulator.current.configure({ idleTimeoutMs: 60_000, maxConnectionMs: 250 });
			}
			if (index === 76) await waitFor(() => causes().includes('max-duration'), 5000, () => 'a max-duration cut');
			sent.push(emulator.current.conciergeSend(chatSessionId, `message ${index}`).id);
			// The tenant's own messages are in the session too; the trigger leaves them out.
			if (index % 10 === 0) emulator.current.tenantSend(chatSessionId, `tenant ${index}`);
			await delay(10);
		}

		await trigger.waitForItems(100, 10_000);
		await delay(400); // anything emitted twice would show up by now
		const emitted = trigger.json.map((event) => event.messageId);
		expect(emitted).toHaveLength(100);
		expect(emitted).toEqual(sent);
		expect(emitted).not.toContain(history.id);
		expect(trigger.json.map((event) => event.text)).toEqual(sent.map((_id, index) => `message ${index + 1}`));
		expect(trigger.errors).toEqual([]);

		const closes = causes();
		console.log(
			`concierge trigger: 100/100 emitted across ${emulator.current.connectionsOpened} connections (${closes.filter((c) => c === 'idle').length} idle closes, ${closes.filter((c) => c === 'max-duration').length} max-duration cuts), ${emulator.current.frames('client/get-chat-messages').length} get-chat-messages calls`,
		);
		expect(closes).toContain('idle');
		expect(closes).toContain('max-duration');
		// Every reconnect resumed the session before fetching what it missed.
		const resumes = emulator.current.frames('client/init-chat-with-concierge');
		expect(resumes.length).toBe(emulator.current.connectionsOpened);
		expect(resumes.every((frame) => frame.body.newSession === false && frame.body.chatSessionId === chatSessionId)).toBe(true);
	});

	it('keeps the connection open with pings more frequent than the idle timeout', async () => {
		const { chatSessionId } = emulator.current.createSession();
		trigger = await startTrigger(
			conciergeTrigger({ follow: 'ids', chatSessionIds: chatSessionId, options: { pingInterval: 0.05 } }),
			{ credentials: credentialsFor(emulator.current) },
		);
		emulator.current.configure({ idleTimeoutMs: 500 });
		await delay(1200); // more than twice the idle timeout
		expect(emulator.current.serverCloses).toEqual([]);
		expect(emulator.current.connectionsOpened).toBe(1);
		const pings = emulator.current.frames('client/ping-on-chat-session');
		expect(pings.length).toBeGreaterThanOrEqual(4);
		expect(pings[0].body).toEqual({ chatSessionId });
		emulator.current.conciergeSend(chatSessionId, 'still here');
		await trigger.waitForItems(1);
		expect(trigger.json[0].text).toBe('still here');
	});

	it('keeps an idle connection open with the unread-count request when it follows no session yet', async () => {
		trigger = await startTrigger(conciergeTrigger({ follow: 'all', options: { pingInterval: 0.05 } }), {
			credentials: credentialsFor(emulator.current),
		});
		emulator.current.configure({ idleTimeoutMs: 500 });
		await delay(1200);
		expect(emulator.current.serverCloses).toEqual([]);
		expect(emulator.current.frames('client/get-unread-msg-count').length).toBeGreaterThanOrEqual(4);
	});

	it('waits for the reconnect after a network drop and emits nothing twice', async () => {
		const { chatSessionId } = emulator.current.createSession();
		trigger = await startTrigger(conciergeTrigger({ follow: 'ids', chatSessionIds: chatSessionId }), {
			credentials: credentialsFor(emulator.current),
		});
		const first = emulator.current.conciergeSend(chatSessionId, 'one');
		await trigger.waitForItems(1);
		emulator.current.dropAll();
		const second = emulator.current.conciergeSend(chatSessionId, 'two while down');
		await waitFor(() => emulator.current.connectionsOpened === 2, 3000, () => 'the reconnect');
		const third = emulator.current.conciergeSend(chatSessionId, 'three');
		await trigger.waitForItems(3);
		await delay(100);
		expect(trigger.json.map((event) => event.messageId)).toEqual([first.id, second.id, third.id]);
	});
});
