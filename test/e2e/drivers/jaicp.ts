import type { JaicpEmulator } from '../../emulators/jaicp';
import type { ExampleDriver } from './driver';

export const jaicpExamples: Record<string, ExampleDriver> = {
	/** Greets the bot, asks for a human; the switch is remembered, the operator's greeting read and marked READ. */
	'jaicp-bot-to-operator.json': async (stack, imported) => {
		const { emulator } = stack.provider<JaicpEmulator>('jaicp');
		const run = await stack.runManually(imported);

		const [escalation] = run.nodes['Ask for an operator'].items;
		expect(escalation).toMatchObject({ provider: 'jaicp', type: 'escalation', conversationId: 'customer-42' });
		expect(emulator.stateOf('customer-42')).toEqual({ handedOver: true, at: escalation.timestamp, questionId: escalation.messageId });
		const [reply] = run.nodes['Wait for the operator'].items;
		expect(reply).toMatchObject({ type: 'message', from: { role: 'agent' }, conversationId: 'customer-42', text: emulator.options.operatorGreeting });
		expect(emulator.statusOf('customer-42', reply.messageId as string)).toBe('READ');
	},
};
