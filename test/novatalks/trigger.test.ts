import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { INodeParameters } from 'n8n-workflow';

import { WS_EVENTS } from '../../nodes/NovaTalks/protocol';
import { NovaTalksEmulator, type ConversationRecord } from '../emulators/novatalks';
import { startTrigger, type TriggerHandle } from '../helpers/trigger';
import { delay, waitFor } from '../helpers/wait';
import { runWorkflow } from '../helpers/workflow';
import { triggerWorkflow } from './fixtures';

const ALL_EVENTS = [...WS_EVENTS];

describe('NovaTalks Trigger (WebSocket)', () => {
	let emulator: NovaTalksEmulator;
	let conversation: ConversationRecord;
	let trigger: TriggerHandle | undefined;

	beforeEach(async () => {
		emulator = await NovaTalksEmulator.start();
		conversation = emulator.createConversation('Jane');
	});

	afterEach(async () => {
		await trigger?.close();
		trigger = undefined;
		await emulator.close();
		jest.restoreAllMocks();
	});

	const start = async (parameters: INodeParameters = {}) => {
		trigger = await startTrigger(
			triggerWorkflow({ contactTokens: conversation.token, events: ['message.created'], ...parameters }),
			{ credentials: emulator.credentials() },
		);
		return trigger;
	};
	const subscribed = (target = conversation, count = 1) =>
		waitFor(() => emulator.subscriberCount(target.id) === count, 3000, () => `a subscription to conversation ${target.id}`);
	/** The contact writes through the REST API, as the action node would. */
	const contactWrites = (content: string, target = conversation) =>
		fetch(`${emulator.baseUrl}/api/v1/sdk/conversations/messages`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', access_token: target.token },
			body: JSON.stringify({ message: { content, echo_id: `echo-${content}` } }),
		});

	it('subscribes with the token and account, waits for the confirmation and emits agent messages as ChatEvents', async () => {
		const handle = await start();
		expect(emulator.wsReceived[0]).toEqual({ event: 'subscribe', data: { pubsub_token: conversation.token, account_id: 1 } });
		expect(emulator.subscriberCount(conversation.id)).toBe(1);

		const sent = emulator.agentSend(conversation.id, {
			content: 'Hi, this is Support',
			attachments: [{ url: 'https://store.example/s/telegram.png', fileType: 'image', size: 9473, mimeType: 'image/png' }],
		});
		const [item] = await handle.waitForItems(1);
		expect(item.json).toEqual({
			provider: 'novatalks',
			type: 'message',
			conversationId: String(conversation.id),
			messageId: String(sent.id),
			from: { role: 'agent', id: '1', name: 'Support' },
			text: 'Hi, this is Support',
			attachments: [{ url: 'https://store.example/s/telegram.png', name: 'telegram.png', mimeType: 'image/png', size: 9473 }],
			status: 'sent',
			timestamp: new Date(sent.created_at as number).toISOString(),
			// The contact token is in the reply address: NovaTalks > Send Message needs it to answer.
			replyTo: { provider: 'novatalks', conversationId: String(conversation.id), contactToken: conversation.token },
			raw: { event: 'message.created', data: expect.objectContaining({ id: sent.id, content: 'Hi, this is Support' }) },
		});
		expect(handle.errors).toEqual([]);
	});

	it('answers presence.update with update_presence', async () => {
		await start();
		emulator.sendPresenceCheck();
		emulator.sendPresenceCheck();
		await waitFor(() => emulator.presenceAnswers === 2, 2000, () => 'two presence answers');
		expect(emulator.wsReceived.filter((frame) => frame.event === 'update_presence')).toEqual([
			{ event: 'update_presence' },
			{ event: 'update_presence' },
		]);
	});

	it('emits only what the event filter and the agent-side option let through', async () => {
		const handle = await start();
		const mine = emulator.agentSend(conversation.id, { content: 'agent' });
		emulator.agentTyping(conversation.id);
		emulator.setConversationStatus(conversation.id, 'resolved');
		emulator.agentMarks(mine.id, 'seen');
		await contactWrites('from the contact');
		const bot = emulator.agentSend(conversation.id, { content: 'bot', bot: true });
		await handle.waitForItems(2);
		await delay(100);
		expect(handle.json.map((event) => [event.type, event.text, (event.from as { role: string }).role])).toEqual([
			['message', 'agent', 'agent'],
			['message', 'bot', 'bot'],
		]);
		expect(handle.json[1].messageId).toBe(String(bot.id));
	});

	it('emits every event type it is asked for, from both sides when Only Agent Side is off', async () => {
		const handle = await start({ events: ALL_EVENTS, onlyAgentSide: false });
		const agent = emulator.agentSend(conversation.id, { content: 'agent' });
		await handle.waitForItems(1);
		emulator.agentTyping(conversation.id);
		await handle.waitForItems(2);
		emulator.setConversationStatus(conversation.id, 'pending');
		await handle.waitForItems(3);
		emulator.agentMarks(agent.id, 'delivered');
		await handle.waitForItems(4);
		emulator.agentReacts(agent.id, '🔥');
		await handle.waitForItems(5);
		await contactWrites('mine');
		await handle.waitForItems(6);
		const own = emulator.messagesOf(conversation.id)[1];
		await fetch(`${emulator.baseUrl}/api/v1/sdk/conversations/messages/${own.id}`, {
			method: 'DELETE',
			headers: { access_token: conversation.token },
		});
		await handle.waitForItems(7);

		const summary = handle.json.map((event) => ({
			type: event.type,
			role: (event.from as { role: string }).role,
			status: event.status,
			text: event.text,
		}));
		expect(summary).toEqual([
			{ type: 'message', role: 'agent', status: 'sent', text: 'agent' },
			{ type: 'typing', role: 'agent', status: undefined, text: undefined },
			{ type: 'status', role: 'system', status: 'pending', text: undefined },
			{ type: 'message_updated', role: 'agent', status: 'delivered', text: 'agent' },
			{ type: 'reaction', role: 'agent', status: undefined, text: '🔥' },
			{ type: 'message', role: 'customer', status: 'sent', text: 'mine' },
			{ type: 'message_deleted', role: 'system', status: 'deleted', text: undefined },
		]);
		expect(handle.json[4].messageId).toBe(String(agent.id));
		expect(handle.json[6].messageId).toBe(String(own.id));
		expect(handle.json.every((event) => event.conversationId === String(conversation.id))).toBe(true);
	});

	it('leaves out the contact’s own typing and reactions when Only Agent Side is on', async () => {
		const handle = await start({ events: ['typing', 'message.reaction_updated', 'message.created'] });
		emulator.sendFrame(conversation.id, {
			event: 'typing',
			data: { conversation_id: conversation.id, sender: { id: 100, name: 'Jane' }, sender_type: 'Contact' },
		});
		const agent = emulator.agentSend(conversation.id, { content: 'agent' });
		await fetch(`${emulator.baseUrl}/api/v1/sdk/conversations/messages/${agent.id}/reactions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', access_token: conversation.token },
			body: JSON.stringify({ reaction: '👍' }),
		});
		emulator.agentTyping(conversation.id);
		await handle.waitForItems(2);
		await delay(100);
		expect(handle.json.map((event) => event.type)).toEqual(['message', 'typing']);
	});

	it('outputs the NovaTalks frame when Raw Output is on', async () => {
		const handle = await start({ options: { rawOutput: true } });
		const sent = emulator.agentSend(conversation.id, { content: 'raw' });
		await handle.waitForItems(1);
		expect(handle.json[0]).toEqual({ event: 'message.created', data: expect.objectContaining({ id: sent.id, content: 'raw' }) });
	});

	it('follows several tokens on one connection', async () => {
		const other = emulator.createConversation('Bob');
		const handle = await start({ contactTokens: `${conversation.token},\n${other.token}` });
		expect(emulator.connectionCount).toBe(1);
		expect(emulator.subscriberCount(other.id)).toBe(1);
		emulator.agentSend(conversation.id, { content: 'to Jane' });
		emulator.agentSend(other.id, { content: 'to Bob' });
		await handle.waitForItems(2);
		expect(handle.json.map((event) => [event.conversationId, event.text])).toEqual([
			[String(conversation.id), 'to Jane'],
			[String(other.id), 'to Bob'],
		]);
	});

	it('does not replay messages written before it started, and emits a duplicate frame once', async () => {
		emulator.agentSend(conversation.id, { content: 'old 1' });
		emulator.agentSend(conversation.id, { content: 'old 2' });
		const handle = await start();
		const fresh = emulator.agentSend(conversation.id, { content: 'new' });
		emulator.sendFrame(conversation.id, { event: 'message.created', data: fresh });
		await handle.waitForItems(1);
		emulator.dropAll();
		await waitFor(() => emulator.connectionCount === 2, 3000, () => 'a reconnect');
		await subscribed();
		emulator.agentSend(conversation.id, { content: 'after the drop' });
		await handle.waitForItems(2);
		await delay(150);
		expect(handle.json.map((event) => event.text)).toEqual(['new', 'after the drop']);
	});

	it('emits exactly the 200 agent messages, in order, while the connection is dropped 10 times', async () => {
		const handle = await start();
		const sent: number[] = [];
		const send = () => sent.push(emulator.agentSend(conversation.id, { content: `agent message ${sent.length + 1}` }).id);
		for (let drop = 0; drop < 10; drop++) {
			await subscribed();
			for (let index = 0; index < 10; index++) {
				send();
				await delay(2);
			}
			emulator.dropAll();
			// These are written while the trigger is away, reconnecting, resubscribing and catching up.
			for (let index = 0; index < 10; index++) {
				send();
				if (index % 3 === 0) await delay(15);
			}
		}
		await handle.waitForItems(200, 20_000);
		await delay(300);

		expect(sent).toHaveLength(200);
		const emitted = handle.json.map((event) => Number(event.messageId));
		expect(emitted).toHaveLength(200);
		expect(new Set(emitted).size).toBe(200);
		expect(emitted).toEqual(sent);
		expect(handle.json.map((event) => event.text)).toEqual(sent.map((_, index) => `agent message ${index + 1}`));
		expect(emulator.connectionCount).toBe(11);
		const catchUps = emulator.requests.filter((entry) => entry.query.after !== undefined);
		expect(catchUps.length).toBeGreaterThanOrEqual(10);
		expect(handle.errors).toEqual([]);
	}, 40_000);

	it('fetches missed messages page by page after a reconnect, and retries a failed fetch', async () => {
		const handle = await start();
		emulator.dropAll();
		emulator.failNext(500, 1, /messages$/);
		const missed = Array.from({ length: 45 }, (_, index) => emulator.agentSend(conversation.id, { content: `missed ${index}` }).id);
		await handle.waitForItems(45, 10_000);
		expect(handle.json.map((event) => Number(event.messageId))).toEqual(missed);
		const afterQueries = emulator.requests.filter((entry) => entry.query.after !== undefined && entry.status === 200);
		// The catch-up at activation, then after the drop: pages of 20 until a short page.
		expect(afterQueries.map((entry) => entry.query.after)).toEqual(['0', '0', String(missed[19]), String(missed[39])]);
		expect(emulator.requests.some((entry) => entry.status === 500)).toBe(true);
		expect(handle.errors).toEqual([]);
	});

	it('logs and skips a malformed frame and stays up', async () => {
		const warn = jest.spyOn(Container.get(Logger), 'warn');
		const handle = await start({ events: ['message.created', 'typing'] });
		emulator.sendRaw(conversation.id, '{"event": "message.created", "data": {');
		emulator.sendRaw(conversation.id, JSON.stringify({ event: 'message.created', data: { content: 'no id' } }));
		emulator.sendRaw(conversation.id, JSON.stringify(['not', 'a', 'frame']));
		emulator.sendRaw(conversation.id, JSON.stringify({ event: 'typing', data: 'nonsense' }));
		const sent = emulator.agentSend(conversation.id, { content: 'still here' });
		await handle.waitForItems(1);
		expect(handle.json.map((event) => event.messageId)).toEqual([String(sent.id)]);
		const warnings = warn.mock.calls.map((call) => String(call[0]));
		expect(warnings).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^NovaTalks Trigger skipped a malformed frame: /),
				'NovaTalks Trigger skipped a message.created frame without a message id and conversation id',
				'NovaTalks Trigger skipped a frame without an event name',
				'NovaTalks Trigger skipped a typing frame it could not read',
			]),
		);
		expect(emulator.connectionCount).toBe(1);
		expect(handle.errors).toEqual([]);
	});

	it('fails activation with a clear error for a token NovaTalks refuses', async () => {
		const other = emulator.createConversation('Bob');
		await expect(
			startTrigger(triggerWorkflow({ contactTokens: `${other.token}, wrongToken12345`, events: ['message.created'] }), {
				credentials: emulator.credentials(),
			}),
		).rejects.toThrow('NovaTalks refused contact token 2 of 2: Invalid access token [401]');
		expect(emulator.connectionCount).toBe(0);
	});

	it('fails activation with a clear error when the subscription is never confirmed, and does not retry', async () => {
		emulator.confirmSubscriptions = false;
		await expect(start({ options: { subscribeTimeout: 0.3 } })).rejects.toThrow(
			'NovaTalks did not confirm the subscription of contact token 1 within 0.3 s',
		);
		// The socket is terminated at once (npm test fails on a leaked one); n8n retries activation itself.
		await delay(500);
		expect(emulator.connectionCount).toBe(1);
		expect(emulator.wsReceived).toEqual([{ event: 'subscribe', data: { pubsub_token: conversation.token, account_id: 1 } }]);
	});

	it('keeps retrying when a reconnect is not confirmed, and catches up once it is', async () => {
		const handle = await start({ options: { subscribeTimeout: 0.2 } });
		emulator.confirmSubscriptions = false;
		emulator.dropAll();
		const missed = emulator.agentSend(conversation.id, { content: 'while unconfirmed' });
		await waitFor(() => emulator.connectionCount >= 3, 5000, () => 'two reconnect attempts');
		expect(handle.emitted).toHaveLength(0);
		emulator.confirmSubscriptions = true;
		await handle.waitForItems(1, 5000);
		expect(handle.json[0].messageId).toBe(String(missed.id));
		expect(handle.errors).toEqual([]);
	});

	it('resolves a manual test run with the first event', async () => {
		const running = runWorkflow(triggerWorkflow({ contactTokens: conversation.token, events: ['message.created'] }), {
			mode: 'manual',
			credentials: emulator.credentials(),
		});
		await subscribed();
		emulator.agentSend(conversation.id, { content: 'first' });
		emulator.agentSend(conversation.id, { content: 'second' });
		const run = await running;
		expect(run.status).toBe('success');
		expect(run.json('NovaTalks Trigger').map((event) => event.text)).toEqual(['first']);
		await waitFor(() => emulator.openSockets === 0, 5000, () => 'the manual trigger to close');
	});

	it('closes its socket and emits nothing after close', async () => {
		const handle = await start();
		emulator.agentSend(conversation.id, { content: 'before' });
		await handle.waitForItems(1);
		await handle.close();
		trigger = undefined;
		await waitFor(() => emulator.openSockets === 0, 5000, () => 'the server to see the socket close');
		emulator.agentSend(conversation.id, { content: 'after' });
		await delay(100);
		expect(handle.emitted).toHaveLength(1);
		expect(emulator.connectionCount).toBe(1);
	});
});
