import type { ConciergeEmulator } from '../../emulators/concierge';
import type { Stack } from '../stack';
import type { RoutingScene } from './scene';

export const JAICP_TO_CONCIERGE = 'routing-jaicp-to-concierge.json';
const LINKS_TABLE = 'jaicp_concierge_links';

/** The customer talks to the JAICP bot through n8n; asking for an operator relays the chat to a Concierge. */
export function jaicpToConcierge(stack: Stack): RoutingScene {
	const imported = stack.workflow(JAICP_TO_CONCIERGE);
	const customerWebhook = () => stack.webhookUrl(imported, 'Customer Message');
	const concierge = () => stack.provider<ConciergeEmulator>('concierge').emulator;
	const linkedSession = async (conversationId: string) => {
		const rows = await stack.n8n.dataTableRows(LINKS_TABLE);
		const session = rows.find((row) => row.customerConversationId === conversationId)?.conciergeSessionId;
		return typeof session === 'string' && session !== '' ? session : undefined;
	};
	return {
		title: 'JAICP bot -> Concierge',
		imported,
		async wire() {
			await stack.runManually(imported);
		},
		async customerSays(conversationId, text) {
			await stack.customer.say(customerWebhook(), conversationId, text);
		},
		async agentSays(conversationId, text) {
			const session = await linkedSession(conversationId);
			if (!session) throw new Error(`No concierge has chat ${conversationId} yet: the customer must ask for an operator first`);
			concierge().conciergeSend(session, text);
		},
		async agentView(conversationId) {
			const session = await linkedSession(conversationId);
			return session ? concierge().messagesOf(session).map((message) => `${message.senderEntityType}: ${message.messageContent}`) : [];
		},
		howToPlay: () => [
			`The customer writes to the JAICP bot through n8n (POST ${customerWebhook()}).`,
			'Ask for "an operator": n8n opens a Concierge chat with the transcript; /agent <text> answers as the concierge.',
		],
	};
}
