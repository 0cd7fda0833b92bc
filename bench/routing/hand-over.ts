import type { NovaTalksEmulator } from '../../test/emulators/novatalks';
import { CUSTOMER_NODE } from '../../test/e2e/routing/bridge-flow';
import { ASK_FOR_HUMAN } from '../../test/e2e/routing/bridge-scene';
import type { ImportedWorkflow, Stack } from '../../test/e2e/stack';
import { until } from '../support/waiting';
import { benchBridgeName, BOT } from './flows';

const HAND_OVER_NOTICE = 'An agent has joined the chat.';
const TIMEOUT_MS = 90_000;

/**
 * Every chat's customer asks the bot for a human, all at once, through the bridge flow: the bridge
 * opens a NovaTalks conversation for each. Resolves, once the desk trigger follows each of them,
 * with each chat's NovaTalks conversation id.
 */
export async function handOver(stack: Stack, imported: ImportedWorkflow, variant: string, chats: string[]): Promise<Map<string, number>> {
	const url = stack.webhookUrl(imported, CUSTOMER_NODE);
	await Promise.all(chats.map((chat) => stack.customer.say(url, chat, ASK_FOR_HUMAN[BOT])));
	await Promise.all(chats.map((chat) => stack.customer.waitFor(chat, (message) => message.from === 'system' && message.text === HAND_OVER_NOTICE, TIMEOUT_MS)));
	const rows = await stack.n8n.dataTableRows(`${benchBridgeName(variant)}_links`);
	const links = new Map<string, number>();
	for (const chat of chats) {
		const row = rows.find((candidate) => candidate.chatId === chat && candidate.deskConversationId);
		if (!row) throw new Error(`No NovaTalks conversation linked to ${chat}`);
		links.set(chat, Number(row.deskConversationId));
	}
	const desk = stack.provider<NovaTalksEmulator>('novatalks').emulator;
	await until(() => [...links.values()].every((id) => desk.subscriberCount(id) > 0), TIMEOUT_MS, `the ${variant} desk trigger to follow ${chats.length} chats`);
	return links;
}
