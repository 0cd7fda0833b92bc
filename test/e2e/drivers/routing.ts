import { BOT_SCRIPT } from '../../emulators/ultimate';
import { ULTIMATE_TO_NOVATALKS, ultimateToNovaTalks } from '../routing/ultimate-to-novatalks';
import { expectSuccess, triggeredExecutions, type ExampleDriver } from './driver';

export const routingExamples: Record<string, ExampleDriver> = {
	/** A customer chats with the Ultimate bot through n8n, asks for a human and goes on with a NovaTalks agent. */
	[ULTIMATE_TO_NOVATALKS]: async (stack, imported) => {
		const scene = ultimateToNovaTalks(stack);
		await scene.wire();
		const { customer } = stack;
		const chat = `web-${Date.now()}`;

		await scene.customerSays(chat, 'Hello there');
		await customer.waitFor(chat, (message) => message.from === 'bot' && message.text === BOT_SCRIPT.welcome);
		await customer.waitFor(chat, (message) => message.from === 'bot' && message.text === 'You said: Hello there');

		const runs = await triggeredExecutions(stack, imported, 3);
		runs.forEach(expectSuccess);
	},
};
