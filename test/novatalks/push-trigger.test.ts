import type { INodeParameters } from 'n8n-workflow';

import { NovaTalksEmulator, type ConversationRecord } from '../emulators/novatalks';
import { WebhookServer } from '../helpers/webhook';
import { chain } from '../helpers/workflow-builder';

const BEARER = 'push-bearer-0123456789';
const HEADER_VALUE = 'custom-value-9876';

describe('NovaTalks Push Trigger (webhook)', () => {
	let emulator: NovaTalksEmulator;
	let conversation: ConversationRecord;
	let server: WebhookServer | undefined;

	beforeEach(async () => {
		emulator = await NovaTalksEmulator.start();
		conversation = emulator.createConversation('Jane', ['device-push-token']);
	});

	afterEach(async () => {
		await server?.close();
		server = undefined;
		await emulator.close();
	});

	const serve = async (parameters: INodeParameters = {}) => {
		server = await WebhookServer.start(
			chain({ name: 'Push', type: 'novaTalksPushTrigger', webhookId: 'nt-push', parameters }),
			{
				credentials: emulator.credentials({
					pushBearerToken: BEARER,
					pushHeaderName: 'Custom-Header',
					pushHeaderSecret: HEADER_VALUE,
				}),
			},
		);
		return server;
	};
	const events = async () => (await server!.runs()).flatMap((run) => run.json('Push'));

	it('turns the channel’s new-message and status notifications into ChatEvents', async () => {
		const hook = await serve();
		emulator.configurePush({ url: hook.url('Push'), additionalParams: { 'key-1': 'value1' } });
		const sent = emulator.agentSend(conversation.id, {
			content: 'Your order shipped',
			attachments: [{ url: 'https://bucket.example/849cf6.png', fileType: 'image', size: 843559, mimeType: 'image/png' }],
		});
		emulator.setConversationStatus(conversation.id, 'resolved');
		expect(await emulator.settledPushes()).toEqual([200, 200]);

		const received = await events();
		expect(received).toEqual([
			{
				provider: 'novatalks',
				type: 'message',
				conversationId: String(conversation.id),
				messageId: String(sent.id),
				from: { role: 'agent', id: '1', name: 'Support' },
				text: 'Your order shipped',
				attachments: [{ url: 'https://bucket.example/849cf6.png', name: '849cf6.png', mimeType: 'image/png', size: 843559 }],
				status: 'sent',
				timestamp: new Date(sent.created_at as number).toISOString(),
				replyTo: { provider: 'novatalks', conversationId: String(conversation.id) },
				raw: expect.objectContaining({
					type: 'ntk.sdk.chat',
					event_name: 'conversation_new_message',
					push_tokens: ['device-push-token'],
				}),
			},
			expect.objectContaining({
				type: 'status',
				conversationId: String(conversation.id),
				from: { role: 'system' },
				status: 'resolved',
				text: 'Conversation status changed to resolved',
			}),
		]);
		expect(hook.calls.map((call) => call.statusCode)).toEqual([200, 200]);
	});

	it('marks a bot’s message as from the bot, and outputs the notification as sent when Raw Output is on', async () => {
		const hook = await serve({ options: { rawOutput: true } });
		emulator.configurePush({ url: hook.url('Push') });
		emulator.agentSend(conversation.id, { content: 'beep', bot: true });
		await emulator.settledPushes();
		const [raw] = await events();
		expect(raw).toMatchObject({
			type: 'ntk.sdk.chat',
			event_name: 'conversation_new_message',
			payload: { body: 'beep', sender: { type: 'AgentBot' } },
		});
	});

	it('checks the bearer token: the right one passes, a wrong or missing one gets 401 and runs nothing', async () => {
		const hook = await serve({ authentication: 'bearerToken' });
		emulator.configurePush({ url: hook.url('Push'), bearerToken: 'not-the-token' });
		emulator.agentSend(conversation.id, { content: 'refused' });
		const body = { type: 'ntk.sdk.chat', event_name: 'conversation_new_message', payload: { conversation_id: 1, message_id: 5, body: 'x' } };
		const missing = await emulator.deliverPush(hook.url('Push'), body);
		expect(await emulator.settledPushes()).toEqual([401]);
		expect(missing).toBe(401);
		expect(await hook.runs()).toHaveLength(0);

		emulator.configurePush({ url: hook.url('Push'), bearerToken: BEARER });
		emulator.agentSend(conversation.id, { content: 'accepted' });
		expect((await emulator.settledPushes())[1]).toBe(200);
		expect((await events()).map((event) => event.text)).toEqual(['accepted']);
	});

	it('checks a custom header the same way', async () => {
		const hook = await serve({ authentication: 'customHeader' });
		emulator.configurePush({ url: hook.url('Push'), customHeader: { name: 'Custom-Header', value: 'wrong' } });
		emulator.agentSend(conversation.id, { content: 'refused' });
		expect(await emulator.settledPushes()).toEqual([401]);
		expect(await hook.runs()).toHaveLength(0);

		emulator.configurePush({ url: hook.url('Push'), customHeader: { name: 'Custom-Header', value: HEADER_VALUE } });
		emulator.agentSend(conversation.id, { content: 'accepted' });
		await emulator.settledPushes();
		expect((await events()).map((event) => event.text)).toEqual(['accepted']);
	});

	it('runs the workflow once for a notification delivered twice', async () => {
		const hook = await serve();
		emulator.configurePush({ url: hook.url('Push') });
		const sent = emulator.agentSend(conversation.id, { content: 'once' });
		await emulator.settledPushes();
		const [first] = await events();
		const again = await emulator.deliverPush(hook.url('Push'), first.raw);
		expect(again).toBe(200);
		expect((await events()).map((event) => event.messageId)).toEqual([String(sent.id)]);
		expect(hook.calls).toHaveLength(2);
	});

	it('answers 400 to a body that is not a NovaTalks push notification, and 422 to broken JSON, running nothing', async () => {
		const hook = await serve();
		expect(await emulator.deliverPush(hook.url('Push'), { hello: 'world' })).toBe(400);
		const broken = await fetch(hook.url('Push'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":' });
		expect(broken.status).toBe(422);
		expect(await hook.runs()).toHaveLength(0);
	});

	it('acknowledges events it was not asked for without running the workflow', async () => {
		const hook = await serve({ events: ['conversation_new_message'] });
		emulator.configurePush({ url: hook.url('Push') });
		emulator.setConversationStatus(conversation.id, 'snoozed');
		expect(await emulator.settledPushes()).toEqual([200]);
		expect(await hook.runs()).toHaveLength(0);
	});
});
