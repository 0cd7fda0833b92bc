import { MemoryDeduplicator } from '../helpers/deduplication';
import { startTrigger } from '../helpers/trigger';
import { waitFor } from '../helpers/wait';
import { chain } from '../helpers/workflow-builder';
import { BRIDGE, customerSays, runBridge, useParties } from './setup';

const parties = useParties();

/** A Concierge agent's message, as the Concierge Trigger emits it. */
const agentEvent = (sessionId: string, messageId: string, text: string) => ({
	provider: 'concierge',
	type: 'message',
	conversationId: sessionId,
	messageId,
	from: { role: 'agent' },
	text,
	attachments: [],
	timestamp: new Date().toISOString(),
	replyTo: { provider: 'concierge', conversationId: sessionId },
	raw: {},
});

const linkOf = (chatId: string) => parties().tables.rowsOf('chat_bridge_links').find((row) => row.chatId === chatId);

describe('Chat Bridge: Relay between a front end, the JAICP bot and a Concierge desk', () => {
	it('starts the chat with the bot, relays its replies to the customer and hands over with the transcript', async () => {
		const first = await runBridge(parties(), [customerSays(parties(), 'chat-1', 'Hi, what can you do?', { customer: { name: 'Anna' } })]);
		expect(first.status).toBe('success');
		expect(first.json('Bridge').map((item) => item.action)).toEqual(['started', 'relayed', 'relayed']);
		await parties().customer.waitFor('chat-1', (message) => message.from === 'bot' && message.text === 'You said: Hi, what can you do?');

		const link = linkOf('chat-1');
		expect(link).toMatchObject({ chatId: 'chat-1', bot: 'jaicp', state: 'bot', customerName: 'Anna' });
		// The bot conversation is the bridge's own id, not the front end's.
		expect(parties().jaicp.historyOf(String(link?.botConversationId))).toHaveLength(1);

		const handover = await runBridge(parties(), [customerSays(parties(), 'chat-1', 'I need a human operator')]);
		expect(handover.status).toBe('success');
		expect(handover.json('Bridge').map((item) => item.action)).toEqual(['relayed', 'relayed', 'handedOver']);
		await parties().customer.waitFor('chat-1', (message) => message.from === 'system' && message.text === 'An agent has joined the chat.');

		const linked = linkOf('chat-1');
		expect(linked).toMatchObject({ state: 'desk', desk: 'concierge' });
		const [transcript] = parties().concierge.messagesOf(String(linked?.deskConversationId));
		expect(transcript.messageContent.split('\n')).toEqual([
			'Handed over by the bot. Transcript so far:',
			'Customer: Hi, what can you do?',
			'Bot: You said: Hi, what can you do?',
			'Customer: I need a human operator',
			'Bot: Connecting you to an operator…',
		]);

		// After the hand-over the customer writes to the desk, not the bot.
		const before = parties().jaicp.historyOf(String(linked?.botConversationId)).length;
		await runBridge(parties(), [customerSays(parties(), 'chat-1', 'My room key does not work')]);
		expect(parties().concierge.messagesOf(String(linked?.deskConversationId)).map((message) => message.messageContent)).toContain('My room key does not work');
		expect(parties().jaicp.historyOf(String(linked?.botConversationId))).toHaveLength(before);
	});

	it("delivers the desk's replies from the Concierge Trigger to the customer, in order, each once", async () => {
		await runBridge(parties(), [customerSays(parties(), 'chat-2', 'Hello')]);
		await runBridge(parties(), [customerSays(parties(), 'chat-2', 'operator please')]);
		const sessionId = String(linkOf('chat-2')?.deskConversationId);

		const deskFlow = chain(
			{ name: 'Desk', type: 'conciergeTrigger', parameters: { follow: 'all', events: ['chatMessage'], conciergeOnly: true, options: {} } },
			{ name: 'Bridge', type: 'chatBridge', parameters: BRIDGE },
		);
		const trigger = await startTrigger({ ...deskFlow, id: 'bridge-workflow' }, { credentials: parties().credentials as never, runDownstream: true });
		try {
			for (let n = 1; n <= 5; n++) parties().concierge.conciergeSend(sessionId, `Agent line ${n}`);
			await waitFor(() => parties().customer.messagesIn('chat-2').filter((message) => message.from === 'agent').length >= 5, 20_000, () => 'five agent lines');
			const runs = await Promise.all(trigger.runs);
			expect(runs.map((run) => run.status)).toEqual(runs.map(() => 'success'));
		} finally {
			await trigger.close();
		}
		const agentLines = parties().customer.messagesIn('chat-2').filter((message) => message.from === 'agent').map((message) => message.text);
		expect(agentLines).toEqual(['Agent line 1', 'Agent line 2', 'Agent line 3', 'Agent line 4', 'Agent line 5']);
	});

	it('relays a repeated event once: the copy goes to the Not Relayed output', async () => {
		await runBridge(parties(), [customerSays(parties(), 'chat-3', 'Hello')]);
		await runBridge(parties(), [customerSays(parties(), 'chat-3', 'operator please')]);
		const sessionId = String(linkOf('chat-3')?.deskConversationId);
		const event = agentEvent(sessionId, '9001', 'Only once');
		const run = await runBridge(parties(), [event, event]);
		expect(run.json('Bridge', 0)).toHaveLength(1);
		expect(run.json('Bridge', 1)).toEqual([expect.objectContaining({ notRelayed: expect.stringContaining('relayed before') })]);
		expect(parties().customer.messagesIn('chat-3').filter((message) => message.text === 'Only once')).toHaveLength(1);
	});

	it("relays an event whose first claim lost n8n's race to create the claims row, once", async () => {
		await runBridge(parties(), [customerSays(parties(), 'chat-6', 'Hello')]);
		await runBridge(parties(), [customerSays(parties(), 'chat-6', 'operator please')]);
		const sessionId = String(linkOf('chat-6')?.deskConversationId);
		// What n8n's database store answers an execution that tried to create the node's claims row second.
		jest
			.spyOn(MemoryDeduplicator.prototype, 'checkProcessedAndRecord')
			.mockRejectedValueOnce(new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed: processed_data.workflowId, processed_data.context'));
		const event = agentEvent(sessionId, '9006', 'After a lost race');
		const run = await runBridge(parties(), [event]);
		jest.restoreAllMocks();
		expect(run.status).toBe('success');
		expect(parties().customer.messagesIn('chat-6').filter((message) => message.text === 'After a lost race')).toHaveLength(1);
	});

	it('lets a failed delivery be retried, and sends it then exactly once', async () => {
		await runBridge(parties(), [customerSays(parties(), 'chat-4', 'Hello')]);
		await runBridge(parties(), [customerSays(parties(), 'chat-4', 'operator please')]);
		const sessionId = String(linkOf('chat-4')?.deskConversationId);
		const event = agentEvent(sessionId, '9002', 'After a failure');
		parties().tables.failNext(500, 1);
		const failed = await runBridge(parties(), [event]);
		expect(failed.status).toBe('error');
		const retried = await runBridge(parties(), [event]);
		expect(retried.status).toBe('success');
		expect(parties().customer.messagesIn('chat-4').filter((message) => message.text === 'After a failure')).toHaveLength(1);
	});

	it('does not fail (and so is never sent again) when the transcript cannot be written after the delivery', async () => {
		await runBridge(parties(), [customerSays(parties(), 'chat-8', 'Hello')]);
		await runBridge(parties(), [customerSays(parties(), 'chat-8', 'operator please')]);
		const sessionId = String(linkOf('chat-8')?.deskConversationId);
		// The only row written for a desk message is its transcript line, after it reached the customer.
		parties().tables.failNext(500, 1, 'POST');
		const run = await runBridge(parties(), [agentEvent(sessionId, '9003', 'Delivered anyway')]);
		expect(run.status).toBe('success');
		const again = await runBridge(parties(), [agentEvent(sessionId, '9003', 'Delivered anyway')]);
		expect(again.json('Bridge', 1)).toEqual([expect.objectContaining({ notRelayed: expect.stringContaining('relayed before') })]);
		expect(parties().customer.messagesIn('chat-8').filter((message) => message.text === 'Delivered anyway')).toHaveLength(1);
		const transcript = parties().tables.rowsOf('chat_bridge_messages').filter((row) => row.chatId === 'chat-8').map((row) => row.text);
		expect(transcript).not.toContain('Delivered anyway');
	});

	it('names the party and the conversation when a message comes for a conversation it does not know', async () => {
		const event = {
			provider: 'concierge',
			type: 'message',
			conversationId: 'session-nobody-linked',
			from: { role: 'agent' },
			text: 'Hello?',
			attachments: [],
			timestamp: new Date().toISOString(),
			raw: {},
		};
		const run = await runBridge(parties(), [event]);
		expect(run.status).toBe('error');
		expect(run.error?.message).toBe('No bridged chat for conversation session-nobody-linked of the Concierge desk');

		const lenient = await runBridge(parties(), [event], { ...BRIDGE, options: { unknownConversation: 'notRelayed' } });
		expect(lenient.json('Bridge', 1)).toEqual([expect.objectContaining({ notRelayed: expect.stringContaining('session-nobody-linked') })]);
	});

	it('refuses a first message without replyUrl, naming the chat, and sends nothing', async () => {
		const run = await runBridge(parties(), [{ conversationId: 'chat-5', text: 'Hi' }]);
		expect(run.status).toBe('error');
		expect(run.error?.message).toBe('The first message of chat chat-5 has no replyUrl');
		expect(parties().jaicp.historyOf('chat-5')).toHaveLength(0);
	});

	it('names the desk and the conversation when the desk refuses a message', async () => {
		await runBridge(parties(), [customerSays(parties(), 'chat-6', 'Hello')]);
		await runBridge(parties(), [customerSays(parties(), 'chat-6', 'operator please')]);
		const sessionId = String(linkOf('chat-6')?.deskConversationId);
		parties().concierge.failNext('client/send-message', 403, { message: 'Session is closed' });
		const run = await runBridge(parties(), [customerSays(parties(), 'chat-6', 'Are you there?')]);
		expect(run.status).toBe('error');
		expect(run.error?.message).toBe(`The Concierge desk (conversation ${sessionId}): Session is closed [403]`);
	});

	it('ends the chat when the customer closes it, and a new message then starts a new bot conversation', async () => {
		await runBridge(parties(), [customerSays(parties(), 'chat-7', 'Hello')]);
		const firstBot = linkOf('chat-7')?.botConversationId;
		const end = await runBridge(parties(), [{ conversationId: 'chat-7', end: true }]);
		expect(end.json('Bridge')).toEqual([{ chatId: 'chat-7', action: 'ended', by: 'customer' }]);
		await runBridge(parties(), [customerSays(parties(), 'chat-7', 'Hello again')]);
		const rows = parties().tables.rowsOf('chat_bridge_links').filter((row) => row.chatId === 'chat-7');
		expect(rows.map((row) => row.state)).toEqual(['ended', 'bot']);
		expect(rows[1].botConversationId).not.toBe(firstBot);
	});
});
