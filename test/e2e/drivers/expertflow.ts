import type { ExpertflowEmulator } from '../../emulators/expertflow';
import { waitFor } from '../../helpers/wait';
import { expectSuccess, triggeredExecutions, type ExampleDriver } from './driver';

export const expertflowExamples: Record<string, ExampleDriver> = {
	/** The published trigger registers as the SMS connector; a campaign SMS opens a reply chat with a whisper for the agent. */
	'expertflow-connector.json': async (stack, imported) => {
		const { emulator } = stack.provider<ExpertflowEmulator>('expertflow');
		await waitFor(() => emulator.connectors.has('sms'), 30_000, () => 'the published trigger to register the sms connector');
		emulator.handToConnector('sms', { text: 'Spring sale: 20% off until Sunday', refId: '+491701234567' });

		const [run] = await triggeredExecutions(stack, imported, 1);
		expectSuccess(run);
		const conversation = [...emulator.conversations.values()].find((candidate) => candidate.request.phone === '+491701234567');
		expect(conversation?.messages).toEqual([
			expect.objectContaining({ type: 'ChatMessage', tag: 'whisper', text: 'This customer was sent: Spring sale: 20% off until Sunday' }),
		]);
		expect(run.nodes['Note for Agent'].items[0]).toMatchObject({ conversationId: conversation?.id });
	},
};

