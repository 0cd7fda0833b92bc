import { NovaTalksEmulator } from '../emulators/novatalks';
import { errorOf, runAction } from './fixtures';

describe('NovaTalks action node: Conversation', () => {
	let emulator: NovaTalksEmulator;

	beforeEach(async () => {
		emulator = await NovaTalksEmulator.start();
	});

	afterEach(async () => {
		await emulator.close();
	});

	it('creates a conversation with every field and puts the contact token, conversation and account at the top level', async () => {
		const run = await runAction(emulator, {
			resource: 'conversation',
			operation: 'create',
			name: 'Jane Doe',
			additionalFields: {
				email: 'jane@example.com',
				phoneNumber: '+1415555555',
				customAttributes: '{"plan":"gold"}',
				additionalAttributes: { source: 'n8n' },
				message: 'I need help with my order',
			},
		});

		expect(run.status).toBe('success');
		const [created] = run.json('Action');
		const conversation = [...emulator.conversations.values()][0];
		expect(created).toMatchObject({
			contactToken: conversation.token,
			conversationId: conversation.id,
			accountId: 1,
			conversationStatus: 'open',
			contact: { name: 'Jane Doe', email: 'jane@example.com', phone_number: '+1415555555' },
		});
		expect(run.output('Action')[0].pairedItem).toEqual({ item: 0 });

		const request = emulator.requests.find((entry) => entry.method === 'POST');
		expect(request?.headers.access_token).toBeUndefined();
		expect(request?.body).toEqual({
			name: 'Jane Doe',
			email: 'jane@example.com',
			phone_number: '+1415555555',
			custom_attributes: { plan: 'gold' },
			additional_attributes: { source: 'n8n' },
			message: { content: 'I need help with my order', echo_id: expect.stringMatching(/^[0-9a-f]{12}$/) },
		});
		const [first] = emulator.messagesOf(conversation.id);
		expect(first).toMatchObject({ content: 'I need help with my order', message_type: 'incoming' });
	});

	it('creates with the name only, one conversation per input item', async () => {
		const run = await runAction(
			emulator,
			{ resource: 'conversation', operation: 'create', name: '={{ $json.who }}' },
			{ items: [{ json: { who: 'Ann' } }, { json: { who: 'Bob' } }] },
		);
		const output = run.output('Action');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(new Set(output.map((item) => item.json.contactToken)).size).toBe(2);
		expect(emulator.requests.map((entry) => entry.body)).toEqual([{ name: 'Ann' }, { name: 'Bob' }]);
	});

	it('refuses an empty name, a bad email and invalid attribute JSON, naming the field and the item', async () => {
		const noName = await runAction(emulator, { resource: 'conversation', operation: 'create', name: ' ' });
		expect(errorOf(noName)).toMatchObject({ name: 'NodeOperationError', message: 'Name is empty' });
		expect(errorOf(noName).description).toContain('item 0');

		const badEmail = await runAction(emulator, {
			resource: 'conversation',
			operation: 'create',
			name: 'Jane',
			additionalFields: { email: 'not-an-email' },
		});
		expect(errorOf(badEmail).message).toMatch(/Email "not-an-email" is not a valid address/);

		const badJson = await runAction(emulator, {
			resource: 'conversation',
			operation: 'create',
			name: 'Jane',
			additionalFields: { customAttributes: '{plan:' },
		});
		expect(errorOf(badJson).message).toBe('Custom Attributes is not valid JSON');
		expect(emulator.requests).toHaveLength(0);
	});

	it('refuses attributes that are not an object, and reports a server-side 400 with the server’s words', async () => {
		const run = await runAction(emulator, {
			resource: 'conversation',
			operation: 'create',
			name: 'Jane',
			additionalFields: { customAttributes: '[1,2]' },
		});
		expect(errorOf(run).message).toBe('Custom Attributes must be a JSON object');

		emulator.failNext(400, 1, undefined, ['name must be shorter than or equal to 255 characters']);
		const refused = await runAction(emulator, { resource: 'conversation', operation: 'create', name: 'Jane' });
		expect(errorOf(refused)).toMatchObject({
			name: 'NodeApiError',
			httpCode: '400',
			message: 'name must be shorter than or equal to 255 characters [400]',
		});
	});

	it('keeps going with Continue On Fail, one error item per failed input', async () => {
		const run = await runAction(
			emulator,
			{ resource: 'conversation', operation: 'create', name: '={{ $json.who }}' },
			{ items: [{ json: { who: '' } }, { json: { who: 'Bob' } }], continueOnFail: true },
		);
		expect(run.status).toBe('success');
		const output = run.output('Action');
		expect(output[0]).toEqual({ json: { error: 'Name is empty' }, pairedItem: { item: 0 } });
		expect(output[1].json.contactToken).toEqual(expect.any(String));
	});

	it('gets the conversation and its latest messages as ChatEvents', async () => {
		const conversation = emulator.createConversation('Jane');
		const agent = emulator.agentSend(conversation.id, { content: 'How can I help?' });
		const bot = emulator.agentSend(conversation.id, {
			content: 'Pick one',
			bot: true,
			contentType: 'quick_reply',
			contentAttributes: { buttons: [{ title: 'Yes', value: 'YES' }, { title: 'No', value: 'NO' }] },
		});

		const run = await runAction(emulator, {
			resource: 'conversation',
			operation: 'get',
			contactToken: conversation.token,
			limit: 5,
		});

		const [result] = run.json('Action');
		expect(result).toMatchObject({ conversationId: conversation.id, status: 'open', substatus: 'oninbox' });
		expect(result.messages).toEqual([
			expect.objectContaining({
				provider: 'novatalks',
				type: 'message',
				conversationId: String(conversation.id),
				messageId: String(agent.id),
				from: { role: 'agent', id: '1', name: 'Support' },
				text: 'How can I help?',
				attachments: [],
				status: 'sent',
				timestamp: new Date(agent.created_at as number).toISOString(),
			}),
			expect.objectContaining({
				messageId: String(bot.id),
				from: { role: 'bot', id: '7', name: 'Helper bot' },
				buttons: [
					{ title: 'Yes', value: 'YES' },
					{ title: 'No', value: 'NO' },
				],
			}),
		]);
		const request = emulator.requests[0];
		expect(request.headers.access_token).toBe(conversation.token);
		expect(request.query).toEqual({ limit: '5' });
	});

	it('accepts the bare message list the markdown doc shows, and outputs the raw body when asked', async () => {
		await emulator.close();
		emulator = await NovaTalksEmulator.start({ conversationShape: 'markdown' });
		const conversation = emulator.createConversation('Jane');
		emulator.agentSend(conversation.id, { content: 'hi' });

		const run = await runAction(emulator, { resource: 'conversation', operation: 'get', contactToken: conversation.token });
		const [result] = run.json('Action');
		expect(result.conversationId).toBe(conversation.id);
		expect(result.messages).toHaveLength(1);

		const raw = await runAction(emulator, {
			resource: 'conversation',
			operation: 'get',
			contactToken: conversation.token,
			rawOutput: true,
		});
		expect(raw.json('Action')[0].messages).toEqual([expect.objectContaining({ content: 'hi', message_type: 'outgoing' })]);
	});

	it('fails with the server’s 401 for an unknown contact token and never shows the token', async () => {
		const token = 'wrongTokenXYZ123456789';
		const run = await runAction(emulator, { resource: 'conversation', operation: 'get', contactToken: token });
		const error = errorOf(run);
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '401', message: 'Invalid access token [401]' });
		expect(JSON.stringify({ ...error, node: undefined }) + error.message + String(error.description)).not.toContain(token);
	});
});
