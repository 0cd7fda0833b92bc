import nock from 'nock';

import { NovaTalksApi } from '../../credentials/NovaTalksApi.credentials';
import { connectionFrom } from '../../nodes/NovaTalks/client';
import { TypingChannel } from '../../nodes/NovaTalks/typing-channel';
import { NovaTalksEmulator, REACTIONS } from '../emulators/novatalks';
import { waitFor } from '../helpers/wait';
import { actionWorkflow } from '../helpers/workflow-builder';
import { runWorkflow } from '../helpers/workflow';
import { errorOf, runAction } from './fixtures';

describe('NovaTalks action node: Contact and Settings', () => {
	let emulator: NovaTalksEmulator;

	beforeEach(async () => {
		emulator = await NovaTalksEmulator.start();
	});

	afterEach(async () => {
		await emulator.close();
		nock.cleanAll();
	});

	it('sends typing for every item over one WebSocket, subscribing each token once, and closes it', async () => {
		const first = emulator.createConversation('Ann');
		const second = emulator.createConversation('Bob');
		const items = [first, first, second].map((conversation) => ({
			json: { token: conversation.token, conversationId: conversation.id },
		}));
		const run = await runAction(
			emulator,
			{
				resource: 'contact',
				operation: 'sendTyping',
				contactToken: '={{ $json.token }}',
				conversationId: '={{ $json.conversationId }}',
			},
			{ items },
		);

		expect(run.status).toBe('success');
		expect(run.json('Action')).toEqual([
			{ typing: true, conversationId: first.id },
			{ typing: true, conversationId: first.id },
			{ typing: true, conversationId: second.id },
		]);
		expect(emulator.connectionCount).toBe(1);
		expect(emulator.wsReceived).toEqual([
			{ event: 'subscribe', data: { pubsub_token: first.token, account_id: 1 } },
			{ event: 'typing', data: { conversation_id: first.id, account_id: 1 } },
			{ event: 'typing', data: { conversation_id: first.id, account_id: 1 } },
			{ event: 'subscribe', data: { pubsub_token: second.token, account_id: 1 } },
			{ event: 'typing', data: { conversation_id: second.id, account_id: 1 } },
		]);
		await waitFor(() => emulator.openSockets === 0, 5000, () => 'the typing socket to close');
	});

	it('says clearly when the subscription is never confirmed, or the socket drops while waiting for it', async () => {
		emulator.confirmSubscriptions = false;
		const conversation = emulator.createConversation('Ann');
		// The node waits 10 s for confirm_subscription; the channel itself is tested with a short wait.
		const channel = new TypingChannel(connectionFrom({ baseUrl: emulator.baseUrl }), undefined, 200);
		await expect(channel.sendTyping(conversation.token, conversation.id)).rejects.toThrow(
			'No reply to the subscription (confirm_subscription) within 200 ms',
		);
		await channel.close();

		const running = runAction(emulator, {
			resource: 'contact',
			operation: 'sendTyping',
			contactToken: conversation.token,
			conversationId: conversation.id,
		});
		await waitFor(() => emulator.wsReceived.length === 2, 2000, () => 'the second subscribe frame');
		emulator.dropAll();
		const error = errorOf(await running);
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: 'The connection dropped (code 1006) before the reply came (the subscription (confirm_subscription))',
			description: 'Check the Contact Token, the Account ID and the WebSocket URL of the credential',
		});
		expect(JSON.stringify({ ...error, node: undefined })).not.toContain(conversation.token);
		await waitFor(() => emulator.openSockets === 0, 5000, () => 'the typing socket to close');
	});

	it('reports a WebSocket it cannot reach with the URL the credential derived', async () => {
		const conversation = emulator.createConversation('Ann');
		const run = await runAction(
			emulator,
			{ resource: 'contact', operation: 'sendTyping', contactToken: conversation.token, conversationId: conversation.id },
			{ credentials: { webSocketUrl: 'ws://127.0.0.1:1/ws' } },
		);
		expect(errorOf(run).message).toBe('Could not open the WebSocket: the connection was refused (is the server running?)');
	});

	it('deletes a push token of the conversation, and reports an unknown one', async () => {
		const conversation = emulator.createConversation('Ann', ['push-token-1', 'push-token-2']);
		const run = await runAction(emulator, {
			resource: 'contact',
			operation: 'deletePushToken',
			contactToken: conversation.token,
			pushToken: 'push-token-1',
		});
		expect(run.json('Action')).toEqual([{ deleted: true }]);
		expect([...conversation.pushTokens]).toEqual(['push-token-2']);
		expect(emulator.requests[0]).toMatchObject({ method: 'DELETE', path: '/api/v1/sdk/notifications/push-token-1' });

		const again = await runAction(emulator, {
			resource: 'contact',
			operation: 'deletePushToken',
			contactToken: conversation.token,
			pushToken: 'push-token-1',
		});
		expect(errorOf(again)).toMatchObject({ httpCode: '404', message: 'Push token not found [404]' });
	});

	it('gets the SDK settings without a contact token', async () => {
		const run = await runAction(emulator, { resource: 'settings', operation: 'get' });
		expect(run.json('Action')).toEqual([expect.objectContaining({ account_id: 1, reactions: REACTIONS })]);
		expect(emulator.requests[0].headers.access_token).toBeUndefined();
	});

	it('tests the credential with the side-effect-free settings route', async () => {
		const credential = new NovaTalksApi();
		expect(credential.test.request).toMatchObject({ url: '/api/v1/sdk/settings', method: 'GET' });
		const response = await fetch(`${emulator.baseUrl}${credential.test.request.url}`);
		expect(response.status).toBe(200);
		expect(emulator.messages).toHaveLength(0);
		expect(emulator.conversations.size).toBe(0);
	});

	it('derives the WebSocket URL from the base URL unless one is given', () => {
		expect(connectionFrom({ baseUrl: 'https://devlight.cloud.novatalks.com.ua/' })).toEqual({
			baseUrl: 'https://devlight.cloud.novatalks.com.ua',
			webSocketUrl: 'wss://devlight.cloud.novatalks.com.ua/ws',
			accountId: 1,
		});
		expect(connectionFrom({ baseUrl: 'http://127.0.0.1:8080', accountId: '3' }).webSocketUrl).toBe('ws://127.0.0.1:8080/ws');
		expect(connectionFrom({ baseUrl: 'https://a.example', webSocketUrl: ' wss://b.example/socket ' }).webSocketUrl).toBe(
			'wss://b.example/socket',
		);
	});

	it('talks to the stage host by default, with the headers and body the spec documents', async () => {
		const scope = nock('https://devlight.cloud.novatalks.com.ua', { badheaders: ['access_token'] })
			.post('/api/v1/sdk/conversations', { name: 'sdk-contact-494' })
			.matchHeader('content-type', /application\/json/)
			.reply(200, {
				payload: {
					contact: { id: 36, name: 'sdk-contact-494', email: null, phone_number: null, custom_attributes: {} },
					contactInbox: { pubsubToken: 'kJGO53QxaEuhHaOU3h5Dc5' },
					account_id: 1,
					conversation: { id: 27, status: 'resolved' },
				},
			});
		const typed = nock('https://devlight.cloud.novatalks.com.ua')
			.patch('/api/v1/sdk/conversations/messages/status', { status: 'seen', messageIds: [1, 2] })
			.matchHeader('access_token', 'kJGO53QxaEuhHaOU3h5Dc5')
			.reply(200);

		const created = await runWorkflow(
			actionWorkflow('novaTalks', { resource: 'conversation', operation: 'create', name: 'sdk-contact-494' }),
			{ credentials: { novaTalksApi: {} } },
		);
		expect(created.json('Action')[0]).toMatchObject({ contactToken: 'kJGO53QxaEuhHaOU3h5Dc5', conversationId: 27, accountId: 1 });

		const marked = await runWorkflow(
			actionWorkflow('novaTalks', {
				resource: 'message',
				operation: 'updateStatus',
				contactToken: 'kJGO53QxaEuhHaOU3h5Dc5',
				messageIds: '1,2',
				status: 'seen',
			}),
			{ credentials: { novaTalksApi: {} } },
		);
		expect(marked.json('Action')).toEqual([{ updated: true, status: 'seen', messageIds: [1, 2] }]);
		expect(scope.isDone()).toBe(true);
		expect(typed.isDone()).toBe(true);
	});
});
