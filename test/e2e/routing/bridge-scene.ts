import type { ConciergeEmulator } from '../../emulators/concierge';
import type { ExpertflowEmulator } from '../../emulators/expertflow';
import type { NovaTalksEmulator } from '../../emulators/novatalks';
import type { UltimateEmulator } from '../../emulators/ultimate';
import type { ImportedWorkflow, Stack } from '../stack';
import { BOT_NODE, bridgeNameOf, CUSTOMER_NODE, type Bot, type Desk } from './bridge-flow';
import type { RoutingScene } from './scene';

/** What a bridged chat's link says about its desk side. */
interface DeskSide {
	conversationId: string;
}

const TITLES: Record<Bot | Desk, string> = {
	ultimate: 'Ultimate bot',
	jaicp: 'JAICP bot',
	novatalks: 'NovaTalks agent',
	expertflow: 'Expertflow agent',
	concierge: 'Concierge',
};

/** What the customer writes to be handed over, per bot. */
export const ASK_FOR_HUMAN: Record<Bot, string> = { ultimate: 'Talk to a human', jaicp: 'I need a human operator' };

/** A routing workflow on the Chat Bridge, playable: the customer writes through its webhook, the agent answers on the desk's emulator. */
export function bridgeScene(stack: Stack, imported: ImportedWorkflow, bot: Bot, desk: Desk): RoutingScene & { bot: Bot; desk: Desk } {
	const customerWebhook = () => stack.webhookUrl(imported, CUSTOMER_NODE);
	const deskSide = async (chatId: string): Promise<DeskSide | undefined> => {
		const rows = await stack.n8n.dataTableRows(`${bridgeNameOf(bot, desk)}_links`);
		const row = rows.find((candidate) => candidate.chatId === chatId && candidate.state !== 'ended' && candidate.deskConversationId);
		return row ? { conversationId: String(row.deskConversationId) } : undefined;
	};
	const required = async (chatId: string) => {
		const side = await deskSide(chatId);
		if (!side) throw new Error(`No ${TITLES[desk]} has chat ${chatId} yet: the customer must write "${ASK_FOR_HUMAN[bot]}" first`);
		return side;
	};
	return {
		bot,
		desk,
		title: `${TITLES[bot]} -> ${TITLES[desk]} (Chat Bridge)`,
		imported,
		async wire() {
			await stack.waitForWebhook(customerWebhook());
			if (bot === 'ultimate') {
				stack.provider<UltimateEmulator>('ultimate').emulator.setWebhooks({
					chat: stack.webhookUrl(imported, BOT_NODE, 'default'),
					actions: stack.webhookUrl(imported, BOT_NODE, 'actions'),
				});
			}
		},
		async customerSays(chatId, text) {
			await stack.customer.say(customerWebhook(), chatId, text);
		},
		async agentSays(chatId, text) {
			const { conversationId } = await required(chatId);
			if (desk === 'novatalks') stack.provider<NovaTalksEmulator>('novatalks').emulator.agentSend(Number(conversationId), { content: text });
			else if (desk === 'expertflow') stack.provider<ExpertflowEmulator>('expertflow').emulator.agentSays(conversationId, text);
			else stack.provider<ConciergeEmulator>('concierge').emulator.conciergeSend(conversationId, text);
		},
		async agentView(chatId) {
			const side = await deskSide(chatId);
			if (!side) return [];
			if (desk === 'novatalks') {
				return stack
					.provider<NovaTalksEmulator>('novatalks')
					.emulator.messagesOf(Number(side.conversationId))
					.map((message) => `${message.message_type === 'incoming' ? 'customer' : 'agent'}: ${message.content ?? ''}`);
			}
			if (desk === 'expertflow') {
				const conversation = stack.provider<ExpertflowEmulator>('expertflow').emulator.conversations.get(side.conversationId);
				return (conversation?.messages ?? [])
					.filter((message) => message.type === 'ChatMessage')
					.map((message) => `${message.from?.id === conversation?.customer.id ? 'customer' : 'agent'}: ${message.text ?? ''}`);
			}
			return stack
				.provider<ConciergeEmulator>('concierge')
				.emulator.messagesOf(side.conversationId)
				.map((message) => `${message.senderEntityType === 'TENANT' ? 'customer' : 'agent'}: ${message.messageContent}`);
		},
		howToPlay: () => [
			`The customer writes to the ${TITLES[bot]} through n8n (POST ${customerWebhook()}).`,
			`Write "${ASK_FOR_HUMAN[bot]}": the Chat Bridge opens a ${TITLES[desk]} chat with the transcript; /agent <text> answers as the agent.`,
		],
	};
}
