import { BOT_SCRIPT } from '../../emulators/ultimate';
import { workflowFileOf, type Bot, type Desk } from '../routing/bridge-flow';
import { ASK_FOR_HUMAN } from '../routing/bridge-scene';
import { bridgeScene, EXAMPLE_PAIRINGS } from '../routing';
import type { ImportedWorkflow, Stack } from '../stack';
import { eventually, type ExampleDriver } from './driver';

const BURST = 5;
const HAND_OVER_NOTICE = 'An agent has joined the chat.';

let chatCounter = 0;

/** What one routed chat did, for the summary line. */
export interface PlayedChat {
	chat: string;
	toBot: number;
	toDesk: number;
	toCustomer: number;
}

/**
 * Plays one bot x desk bridge in the real n8n with two customers at once: each sends a burst of 5 to
 * the bot, asks for a human, gets a burst of 5 from the agent, and sends a burst of 5 to the agent.
 * Checks every message arrived once, in order, in the right chat, and no execution failed.
 */
export async function playBridge(stack: Stack, imported: ImportedWorkflow, bot: Bot, desk: Desk): Promise<PlayedChat[]> {
	const scene = bridgeScene(stack, imported, bot, desk);
	await scene.wire();
	const chats = ['anna', 'ben'].map((name) => `${name}-${bot}-${desk}-${++chatCounter}`);
	const played = await Promise.all(chats.map((chat) => playChat(stack, scene, chat)));

	for (const chat of chats) {
		const other = chats.find((candidate) => candidate !== chat) as string;
		expect(stack.customer.messagesIn(chat).filter((message) => message.text.includes(other))).toEqual([]);
		expect((await scene.agentView(chat)).filter((line) => line.includes(other))).toEqual([]);
	}
	const failed = (await stack.n8n.executions(imported.workflow.id)).filter((execution) => !['success', 'running', 'new', 'waiting'].includes(execution.status));
	expect({ workflow: imported.file, failed }).toEqual({ workflow: imported.file, failed: [] });
	for (const chat of played) {
		console.log(`${imported.file}: ${chat.chat}: ${chat.toBot} to the bot, ${chat.toDesk} to the desk, ${chat.toCustomer} to the customer, each once and in order`);
	}
	return played;
}

async function playChat(stack: Stack, scene: ReturnType<typeof bridgeScene>, chat: string): Promise<PlayedChat> {
	const { customer } = stack;
	const lines = (label: string) => Array.from({ length: BURST }, (_, index) => `${label} ${index + 1} from ${chat}`);
	const texts = (from: string) => customer.messagesIn(chat).filter((message) => message.from === from).map((message) => message.text);

	// 1. A burst to the bot: the front end posts each message once the one before was taken.
	const toBot = lines('question');
	for (const text of toBot) await scene.customerSays(chat, text);
	const expectedAnswers = [...(scene.bot === 'ultimate' ? [BOT_SCRIPT.welcome] : []), ...toBot.map((text) => `You said: ${text}`)];
	await eventually(async () => texts('bot').length >= expectedAnswers.length, 60_000, `the bot's ${expectedAnswers.length} answers in ${chat}`);
	expect(texts('bot')).toEqual(expectedAnswers);

	// 2. The hand-over: the desk gets the transcript, in conversation order.
	await scene.customerSays(chat, ASK_FOR_HUMAN[scene.bot]);
	await customer.waitFor(chat, (message) => message.from === 'system' && message.text === HAND_OVER_NOTICE, 60_000);
	const [transcript] = await scene.agentView(chat);
	const transcriptLines = transcript.split('\n');
	const asked = transcriptLines.filter((line) => line.startsWith('Customer: ')).map((line) => line.slice('Customer: '.length));
	expect(asked).toEqual([...toBot, ASK_FOR_HUMAN[scene.bot]]);
	expect(transcriptLines.filter((line) => line.startsWith('Bot: You said: ')).map((line) => line.slice('Bot: You said: '.length))).toEqual(toBot);

	// 3. A burst from the agent reaches the customer once each, in order.
	const fromAgent = lines('answer');
	for (const text of fromAgent) await scene.agentSays(chat, text);
	await eventually(async () => texts('agent').length >= BURST, 60_000, `the agent's ${BURST} answers in ${chat}`);
	await new Promise((resolve) => setTimeout(resolve, 500));
	expect(texts('agent')).toEqual(fromAgent);

	// 4. A burst from the customer reaches the agent once each, in order, and not the bot.
	const toDesk = lines('follow-up');
	for (const text of toDesk) await scene.customerSays(chat, text);
	const atAgent = async () => (await scene.agentView(chat)).filter((line) => line.startsWith('customer: follow-up')).map((line) => line.slice('customer: '.length));
	await eventually(async () => (await atAgent()).length >= BURST, 60_000, `the customer's ${BURST} follow-ups at the agent in ${chat}`);
	expect(await atAgent()).toEqual(toDesk);
	expect(texts('bot')).toEqual(expectedAnswers.concat(scene.bot === 'jaicp' ? ['Connecting you to an operator…'] : []));

	return { chat, toBot: toBot.length + 1, toDesk: toDesk.length + 1, toCustomer: customer.messagesIn(chat).length };
}

/** The routing examples: each bridge played with two customers at once. */
export const routingExamples: Record<string, ExampleDriver> = Object.fromEntries(
	EXAMPLE_PAIRINGS.map(([bot, desk]) => [
		workflowFileOf(bot, desk),
		async (stack: Stack, imported: ImportedWorkflow) => {
			await playBridge(stack, imported, bot, desk);
		},
	]),
);
