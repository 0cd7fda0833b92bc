import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { closedPort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';
import { WebhookServer } from '../helpers/webhook';
import type { WorkflowJson } from '../helpers/workflow';
import {
	actionEvent,
	BOT_ID,
	chatEvent,
	escalateEvent,
	failingNode,
	post,
	teamOnlineEvent,
	textMessage,
	TRIGGER,
	triggerWorkflow,
	ultimateCredentials,
} from './fixtures';

let server: WebhookServer | undefined;

afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function serve(workflow: WorkflowJson, credentials = ultimateCredentials()) {
	server = await WebhookServer.start(workflow, { credentials: { ...credentials, probeApi: { apiKey: 'probe-key' } } });
	return { chatUrl: server.url(TRIGGER, 'default'), actionsUrl: server.url(TRIGGER, 'actions'), server };
}

const emitted = async (hooks: WebhookServer, output = 0) => (await hooks.runs()).map((run) => run.json(TRIGGER, output));

describe('Ultimate Trigger: two webhook URLs', () => {
	it('serves the chat and the actions webhook under distinct URLs', async () => {
		const { chatUrl, actionsUrl } = await serve(triggerWorkflow());
		expect(chatUrl).toMatch(/\/webhook\/ultimate-hook\/chat$/);
		expect(actionsUrl).toMatch(/\/webhook\/ultimate-hook\/actions$/);
	});
});

describe('Ultimate Trigger: response mode of the chat webhook', () => {
	it.each([
		[{}, 'lastNode'],
		[{ escalationReply: 'atOnce' }, 'onReceived'],
		[{ teamOnlineAnswer: 'fromWorkflow', escalationReply: 'atOnce' }, 'lastNode'],
		[{ escalationReply: 'afterWorkflow', teamOnlineAnswer: 'fixed' }, 'lastNode'],
		[{ escalationReply: 'atOnce', messageReply: 'afterWorkflow' }, 'lastNode'],
	])('with %j the chat webhook responds in mode %s', async (parameters, mode) => {
		const { server } = await serve(triggerWorkflow(parameters));
		const node = server.workflow.getNode(TRIGGER);
		const [chat, actions] = server.workflow.nodeTypes.getByNameAndVersion(node!.type, 1).description.webhooks!;
		const resolve = (value: unknown) => server.workflow.expression.getSimpleParameterValue(node!, value as string, 'internal', {});
		expect(resolve(chat.responseMode)).toBe(mode);
		expect(resolve(actions.responseMode)).toBe('lastNode');
	});
});

describe('Ultimate Trigger: events to ChatEvents', () => {
	it('maps a text message', async () => {
		const { chatUrl, server } = await serve(triggerWorkflow({ escalationReply: 'atOnce' }));
		const body = textMessage('Hello, this is a bot text message');
		expect(await post(chatUrl, body)).toEqual({ status: 200, body: { message: 'Event received' } });
		expect(await emitted(server)).toEqual([
			[
				{
					provider: 'ultimate',
					type: 'message',
					conversationId: 'session1',
					messageId: body.data.messageId,
					from: { role: 'bot', id: BOT_ID },
					text: 'Hello, this is a bot text message',
					attachments: [],
					timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
					replyTo: { provider: 'ultimate', conversationId: 'session1' },
					raw: body,
				},
			],
		]);
	});

	it('flattens buttons (link buttons keep their URL, not a value)', async () => {
		const { chatUrl, server } = await serve(triggerWorkflow());
		const body = textMessage('Pick one', {
			buttons: [
				{ type: 'button', text: 'YES' },
				{ type: 'button', text: 'NO' },
				{ type: 'link', text: 'Help center', url: 'https://help.example.com' },
			],
		});
		await post(chatUrl, body);
		const [[event]] = await emitted(server);
		expect(event.buttons).toEqual([
			{ title: 'YES', value: 'YES' },
			{ title: 'NO', value: 'NO' },
			{ title: 'Help center', url: 'https://help.example.com' },
		]);
	});

	it("flattens a carousel: every card's buttons into buttons, card images into attachments", async () => {
		const { chatUrl, server } = await serve(triggerWorkflow());
		const card = (n: number) => ({
			title: `card ${n}`,
			description: `card ${n} description`,
			imageUrl: `https://img.example.com/${n}.png`,
			buttons: [
				{ text: `button ${n}a`, type: 'button' },
				{ text: `button ${n}b`, type: 'button' },
			],
		});
		await post(chatUrl, textMessage('', { type: 'carousel', carouselCards: [card(1), card(2)] }));
		const [[event]] = await emitted(server);
		expect(event).toMatchObject({ type: 'message', text: '' });
		expect(event.buttons).toEqual([
			{ title: 'button 1a', value: 'button 1a' },
			{ title: 'button 1b', value: 'button 1b' },
			{ title: 'button 2a', value: 'button 2a' },
			{ title: 'button 2b', value: 'button 2b' },
		]);
		expect(event.attachments).toEqual([
			{ url: 'https://img.example.com/1.png', name: 'card 1' },
			{ url: 'https://img.example.com/2.png', name: 'card 2' },
		]);
	});

	it.each([
		['escalate', escalateEvent(), { type: 'escalation', conversationId: 'session1', from: { role: 'bot', id: BOT_ID } }],
		[
			'widgetEscalate',
			chatEvent({ eventType: 'widgetEscalate', platformConversationId: 'w1', escalateTo: 'crm' }),
			{ type: 'escalation', conversationId: 'w1', from: { role: 'bot', id: BOT_ID } },
		],
		['isTeamOnline', teamOnlineEvent(), { type: 'team_online_query', conversationId: '', from: { role: 'bot', id: BOT_ID } }],
		[
			'widgetMessage',
			chatEvent({ eventType: 'widgetMessage', platformConversationId: 'w1', text: 'Are you there?' }),
			{ type: 'message', conversationId: 'w1', from: { role: 'customer' }, text: 'Are you there?' },
		],
		[
			'widgetEndSession',
			chatEvent({ eventType: 'widgetEndSession', platformConversationId: 'w1' }),
			{ type: 'session_ended', conversationId: 'w1', from: { role: 'customer' } },
		],
	])('maps %s', async (_name, body, expected) => {
		const { chatUrl, server } = await serve(triggerWorkflow({ escalationReply: 'atOnce' }));
		expect((await post(chatUrl, body)).status).toBe(200);
		const [[event]] = await emitted(server);
		const replyTo = expected.conversationId ? { provider: 'ultimate', conversationId: expected.conversationId } : { provider: 'ultimate' };
		expect(event).toEqual({ provider: 'ultimate', attachments: [], timestamp: expect.any(String), raw: body, replyTo, ...expected });
	});

	it('puts actions on the Action output as type action, and nothing on the Chat output', async () => {
		const { actionsUrl, server } = await serve(
			triggerWorkflow({}, { action: [{ name: 'Answer', type: 'ultimate', parameters: { resource: 'webhookReply', operation: 'answerAction' } }] }),
		);
		const body = actionEvent();
		await post(actionsUrl, body);
		const [run] = await server.runs();
		expect(run.json(TRIGGER, 0)).toEqual([]);
		expect(run.json(TRIGGER, 1)).toEqual([
			{
				provider: 'ultimate',
				type: 'action',
				conversationId: 'session1',
				from: { role: 'bot', id: BOT_ID },
				attachments: [],
				timestamp: expect.any(String),
				replyTo: { provider: 'ultimate', conversationId: 'session1' },
				raw: body,
			},
		]);
	});

	it("outputs Ultimate's payload only with Raw Output", async () => {
		const { chatUrl, server } = await serve(triggerWorkflow({ options: { rawOutput: true } }));
		const body = textMessage('raw please');
		await post(chatUrl, body);
		expect(await emitted(server)).toEqual([[body]]);
	});
});

describe('Ultimate Trigger: replies', () => {
	it('acknowledges sendMessage at once, before a slow workflow ends, and also when the workflow fails', async () => {
		const held: ServerResponse[] = [];
		const slow: Server = createServer((_req, res) => held.push(res));
		await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
		try {
			const { port } = slow.address() as AddressInfo;
			const { chatUrl, server } = await serve(triggerWorkflow({}, { chat: [failingNode(port)] }));
			const reply = await post(chatUrl, textMessage('quick'));
			// The workflow is still waiting on the slow server when the bot has its answer.
			expect(reply).toEqual({ status: 200, body: { message: 'Event received' } });
			await waitFor(() => held.length === 1, 5000, () => 'the workflow to call the slow server');
			expect(server.calls[0].run).toBeUndefined();
			held[0].writeHead(500).end('{"message":"agent desk down"}');
			const [run] = await server.runs();
			expect(run.status).toBe('error');
		} finally {
			await new Promise<void>((resolve) => slow.close(() => resolve()));
		}
	});

	it.each(['widgetMessage', 'widgetEscalate', 'widgetEndSession'])(
		'acknowledges %s at once, whatever the workflow does',
		async (eventType) => {
			const { chatUrl, server } = await serve(triggerWorkflow({}, { chat: [failingNode(await closedPort())] }));
			const body = chatEvent({ eventType, platformConversationId: 'w1', text: 'hello agent' });
			expect(await post(chatUrl, body)).toEqual({ status: 200, body: { message: 'Event received' } });
			expect((await server.runs())[0].status).toBe('error');
		},
	);

	it('answers escalate 200 when the workflow succeeds and 500 when it fails (default)', async () => {
		const ok = await serve(triggerWorkflow());
		expect((await post(ok.chatUrl, escalateEvent())).status).toBe(200);
		expect((await ok.server.runs())[0].status).toBe('success');
		await ok.server.close();

		const failing = await serve(triggerWorkflow({}, { chat: [failingNode(await closedPort())] }));
		expect(await post(failing.chatUrl, escalateEvent())).toEqual({ status: 500, body: { code: 0, message: 'Error in workflow' } });
		expect((await failing.server.runs())[0].status).toBe('error');
	});

	it("answers the bot's messages once the workflow ran when Message Reply asks for it, so the bot sends the next one after", async () => {
		const { chatUrl, server } = await serve(
			triggerWorkflow({ escalationReply: 'atOnce', messageReply: 'afterWorkflow' }, { chat: [failingNode(await closedPort())] }),
		);
		// The answer is the workflow's outcome: it waited for the run.
		expect(await post(chatUrl, textMessage('first'))).toEqual({ status: 500, body: { code: 0, message: 'Error in workflow' } });
		expect((await server.runs())[0].status).toBe('error');
	});

	it('answers escalate 200 at once when configured so, even if the workflow fails', async () => {
		const { chatUrl, server } = await serve(
			triggerWorkflow({ escalationReply: 'atOnce' }, { chat: [failingNode(await closedPort())] }),
		);
		expect(await post(chatUrl, escalateEvent())).toEqual({ status: 200, body: { message: 'Event received' } });
		expect((await server.runs())[0].status).toBe('error');
	});

	it('answers isTeamOnline from the fixed setting at once', async () => {
		const online = await serve(triggerWorkflow({ teamOnline: true }));
		expect(await post(online.chatUrl, teamOnlineEvent())).toEqual({ status: 200, body: { isOnline: true } });
		await online.server.close();
		const offline = await serve(triggerWorkflow({ teamOnline: false }, { chat: [failingNode(await closedPort())] }));
		expect(await post(offline.chatUrl, teamOnlineEvent())).toEqual({ status: 200, body: { isOnline: false } });
		expect(await offline.server.runs()).toHaveLength(1);
	});

	it("answers isTeamOnline from the workflow's result, and 500 when that workflow fails", async () => {
		const answer = {
			name: 'Answer',
			type: 'ultimate',
			parameters: { resource: 'webhookReply', operation: 'answerTeamOnline', isOnline: '={{ $json.raw.data.teamId === "sales" }}' },
		};
		const { chatUrl, server } = await serve(triggerWorkflow({ teamOnlineAnswer: 'fromWorkflow' }, { chat: [answer] }));
		expect(await post(chatUrl, teamOnlineEvent('sales'))).toEqual({ status: 200, body: { isOnline: true } });
		expect(await post(chatUrl, teamOnlineEvent('night-shift'))).toEqual({ status: 200, body: { isOnline: false } });
		await server.close();

		const failing = await serve(
			triggerWorkflow({ teamOnlineAnswer: 'fromWorkflow' }, { chat: [failingNode(await closedPort()), answer] }),
		);
		expect((await post(failing.chatUrl, teamOnlineEvent())).status).toBe(500);
	});

	it("answers an action with {results} built from the workflow's result, and 500 when it fails", async () => {
		const answer = {
			name: 'Answer',
			type: 'ultimate',
			parameters: {
				resource: 'webhookReply',
				operation: 'answerAction',
				results: {
					entries: [
						{ key: '={{ $json.raw.data[0].saveAs }}', value: '={{ "shipped:" + $json.raw.data[0].value[0] }}' },
						{ key: 'customerName', value: 'Ann', sanitize: true },
					],
				},
			},
		};
		const { actionsUrl, server } = await serve(triggerWorkflow({}, { action: [answer] }));
		expect(await post(actionsUrl, actionEvent())).toEqual({
			status: 200,
			body: {
				results: [
					{ key: 'orderStatus', value: 'shipped:1001', sanitize: false },
					{ key: 'customerName', value: 'Ann', sanitize: true },
				],
			},
		});
		await server.close();

		const failing = await serve(triggerWorkflow({}, { action: [failingNode(await closedPort()), answer] }));
		expect((await post(failing.actionsUrl, actionEvent())).status).toBe(500);
	});
});

describe('Ultimate Trigger: event filter', () => {
	it('answers events it does not listen for without running the workflow', async () => {
		const { chatUrl, actionsUrl, server } = await serve(triggerWorkflow({ events: ['sendMessage'], teamOnlineAnswer: 'fromWorkflow' }));
		expect(await post(chatUrl, escalateEvent())).toEqual({
			status: 501,
			body: { message: 'This workflow does not take escalations' },
		});
		expect(await post(chatUrl, teamOnlineEvent())).toEqual({ status: 200, body: { isOnline: false } });
		expect(await post(actionsUrl, actionEvent())).toEqual({ status: 200, body: { results: [] } });
		const widget = await post(chatUrl, chatEvent({ eventType: 'widgetEndSession', platformConversationId: 'w1' }));
		expect(widget.status).toBe(200);
		expect(await server.runs()).toHaveLength(0);

		expect((await post(chatUrl, textMessage('let me through'))).status).toBe(200);
		expect(await emitted(server)).toEqual([[expect.objectContaining({ text: 'let me through' })]]);
	});

	it('acknowledges an unheard escalation at once when escalations are answered at once', async () => {
		const { chatUrl, server } = await serve(triggerWorkflow({ events: ['sendMessage'], escalationReply: 'atOnce', teamOnline: true }));
		expect((await post(chatUrl, escalateEvent())).status).toBe(200);
		expect(await post(chatUrl, teamOnlineEvent())).toEqual({ status: 200, body: { isOnline: true } });
		expect(await server.runs()).toHaveLength(0);
	});
});

describe('Ultimate Trigger: refusals', () => {
	const SECRET = 'hook-secret-9b1f';

	it('refuses a missing or wrong secret with 401 and runs nothing', async () => {
		const { chatUrl, actionsUrl, server } = await serve(triggerWorkflow(), ultimateCredentials({ webhookSecret: SECRET }));
		expect(await post(chatUrl, textMessage('no secret'))).toEqual({ status: 401, body: { message: 'Missing or wrong webhook secret' } });
		expect((await post(chatUrl, textMessage('wrong'), { 'x-webhook-secret': `${SECRET}x` })).status).toBe(401);
		expect((await post(actionsUrl, actionEvent(), { 'x-webhook-secret': 'nope' })).status).toBe(401);
		expect((await post(chatUrl, '{not json', { 'x-webhook-secret': 'nope' })).status).toBe(422);
		expect(await server.runs()).toHaveLength(0);

		expect((await post(chatUrl, textMessage('right', { messageId: 'm-a' }), { 'x-webhook-secret': SECRET })).status).toBe(200);
		expect((await post(chatUrl, textMessage('bearer', { messageId: 'm-b' }), { 'x-webhook-secret': `Bearer ${SECRET}` })).status).toBe(200);
		expect(await server.runs()).toHaveLength(2);
	});

	it('checks the header named in the options', async () => {
		const { chatUrl, server } = await serve(
			triggerWorkflow({ options: { checkedHeader: 'Authorization' } }),
			ultimateCredentials({ webhookSecret: SECRET }),
		);
		expect((await post(chatUrl, textMessage('x'), { 'x-webhook-secret': SECRET })).status).toBe(401);
		expect((await post(chatUrl, textMessage('y'), { authorization: SECRET })).status).toBe(200);
		expect(await server.runs()).toHaveLength(1);
	});

	it.each([
		['an array', [textMessage('x')], /the body is not a JSON object/],
		['an empty object', {}, /"botId" is missing/],
		['no data', { botId: BOT_ID }, /"data" must be an object/],
		['an unknown event type', chatEvent({ eventType: 'typing', platformConversationId: 's' }), /"typing" is not one of sendMessage/],
		['a message without conversation', chatEvent({ eventType: 'sendMessage', text: 'hi' }), /platformConversationId" is missing in the sendMessage/],
		['buttons that are not a list', textMessage('x', { buttons: 'YES' }), /"data.buttons" must be an array/],
		['a widget message without text', chatEvent({ eventType: 'widgetMessage', platformConversationId: 'w' }), /"data.text" is missing/],
		['an action on the chat URL', actionEvent(), /this is an action event: configure the trigger's Actions URL/],
	])('refuses %s on the chat webhook with 400 and emits nothing', async (_name, body, message) => {
		const { chatUrl, server } = await serve(triggerWorkflow());
		const reply = await post(chatUrl, body);
		expect(reply.status).toBe(400);
		expect((reply.body as { message: string }).message).toMatch(/^Not an Ultimate chat event: /);
		expect((reply.body as { message: string }).message).toMatch(message);
		expect(await server.runs()).toHaveLength(0);
	});

	it.each([
		['a chat event on the actions URL', textMessage('x'), /this is a chat event \(sendMessage\): configure the trigger's Chat URL/],
		['an action without a name', { ...actionEvent(), name: '' }, /"name" \(the action's name\) is missing/],
		['an action whose data is not a list', { ...actionEvent(), data: { key: 'x' } }, /"data" must be an array/],
		['an action data entry without key', actionEvent([{ value: ['1'] }]), /"data\[0\]" needs a "key"/],
	])('refuses %s on the actions webhook with 400', async (_name, body, message) => {
		const { actionsUrl, server } = await serve(triggerWorkflow());
		const reply = await post(actionsUrl, body);
		expect(reply.status).toBe(400);
		expect((reply.body as { message: string }).message).toMatch(/^Not an Ultimate action: /);
		expect((reply.body as { message: string }).message).toMatch(message);
		expect(await server.runs()).toHaveLength(0);
	});

	it('leaves unparsable JSON to n8n, which answers 422 before the node runs', async () => {
		const { chatUrl, server } = await serve(triggerWorkflow());
		expect((await post(chatUrl, '{"botId": "x", "data": {')).status).toBe(422);
		expect(await server.runs()).toHaveLength(0);
	});

	it("refuses events for another bot with 403, unless the bot check is off", async () => {
		const strict = await serve(triggerWorkflow());
		const reply = await post(strict.chatUrl, chatEvent({ eventType: 'escalate', platformConversationId: 's' }, 'ffffffffffffffffffffffff'));
		expect(reply).toEqual({
			status: 403,
			body: { message: `This event is for bot ffffffffffffffffffffffff; the credential is for bot ${BOT_ID}` },
		});
		expect(await strict.server.runs()).toHaveLength(0);
		await strict.server.close();

		const lenient = await serve(triggerWorkflow({ options: { checkBotId: false } }));
		expect((await post(lenient.chatUrl, { ...textMessage('other bot'), botId: 'ffffffffffffffffffffffff' })).status).toBe(200);
		expect(await lenient.server.runs()).toHaveLength(1);
	});
});

describe('Ultimate Trigger: repeated deliveries', () => {
	it('emits a bot message once when Ultimate delivers it twice', async () => {
		const { chatUrl, server } = await serve(triggerWorkflow());
		const body = textMessage('only once', { messageId: 'dup-1' });
		expect(await post(chatUrl, body)).toEqual({ status: 200, body: { message: 'Event received' } });
		expect(await post(chatUrl, body)).toEqual({ status: 200, body: { message: 'Repeated message ignored' } });
		expect((await post(chatUrl, textMessage('next', { messageId: 'dup-2' }))).status).toBe(200);
		expect((await emitted(server)).map(([event]) => event.text)).toEqual(['only once', 'next']);
	});
});
