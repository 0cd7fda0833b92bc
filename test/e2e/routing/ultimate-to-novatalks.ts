import type { NovaTalksEmulator } from '../../emulators/novatalks';
import type { UltimateEmulator } from '../../emulators/ultimate';
import type { Stack } from '../stack';
import type { RoutingScene } from './scene';

export const ULTIMATE_TO_NOVATALKS = 'routing-ultimate-to-novatalks.json';
const LINKS_TABLE = 'chat_links';

/** The customer talks to the Ultimate bot through n8n; "Talk to a human" hands the chat to a NovaTalks agent. */
export function ultimateToNovaTalks(stack: Stack): RoutingScene {
	const imported = stack.workflow(ULTIMATE_TO_NOVATALKS);
	const customerWebhook = () => stack.webhookUrl(imported, 'Customer Message');
	const novatalks = () => stack.provider<NovaTalksEmulator>('novatalks').emulator;
	const linkedConversation = async (conversationId: string) => {
		const rows = await stack.n8n.dataTableRows(LINKS_TABLE);
		const linked = rows.find((row) => row.customerConversationId === conversationId)?.novatalksConversationId;
		return typeof linked === 'string' && linked !== '' ? Number(linked) : undefined;
	};
	return {
		title: 'Ultimate bot -> NovaTalks agent',
		imported,
		async wire() {
			await stack.runManually(imported);
			stack.provider<UltimateEmulator>('ultimate').emulator.setWebhooks({
				chat: stack.webhookUrl(imported, 'Bot Events', 'default'),
				actions: stack.webhookUrl(imported, 'Bot Events', 'actions'),
			});
			novatalks().configurePush({ url: stack.webhookUrl(imported, 'Agent Replies') });
		},
		async customerSays(conversationId, text) {
			await stack.customer.say(customerWebhook(), conversationId, text);
		},
		async agentSays(conversationId, text) {
			const linked = await linkedConversation(conversationId);
			if (linked === undefined) throw new Error(`No agent has chat ${conversationId} yet: the customer must write "Talk to a human" first`);
			novatalks().agentSend(linked, { content: text });
		},
		async agentView(conversationId) {
			const linked = await linkedConversation(conversationId);
			if (linked === undefined) return [];
			return novatalks()
				.messagesOf(linked)
				.map((message) => `${message.message_type === 'incoming' ? 'contact' : 'agent'}: ${message.content ?? ''}`);
		},
		howToPlay: () => [
			`The customer writes to the Ultimate bot through n8n (POST ${customerWebhook()}).`,
			'Write "Talk to a human": n8n opens a NovaTalks conversation with the transcript; /agent <text> answers as the agent.',
		],
	};
}
