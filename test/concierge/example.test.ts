import path from 'node:path';

import { startTrigger } from '../helpers/trigger';
import { delay, waitFor } from '../helpers/wait';
import { readWorkflow, runWorkflow } from '../helpers/workflow';
import { credentialsFor, useEmulator } from './setup';

const EXAMPLE = path.resolve(__dirname, '../../examples/concierge-relay.json');

describe('examples/concierge-relay.json', () => {
	// The service delivers a tenant's events to all its connections: the trigger hears the chat the manual branch opens.
	const emulator = useEmulator({ pushScope: 'tenant' });

	it('opens a chat, then marks each concierge reply seen and acknowledges it, without answering itself', async () => {
		const workflow = readWorkflow(EXAMPLE);
		const credentials = credentialsFor(emulator.current);
		const trigger = await startTrigger(workflow, { credentials, nodeName: 'Concierge Trigger', runDownstream: true });
		try {
			const opened = await runWorkflow(workflow, { credentials, startNode: 'Open Chat Manually' });
			expect(opened.status).toBe('success');
			const chatSessionId = String(opened.json('Start Chat')[0].chatSessionId);
			expect(opened.json('Say Hello')[0]).toMatchObject({ chatSessionId, chatMessage: { metdata: { source: 'n8n' } } });

			const reply = emulator.current.conciergeSend(chatSessionId, 'Hi, this is Mai from the front desk');
			await trigger.waitForItems(1);
			await waitFor(() => emulator.current.messagesOf(chatSessionId).length === 3, 5000, () => 'the acknowledgement');
			const [run] = await Promise.all(trigger.runs);
			expect(run.status).toBe('success');
			expect(run.json('Mark Seen')[0]).toMatchObject({ chatMessage: { id: reply.id, status: 4 } });

			const [hello, seen, ack] = emulator.current.messagesOf(chatSessionId);
			expect(hello.senderEntityType).toBe('TENANT');
			expect(seen).toMatchObject({ id: reply.id, status: 4 });
			expect(ack).toMatchObject({ senderEntityType: 'TENANT', messageContent: 'Thanks, got it: "Hi, this is Mai from the front desk"' });
			// The tenant's own messages (the hello, the acknowledgement) do not start the workflow.
			await delay(150);
			expect(trigger.emitted).toHaveLength(1);
		} finally {
			await trigger.close();
		}
	});
});
