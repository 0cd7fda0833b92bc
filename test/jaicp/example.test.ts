import path from 'node:path';

import { readWorkflow, runWorkflow } from '../helpers/workflow';
import { credentialsFor, useEmulator } from './setup';

const emulator = useEmulator({ operatorGreeting: 'Hi, Anna here. What can I do for you?', operatorDelayMs: 50 });

describe('examples/jaicp-bot-to-operator.json', () => {
	it('greets the bot, hands over to an operator, remembers it, gets the operator reply and marks it read', async () => {
		const workflow = readWorkflow(path.join(__dirname, '../../examples/jaicp-bot-to-operator.json'));
		const run = await runWorkflow(workflow, { credentials: credentialsFor(emulator()) });

		expect(run.status).toBe('success');
		expect(run.executedNodes).toEqual([
			'Start',
			'Greet the bot',
			'Ask for an operator',
			'Remember the handover',
			'Wait for the operator',
			'Mark as read',
		]);
		const [escalation] = run.json('Ask for an operator');
		expect(escalation).toMatchObject({ type: 'escalation', conversationId: 'customer-42', from: { role: 'bot' } });
		expect(emulator().stateOf('customer-42')).toEqual({
			handedOver: true,
			at: escalation.timestamp,
			questionId: escalation.messageId,
		});

		const [reply] = run.json('Wait for the operator');
		expect(reply).toMatchObject({
			type: 'message',
			from: { role: 'agent' },
			conversationId: 'customer-42',
			text: 'Hi, Anna here. What can I do for you?',
		});
		expect(run.json('Mark as read')).toEqual([
			{ clientId: 'customer-42', questionId: reply.messageId, status: 'READ' },
		]);
		expect(emulator().statusOf('customer-42', reply.messageId as string)).toBe('READ');
		expect(emulator().calls('POST', '/chatapi/{token}')[1].body).toMatchObject({ cid: 'n8n-demo' });
	});
});
