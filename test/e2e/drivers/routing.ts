import { BOT_SCRIPT } from '../../emulators/ultimate';
import { JAICP_TO_CONCIERGE, jaicpToConcierge } from '../routing/jaicp-to-concierge';
import { ULTIMATE_TO_NOVATALKS, ultimateToNovaTalks } from '../routing/ultimate-to-novatalks';
import { eventually, type ExampleDriver } from './driver';

export const routingExamples: Record<string, ExampleDriver> = {
	/**
	 * A customer chats with the Ultimate bot through n8n and asks for a human: n8n opens a NovaTalks
	 * conversation holding the transcript and links it in a Data Table; the agent's replies reach the
	 * customer, the customer's next messages reach the agent, and the bot stays out of it.
	 */
	[ULTIMATE_TO_NOVATALKS]: async (stack) => {
		const scene = ultimateToNovaTalks(stack);
		await scene.wire();
		const { customer } = stack;
		const chat = `web-${Date.now()}`;

		await scene.customerSays(chat, 'Hello there');
		await customer.waitFor(chat, (message) => message.from === 'bot' && message.text === BOT_SCRIPT.welcome);
		await customer.waitFor(chat, (message) => message.from === 'bot' && message.text === 'You said: Hello there');
		await scene.customerSays(chat, 'Talk to a human');
		await customer.waitFor(chat, (message) => message.from === 'system' && message.text === 'An agent has joined the chat.');

		const [handover] = await scene.agentView(chat);
		expect(handover.split('\n')).toEqual([
			'contact: Handed over by the Ultimate bot. Transcript so far:',
			'Customer: Hello there',
			`Bot: ${BOT_SCRIPT.welcome}`,
			'Bot: You said: Hello there',
			'Customer: Talk to a human',
		]);

		await scene.agentSays(chat, 'Hi, Sam from Support here. How can I help?');
		await customer.waitFor(chat, (message) => message.from === 'agent' && message.text === 'Hi, Sam from Support here. How can I help?');
		await scene.customerSays(chat, 'My order is late');
		await eventually(async () => (await scene.agentView(chat)).includes('contact: My order is late'), 30_000, 'the customer message at the agent');
		// The bot handed the chat over: it answered nothing after the escalation.
		expect(customer.messagesIn(chat).filter((message) => message.from === 'bot')).toHaveLength(2);
	},

	/**
	 * A customer chats with the JAICP bot through n8n and asks for an operator: n8n opens a Concierge
	 * chat holding the bot transcript and links it in a Data Table; the concierge's replies reach the
	 * customer, the customer's next messages reach the concierge.
	 */
	[JAICP_TO_CONCIERGE]: async (stack) => {
		const scene = jaicpToConcierge(stack);
		await scene.wire();
		const { customer } = stack;
		const chat = `web-${Date.now()}`;

		await scene.customerSays(chat, 'Hi, what can you do?');
		await customer.waitFor(chat, (message) => message.from === 'bot' && message.text === 'You said: Hi, what can you do?');
		await scene.customerSays(chat, 'I need a human operator');
		await customer.waitFor(chat, (message) => message.from === 'bot' && message.text === 'Connecting you to an operator…');
		await customer.waitFor(chat, (message) => message.from === 'system' && message.text === 'A concierge has joined the chat.');

		// The transcript is JAICP's history at hand-over time; JAICP's own operator greeting may already be in it.
		const [handover] = await scene.agentView(chat);
		expect(handover.split('\n').slice(0, 5)).toEqual([
			'TENANT: Chat handed over by the JAICP bot. Transcript so far:',
			'customer: Hi, what can you do?',
			'bot: You said: Hi, what can you do?',
			'customer: I need a human operator',
			'bot: Connecting you to an operator…',
		]);

		await scene.agentSays(chat, 'Hello, Mai from the front desk here. How can I help?');
		await customer.waitFor(chat, (message) => message.from === 'agent' && message.text === 'Hello, Mai from the front desk here. How can I help?');
		await scene.customerSays(chat, 'My room key does not work');
		await eventually(async () => (await scene.agentView(chat)).includes('TENANT: My room key does not work'), 30_000, 'the customer message at the concierge');
	},
};
