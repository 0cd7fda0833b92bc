import { BOT_SCRIPT } from '../../emulators/ultimate';
import type { CustomerApp } from '../customer-app';
import { JAICP_TO_CONCIERGE, jaicpToConcierge } from '../routing/jaicp-to-concierge';
import type { RoutingScene } from '../routing/scene';
import { ULTIMATE_TO_NOVATALKS, ultimateToNovaTalks } from '../routing/ultimate-to-novatalks';
import { eventually, type ExampleDriver } from './driver';

/** A chat that starts with a bot and is handed over to a human agent on another provider. */
interface Handover {
	/** What the customer writes first, and the bot's answers to it. */
	opening: { text: string; botAnswers: string[] };
	/** The message that makes the bot hand over, what the bot still says, and the notice n8n sends. */
	askForHuman: { text: string; botAnswers: string[]; notice: string };
	/** The first lines of the agent's side: the transcript n8n sends with the hand-over. */
	transcript: string[];
	agentReply: string;
	/** What the customer writes next, and how it shows on the agent's side. */
	followUp: { text: string; atAgent: string };
}

/**
 * Plays the hand-over for two customers at once, each script naming its chat, so a link that went to
 * the wrong conversation shows as a message in the wrong chat. Answers the two chat IDs.
 */
async function playHandovers(scene: RoutingScene, customer: CustomerApp, script: (chat: string) => Handover): Promise<string[]> {
	await scene.wire();
	const chats = ['anna', 'ben'].map((name) => `${name}-${Date.now()}`);
	await Promise.all(chats.map((chat) => playHandover(scene, customer, chat, script(chat))));
	for (const chat of chats) {
		const others = chats.filter((other) => other !== chat);
		const seenByCustomer = customer.messagesIn(chat).map((message) => message.text);
		const seenByAgent = await scene.agentView(chat);
		for (const other of others) {
			expect(seenByCustomer.filter((text) => text.includes(other))).toEqual([]);
			expect(seenByAgent.filter((line) => line.includes(other))).toEqual([]);
		}
		expect(customer.messagesIn(chat).filter((message) => message.from === 'agent')).toHaveLength(1);
	}
	return chats;
}

async function playHandover(scene: RoutingScene, customer: CustomerApp, chat: string, script: Handover): Promise<void> {
	const from = (role: string, text: string) => (message: { from: string; text: string }) => message.from === role && message.text === text;

	await scene.customerSays(chat, script.opening.text);
	for (const answer of script.opening.botAnswers) await customer.waitFor(chat, from('bot', answer));
	await scene.customerSays(chat, script.askForHuman.text);
	for (const answer of script.askForHuman.botAnswers) await customer.waitFor(chat, from('bot', answer));
	await customer.waitFor(chat, from('system', script.askForHuman.notice));

	const [handover] = await scene.agentView(chat);
	expect(handover.split('\n').slice(0, script.transcript.length)).toEqual(script.transcript);

	await scene.agentSays(chat, script.agentReply);
	await customer.waitFor(chat, from('agent', script.agentReply));
	await scene.customerSays(chat, script.followUp.text);
	await eventually(async () => (await scene.agentView(chat)).includes(script.followUp.atAgent), 30_000, 'the customer message at the agent');
}

export const routingExamples: Record<string, ExampleDriver> = {
	/**
	 * A customer chats with the Ultimate bot through n8n and asks for a human: n8n opens a NovaTalks
	 * conversation holding the transcript and links it in a Data Table; the agent's replies reach the
	 * customer, the customer's next messages reach the agent, and the bot stays out of it.
	 */
	[ULTIMATE_TO_NOVATALKS]: async (stack) => {
		const chats = await playHandovers(ultimateToNovaTalks(stack), stack.customer, (chat) => ({
			opening: { text: 'Hello there', botAnswers: [BOT_SCRIPT.welcome, 'You said: Hello there'] },
			askForHuman: { text: 'Talk to a human', botAnswers: [], notice: 'An agent has joined the chat.' },
			transcript: [
				'contact: Handed over by the Ultimate bot. Transcript so far:',
				'Customer: Hello there',
				`Bot: ${BOT_SCRIPT.welcome}`,
				'Bot: You said: Hello there',
				'Customer: Talk to a human',
			],
			agentReply: `Hi ${chat}, Sam from Support here. How can I help?`,
			followUp: { text: `My order is late (${chat})`, atAgent: `contact: My order is late (${chat})` },
		}));
		// The bot handed each chat over: it answered nothing after the escalation.
		for (const chat of chats) expect(stack.customer.messagesIn(chat).filter((message) => message.from === 'bot')).toHaveLength(2);
	},

	/**
	 * A customer chats with the JAICP bot through n8n and asks for an operator: n8n opens a Concierge
	 * chat holding the bot transcript and links it in a Data Table; the concierge's replies reach the
	 * customer, the customer's next messages reach the concierge.
	 */
	[JAICP_TO_CONCIERGE]: async (stack) => {
		await playHandovers(jaicpToConcierge(stack), stack.customer, (chat) => ({
			opening: { text: 'Hi, what can you do?', botAnswers: ['You said: Hi, what can you do?'] },
			askForHuman: { text: 'I need a human operator', botAnswers: ['Connecting you to an operator…'], notice: 'A concierge has joined the chat.' },
			// JAICP's history at hand-over time; JAICP's own operator greeting may follow these lines.
			transcript: [
				'TENANT: Chat handed over by the JAICP bot. Transcript so far:',
				'customer: Hi, what can you do?',
				'bot: You said: Hi, what can you do?',
				'customer: I need a human operator',
				'bot: Connecting you to an operator…',
			],
			agentReply: `Hello ${chat}, Mai from the front desk here. How can I help?`,
			followUp: { text: `My room key does not work (${chat})`, atAgent: `TENANT: My room key does not work (${chat})` },
		}));
	},
};
