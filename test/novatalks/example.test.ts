import path from 'node:path';

import { NovaTalksEmulator } from '../emulators/novatalks';
import { startTrigger, type TriggerHandle } from '../helpers/trigger';
import { delay, waitFor } from '../helpers/wait';
import { readWorkflow } from '../helpers/workflow';

describe('examples/novatalks-echo.json', () => {
	let emulator: NovaTalksEmulator;
	let trigger: TriggerHandle | undefined;

	beforeEach(async () => {
		emulator = await NovaTalksEmulator.start();
	});

	afterEach(async () => {
		await trigger?.close();
		await emulator.close();
	});

	it('answers each agent message as a reply from the contact, and does not answer its own echoes', async () => {
		const conversation = emulator.createConversation('Jane');
		const workflow = readWorkflow(path.join(__dirname, '../../examples/novatalks-echo.json'));
		const triggerNode = workflow.nodes.find((node) => node.name === 'NovaTalks Trigger');
		expect(triggerNode?.parameters.contactTokens).toBe('PASTE_THE_CONTACT_TOKEN_HERE');
		triggerNode!.parameters.contactTokens = conversation.token;

		trigger = await startTrigger(workflow, { credentials: emulator.credentials(), runDownstream: true });
		const first = emulator.agentSend(conversation.id, { content: 'Hello from Support' });
		const second = emulator.agentSend(conversation.id, { content: 'Anything else?' });
		await waitFor(() => emulator.messagesOf(conversation.id).length === 4, 5000, () => 'two echoes');
		const runs = await Promise.all(trigger.runs);

		expect(runs.map((run) => run.status)).toEqual(['success', 'success']);
		const echoes = emulator.messagesOf(conversation.id).filter((message) => message.message_type === 'incoming');
		expect(echoes.map((message) => message.content).sort()).toEqual(
			[
				`[RepliedMessageDialogId:]${conversation.dialogId}[RepliedMessageId:]${first.id}[RepliedContent:]Hello from Support[Content:]Echo: Hello from Support`,
				`[RepliedMessageDialogId:]${conversation.dialogId}[RepliedMessageId:]${second.id}[RepliedContent:]Anything else?[Content:]Echo: Anything else?`,
			].sort(),
		);
		await delay(150);
		// The echoes are the contact's own messages: Only Agent Side keeps them from starting the workflow again.
		expect(trigger.emitted).toHaveLength(2);
	});
});
