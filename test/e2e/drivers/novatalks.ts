import type { NovaTalksEmulator } from '../../emulators/novatalks';
import { waitFor } from '../../helpers/wait';
import { ECHO_CONTACT } from '../providers/novatalks';
import { expectSuccess, triggeredExecutions, type ExampleDriver } from './driver';

export const novatalksExamples: Record<string, ExampleDriver> = {
	/** The published WebSocket trigger follows the contact's conversation and echoes each agent message as the contact. */
	'novatalks-echo.json': async (stack, imported) => {
		const { emulator } = stack.provider<NovaTalksEmulator>('novatalks');
		const conversation = [...emulator.conversations.values()].find((candidate) => candidate.contact.name === ECHO_CONTACT);
		if (!conversation) throw new Error('The NovaTalks emulator has no echo contact');
		await waitFor(() => emulator.subscriberCount(conversation.id) > 0, 30_000, () => 'the published trigger to subscribe');

		const sent = emulator.agentSend(conversation.id, { content: 'Hello from Support' });
		await waitFor(() => emulator.messagesOf(conversation.id).length === 2, 30_000, () => 'the echo');
		const [run] = await triggeredExecutions(stack, imported, 1);
		expectSuccess(run);
		const echo = emulator.messagesOf(conversation.id)[1];
		expect(echo).toMatchObject({
			message_type: 'incoming',
			content: `[RepliedMessageDialogId:]${conversation.dialogId}[RepliedMessageId:]${sent.id}[RepliedContent:]Hello from Support[Content:]Echo: Hello from Support`,
		});
	},
};
