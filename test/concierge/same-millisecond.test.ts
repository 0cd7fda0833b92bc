import { startTrigger, type TriggerHandle } from '../helpers/trigger';
import { delay, waitFor } from '../helpers/wait';
import { conciergeTrigger, credentialsFor, useEmulator } from './setup';

/**
 * The service stamps a message with the same millisecond as the join or ping that comes with it. A message
 * sent in that millisecond is new: the trigger's watermark must not count it as history.
 */
describe('Concierge Trigger and messages stamped with the millisecond of a join or a resume', () => {
	const emulator = useEmulator({ pushScope: 'tenant' });
	let trigger: TriggerHandle | undefined;

	afterEach(async () => {
		emulator.current.unfreezeClock();
		await trigger?.close();
		trigger = undefined;
	});

	it('Every Session: emits all 20 first messages sent in the millisecond of the concierge’s join', async () => {
		trigger = await startTrigger(conciergeTrigger({ follow: 'all' }), { credentials: credentialsFor(emulator.current) });
		const expected: string[] = [];
		for (let index = 0; index < 20; index++) {
			const { chatSessionId } = emulator.current.createSession();
			const joinedAt = emulator.current.freezeClock();
			emulator.current.conciergeJoin(chatSessionId);
			const first = emulator.current.conciergeSend(chatSessionId, `welcome ${index}`);
			emulator.current.unfreezeClock();
			expect(first.sentAt).toBe(String(joinedAt));
			expect(emulator.current.sessions.get(chatSessionId)?.lastPingedByChatJoiner).toBe(first.sentAt);
			const second = emulator.current.conciergeSend(chatSessionId, `how can I help ${index}`);
			expected.push(first.id, second.id);
		}
		const handle = trigger;
		// Every second message has its own millisecond, so it arrives whatever happens to the first ones.
		await waitFor(
			() => handle.json.filter((event) => String(event.text).startsWith('how can I help')).length === 20,
			5000,
			() => `the 20 second messages (got ${handle.json.length} events)`,
		);
		await delay(50);
		const lostFirsts = 20 - handle.json.filter((event) => String(event.text).startsWith('welcome')).length;
		expect(lostFirsts).toBe(0);
		// Each once, and in order within each session (sessions run side by side).
		expect([...handle.json.map((event) => String(event.messageId))].sort()).toEqual([...expected].sort());
		const order = (session: string) => handle.json.filter((event) => event.conversationId === session).map((event) => event.messageId);
		for (const session of new Set(handle.json.map((event) => String(event.conversationId)))) {
			expect(order(session)).toEqual(expected.filter((id) => order(session).includes(id)));
		}
	});

	it('Sessions by ID: emits a message sent in the millisecond the trigger resumed the session, and after a reconnect', async () => {
		const { chatSessionId } = emulator.current.createSession();
		emulator.current.freezeClock();
		trigger = await startTrigger(conciergeTrigger({ follow: 'ids', chatSessionIds: chatSessionId }), {
			credentials: credentialsFor(emulator.current),
		});
		const atResume = emulator.current.conciergeSend(chatSessionId, 'sent as you arrived');
		expect(emulator.current.sessions.get(chatSessionId)?.lastPingedByChatInitiator).toBe(atResume.sentAt);
		await trigger.waitForItems(1);

		// Sent while the connection is down and the clock stands still: the catch-up finds it in the listing.
		emulator.current.dropAll();
		const missed = emulator.current.conciergeSend(chatSessionId, 'sent while you were away');
		await waitFor(() => emulator.current.frames('client/get-chat-messages').length === 2, 3000, () => 'the catch-up');
		await trigger.waitForItems(2);
		await delay(50);
		expect(trigger.json.map((event) => event.messageId)).toEqual([atResume.id, missed.id]);
	});
});
