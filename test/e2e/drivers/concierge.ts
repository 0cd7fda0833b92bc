import type { ConciergeEmulator } from '../../emulators/concierge';
import { waitFor } from '../../helpers/wait';
import { expectSuccess, triggeredExecutions, type ExampleDriver } from './driver';

export const conciergeExamples: Record<string, ExampleDriver> = {
	/** Opens a chat by hand; the published trigger marks the concierge's reply seen and acknowledges it. */
	'concierge-relay.json': async (stack, imported) => {
		const { emulator } = stack.provider<ConciergeEmulator>('concierge');
		const opened = await stack.runManually(imported);
		const chatSessionId = String(opened.nodes['Start Chat'].items[0].chatSessionId);

		const reply = emulator.conciergeSend(chatSessionId, 'Hi, this is Mai from the front desk');
		await waitFor(() => emulator.messagesOf(chatSessionId).length === 3, 30_000, () => 'the acknowledgement');
		const [run] = await triggeredExecutions(stack, imported, 1);
		expectSuccess(run);

		const [hello, seen, ack] = emulator.messagesOf(chatSessionId);
		expect(hello.senderEntityType).toBe('TENANT');
		expect(seen).toMatchObject({ id: reply.id, status: 4 });
		expect(ack).toMatchObject({ senderEntityType: 'TENANT', messageContent: 'Thanks, got it: "Hi, this is Mai from the front desk"' });
	},
};
