import type { UltimateEmulator } from '../../emulators/ultimate';
import type { Stack } from '../stack';
import type { RoutingScene } from './scene';

export const ULTIMATE_TO_NOVATALKS = 'routing-ultimate-to-novatalks.json';

/** The customer talks to the Ultimate bot through n8n; "Talk to a human" hands the chat to a NovaTalks agent. */
export function ultimateToNovaTalks(stack: Stack): RoutingScene {
	const imported = stack.workflow(ULTIMATE_TO_NOVATALKS);
	const customerWebhook = () => stack.webhookUrl(imported, 'Customer Message');
	return {
		title: 'Ultimate bot -> NovaTalks agent',
		imported,
		async wire() {
			await stack.runManually(imported);
			stack.provider<UltimateEmulator>('ultimate').emulator.setWebhooks({
				chat: stack.webhookUrl(imported, 'Bot Events', 'default'),
				actions: stack.webhookUrl(imported, 'Bot Events', 'actions'),
			});
		},
		async customerSays(conversationId, text) {
			await stack.customer.say(customerWebhook(), conversationId, text);
		},
		howToPlay: () => [
			`The customer writes to the Ultimate bot through n8n (POST ${customerWebhook()}).`,
			'The bot answers "You said: ..."; write "Talk to a human" to be handed to an agent.',
		],
	};
}
