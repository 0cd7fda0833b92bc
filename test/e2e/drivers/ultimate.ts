import { BOT_SCRIPT, type UltimateEmulator } from '../../emulators/ultimate';
import { expectSuccess, triggeredExecutions, type ExampleDriver } from './driver';

export const ultimateExamples: Record<string, ExampleDriver> = {
	/** Starts a chat, clicks "Track my order"; the bot's messages and its order-lookup action come back through n8n. */
	'ultimate-bot-conversation.json': async (stack, imported) => {
		const { emulator } = stack.provider<UltimateEmulator>('ultimate');
		emulator.setWebhooks({
			chat: stack.webhookUrl(imported, 'Bot Events', 'default'),
			actions: stack.webhookUrl(imported, 'Bot Events', 'actions'),
		});

		const manual = await stack.runManually(imported);
		const conversationId = manual.nodes['Ask About the Order'].items[0].conversationId as string;
		await emulator.idle();

		expect(emulator.deliveriesFor(conversationId).map((delivery) => [delivery.webhook, delivery.event, delivery.status])).toEqual([
			['chat', 'sendMessage', 200],
			['actions', 'action', 200],
			['chat', 'sendMessage', 200],
		]);
		const [, lookup, answer] = emulator.deliveriesFor(conversationId);
		expect(lookup.response).toEqual({ results: [{ key: 'orderStatus', value: 'shipped', sanitize: false }] });
		expect((answer.payload as { data: { text: string } }).data.text).toBe('Your order is shipped');

		const runs = await triggeredExecutions(stack, imported, 3);
		runs.forEach(expectSuccess);
		expect(runs[0].nodes['Bot Events'].items[0]).toMatchObject({ provider: 'ultimate', type: 'message', text: BOT_SCRIPT.welcome, conversationId });
	},
};
