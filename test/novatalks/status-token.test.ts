import { NovaTalksEmulator, type ConversationRecord } from '../emulators/novatalks';
import { startTrigger, type TriggerHandle } from '../helpers/trigger';
import { triggerWorkflow } from './fixtures';

/** The vendor's status frame carries a token-like `meta.sender.identifier`; the emulator puts the contact token there. */
describe('NovaTalks Trigger and the contact token in a status frame', () => {
	let emulator: NovaTalksEmulator;
	let conversation: ConversationRecord;
	let trigger: TriggerHandle | undefined;

	beforeEach(async () => {
		emulator = await NovaTalksEmulator.start();
		conversation = emulator.createConversation('Jane');
	});

	afterEach(async () => {
		await trigger?.close();
		trigger = undefined;
		await emulator.close();
	});

	it.each([false, true])('masks it in the ChatEvent’s raw and in Raw Output (raw output %s)', async (rawOutput) => {
		trigger = await startTrigger(
			triggerWorkflow({ contactTokens: conversation.token, events: ['conversation.status_changed'], options: { rawOutput } }),
			{ credentials: emulator.credentials() },
		);
		emulator.setConversationStatus(conversation.id, 'resolved');
		const [item] = await trigger.waitForItems(1);
		const frame = (rawOutput ? item.json : item.json.raw) as { event: string; data: { status: string; meta: { sender: { identifier: string; name: string } } } };
		expect(frame.event).toBe('conversation.status_changed');
		expect(frame.data.status).toBe('resolved');
		expect(frame.data.meta.sender).toMatchObject({ identifier: '***', name: 'Jane' });
		// The one place the token is output on purpose: the ChatEvent's reply address (NovaTalks needs it to answer).
		const { replyTo, ...rest } = item.json as { replyTo?: { contactToken?: string } };
		if (!rawOutput) expect(replyTo?.contactToken).toBe(conversation.token);
		expect(JSON.stringify(rawOutput ? item.json : rest)).not.toContain(conversation.token);
	});
});
