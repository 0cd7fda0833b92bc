import { NovaTalksEmulator } from '../emulators/novatalks';
import { startTrigger, type TriggerHandle } from '../helpers/trigger';
import { waitFor } from '../helpers/wait';
import { runAction, triggerWorkflow } from './fixtures';

/**
 * A server that checks presence while a client subscribes: it sends presence.update with each subscribe and
 * confirms only after `update_presence` comes back, dropping the connection after 500 ms without it.
 */
describe('NovaTalks and a server that checks presence during (re)subscription', () => {
	let emulator: NovaTalksEmulator;
	let trigger: TriggerHandle | undefined;

	beforeEach(async () => {
		emulator = await NovaTalksEmulator.start({ presenceCheckOnSubscribeMs: 500 });
	});

	afterEach(async () => {
		await trigger?.close();
		trigger = undefined;
		await emulator.close();
	});

	it('the trigger answers each check while its subscriptions are pending, activates, and resubscribes after a drop', async () => {
		const first = emulator.createConversation('Ann');
		const second = emulator.createConversation('Bob');
		trigger = await startTrigger(
			triggerWorkflow({ contactTokens: `${first.token},${second.token}`, events: ['message.created'] }),
			{ credentials: emulator.credentials() },
		);
		expect(emulator.presenceAnswers).toBe(2);
		const before = emulator.agentSend(first.id, { content: 'hello Ann' });
		await trigger.waitForItems(1);

		emulator.dropAll();
		await waitFor(() => emulator.connectionCount === 2 && emulator.subscriberCount(second.id) === 1, 3000, () => 'the resubscription');
		const after = emulator.agentSend(second.id, { content: 'hello Bob' });
		await trigger.waitForItems(2);
		expect(trigger.json.map((event) => event.messageId)).toEqual([String(before.id), String(after.id)]);
		expect(emulator.presenceAnswers).toBe(4);
		expect(emulator.presenceDrops).toBe(0);
		expect(trigger.errors).toEqual([]);
	});

	it('Send Typing answers the check while it subscribes', async () => {
		const conversation = emulator.createConversation('Ann');
		const run = await runAction(emulator, {
			resource: 'contact',
			operation: 'sendTyping',
			contactToken: conversation.token,
			conversationId: conversation.id,
		});
		expect(run.status).toBe('success');
		expect(emulator.presenceDrops).toBe(0);
		expect(emulator.wsReceived.map((frame) => frame.event)).toEqual(['subscribe', 'update_presence', 'typing']);
	});
});
