import { NovaTalksEmulator } from '../emulators/novatalks';
import { WebhookServer } from '../helpers/webhook';
import { chain } from '../helpers/workflow-builder';

/** Bodies that look like push notifications but break the documented field types: 400 with a reason, nothing runs. */
describe('NovaTalks Push Trigger and off-spec notification fields', () => {
	let emulator: NovaTalksEmulator;
	let server: WebhookServer | undefined;

	beforeEach(async () => {
		emulator = await NovaTalksEmulator.start();
	});

	afterEach(async () => {
		await server?.close();
		server = undefined;
		await emulator.close();
	});

	const notification = (payload: Record<string, unknown>) => ({
		type: 'ntk.sdk.chat',
		event_name: 'conversation_new_message',
		push_tokens: ['device-push-token'],
		payload: {
			account_id: 1,
			message_id: 282,
			conversation_id: 70,
			ts: 1759439744295,
			sender: { id: 3, name: 'support2@novatalks.ai', display_name: 'support2@novatalks.ai', avatar_url: null, type: 'User' },
			title: 'New message in the conversation: support2@novatalks.ai',
			body: 'text message',
			message_type: 'outgoing',
			content_type: 'text',
			status: 'sent',
			created_at: 1759439739207,
			attachments: [],
			...payload,
		},
	});

	const cases: Array<[string, Record<string, unknown>, string]> = [
		['body a number', { body: 42 }, 'payload.body must be a string or null'],
		['body an object', { body: { text: 'hi' } }, 'payload.body must be a string or null'],
		['body an array', { body: ['hi'] }, 'payload.body must be a string or null'],
		['attachments an object', { attachments: { data_url: 'https://x.example/a.png' } }, 'payload.attachments must be an array'],
		['attachments [null]', { attachments: [null] }, 'payload.attachments[0] must be an object with a data_url string'],
		['conversation_id an object', { conversation_id: { id: 70 } }, 'payload.conversation_id must be a number'],
		['sender a string', { sender: 'support' }, 'payload.sender must be an object'],
	];

	it.each(cases)('answers 400 to %s, naming the field, and runs nothing', async (_name, payload, reason) => {
		server = await WebhookServer.start(chain({ name: 'Push', type: 'novaTalksPushTrigger', webhookId: 'nt-push', parameters: {} }), {
			credentials: emulator.credentials(),
		});
		const response = await fetch(server.url('Push'), {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'user-agent': 'NovaTalks.Engine' },
			body: JSON.stringify(notification(payload)),
		});
		expect(response.status).toBe(400);
		expect(await response.json()).toEqual({ message: `Not a NovaTalks push notification: ${reason}` });
		expect(await server.runs()).toHaveLength(0);
	});

	it('still runs the workflow for the documented example', async () => {
		server = await WebhookServer.start(chain({ name: 'Push', type: 'novaTalksPushTrigger', webhookId: 'nt-push', parameters: {} }), {
			credentials: emulator.credentials(),
		});
		expect(await emulator.deliverPush(server.url('Push'), notification({ body: null }))).toBe(200);
		const [run] = await server.runs();
		expect(run.json('Push')[0]).toMatchObject({ type: 'message', conversationId: '70', messageId: '282' });
	});
});
