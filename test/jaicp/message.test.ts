import { waitFor } from '../helpers/wait';
import { WebhookServer } from '../helpers/webhook';
import { chain } from '../helpers/workflow-builder';
import { everything, runJaicp, useEmulator } from './setup';

const emulator = useEmulator({ operatorGreeting: null });

describe('JAICP Message: Send', () => {
	it('posts the client query to /chatapi/{token} and outputs one ChatEvent per reply', async () => {
		const run = await runJaicp(emulator(), {
			resource: 'message',
			operation: 'send',
			clientId: 'customer-1',
			query: 'show me the menu',
			additionalFields: { cid: 'tab-1', data: '{"name":"Ann"}' },
		});

		expect(run.status).toBe('success');
		const [call] = emulator().calls('POST', '/chatapi/{token}');
		expect(call.body).toEqual({ clientId: 'customer-1', query: 'show me the menu', cid: 'tab-1', data: { name: 'Ann' } });
		expect(call.headers['content-type']).toMatch(/^application\/json/);

		const items = run.output('Action');
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
		const [text, buttons] = run.json('Action');
		const questionId = emulator().historyOf('customer-1')[0].questionId;
		expect(text).toMatchObject({
			provider: 'jaicp',
			type: 'message',
			conversationId: 'customer-1',
			messageId: questionId,
			from: { role: 'bot' },
			text: 'What would you like?',
			attachments: [],
			raw: { type: 'text', text: 'What would you like?', state: '/Menu' },
		});
		expect(text.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
		expect(buttons).toMatchObject({
			type: 'message',
			buttons: [{ title: 'Prices', value: '/Prices' }, { title: 'Website', url: 'https://example.com' }],
		});
	});

	it('sends an event instead of a query', async () => {
		const run = await runJaicp(emulator(), {
			resource: 'message',
			operation: 'send',
			clientId: 'customer-2',
			inputType: 'event',
			event: '/start',
		});
		expect(emulator().calls('POST', '/chatapi/{token}')[0].body).toEqual({ clientId: 'customer-2', event: '/start' });
		expect(run.json('Action')).toEqual([
			expect.objectContaining({ type: 'message', text: expect.stringContaining('demo bot') }),
		]);
	});

	it('maps carousel, image and audio replies to buttons and attachments', async () => {
		const run = await runJaicp(
			emulator(),
			{ resource: 'message', operation: 'send', clientId: 'c3', query: '={{ $json.q }}' },
			{ items: [{ q: 'catalog' }, { q: 'a photo please' }, { q: 'voice' }] },
		);
		const [carousel, image, audio] = run.json('Action');
		expect(carousel).toMatchObject({
			text: 'Our plans',
			buttons: [
				{ title: 'Basic', value: 'Choose Basic', url: 'https://example.com/basic' },
				{ title: 'Pro', value: 'Choose Pro', url: 'https://example.com/pro' },
			],
			attachments: [
				{ url: 'https://cdn.example.com/basic.png', name: 'Basic' },
				{ url: 'https://cdn.example.com/pro.png', name: 'Pro' },
			],
		});
		expect(image).toMatchObject({ text: 'A cat', attachments: [{ url: 'https://cdn.example.com/cat.png', name: 'A cat' }] });
		expect(audio).toMatchObject({ attachments: [{ url: 'https://cdn.example.com/hello.mp3' }] });
		expect(audio.text).toBeUndefined();
		expect(run.output('Action').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('turns a switch into an escalation and a hangup into session_ended', async () => {
		const run = await runJaicp(
			emulator(),
			{ resource: 'message', operation: 'send', clientId: 'c4', query: '={{ $json.q }}' },
			{ items: [{ q: 'I want an operator' }, { q: 'bye' }] },
		);
		expect(run.json('Action').map((event) => [event.type, event.text])).toEqual([
			['message', 'Connecting you to an operator…'],
			['escalation', undefined],
			['message', 'Goodbye!'],
			['session_ended', undefined],
		]);
	});

	it('folds all replies of a request into one ChatEvent when asked', async () => {
		const run = await runJaicp(
			emulator(),
			{
				resource: 'message',
				operation: 'send',
				clientId: 'c5',
				query: '={{ $json.q }}',
				options: { split: 'request' },
			},
			{ items: [{ q: 'operator please' }, { q: 'goodbye' }, { q: 'menu' }] },
		);
		const [escalation, ended, menu] = run.json('Action');
		expect(escalation).toMatchObject({ type: 'escalation', text: 'Connecting you to an operator…', from: { role: 'bot' } });
		expect(ended).toMatchObject({ type: 'session_ended', text: 'Goodbye!' });
		expect(menu).toMatchObject({ type: 'message', text: 'What would you like?', buttons: [{ title: 'Prices' }, { title: 'Website' }] });
		expect((menu.raw as { data: { replies: unknown[] } }).data.replies).toHaveLength(2);
	});

	it('outputs the raw response with the echoed token masked', async () => {
		const run = await runJaicp(emulator(), {
			resource: 'message',
			operation: 'send',
			clientId: 'c6',
			query: 'hello',
			options: { rawOutput: true },
		});
		const [raw] = run.json('Action');
		expect(raw).toMatchObject({ token: '***', clientId: 'c6', query: 'hello', data: { answer: 'You said: hello' } });
		expect(everything(run.run)).not.toContain(emulator().token);
	});

	it('gives one item even when the bot says nothing (the operator has the chat)', async () => {
		await runJaicp(emulator(), { resource: 'message', operation: 'send', clientId: 'c7', query: 'operator' });
		const run = await runJaicp(emulator(), { resource: 'message', operation: 'send', clientId: 'c7', query: 'are you there?' });
		expect(run.json('Action')).toEqual([
			expect.objectContaining({ type: 'message', conversationId: 'c7', attachments: [] }),
		]);
		expect(run.json('Action')[0].text).toBeUndefined();
	});
});

describe('JAICP Message: Send Simple and Send Async', () => {
	it('Send Simple uses GET with clientId and query in the query string', async () => {
		const run = await runJaicp(emulator(), { resource: 'message', operation: 'sendSimple', clientId: 'g1', query: 'menu' });
		const [call] = emulator().calls('GET', '/chatapi/{token}');
		expect(call.query).toEqual({ clientId: 'g1', query: 'menu' });
		expect(run.json('Action').map((event) => event.text ?? event.type)).toEqual(['What would you like?', 'message']);
	});

	it('Send Async returns the question id and the reply reaches the webhook as an array', async () => {
		const server = await WebhookServer.start(
			chain({ name: 'Hook', type: 'jaicpTrigger', webhookId: 'jaicp-async' }),
		);
		try {
			emulator().webhookUrl = server.url('Hook');
			const run = await runJaicp(emulator(), {
				resource: 'message',
				operation: 'sendAsync',
				clientId: 'a1',
				query: 'menu',
				additionalFields: { data: { source: 'n8n' } },
			});
			expect(emulator().calls('POST', '/chatapi/{token}/async')[0].body).toEqual({
				clientId: 'a1',
				query: 'menu',
				data: { source: 'n8n' },
			});
			const [answer] = run.json('Action');
			expect(answer).toEqual({ clientId: 'a1', questionId: expect.any(String) });

			await waitFor(() => emulator().deliveries.length === 1, 3000, () => 'the webhook delivery');
			const [delivery] = await server.runs();
			expect(emulator().deliveries[0].body).toHaveLength(1);
			expect(delivery.json('Hook')).toEqual([
				expect.objectContaining({ type: 'message', messageId: answer.questionId, conversationId: 'a1', text: 'What would you like?' }),
			]);
		} finally {
			await server.close();
		}
	});
});

describe('JAICP Message: bad input and provider errors', () => {
	it('names the field and the item for a missing client ID or query, and bad JSON data', async () => {
		// An expression that gives nothing gets past n8n's required-parameter check and reaches the node's own.
		const noClient = await runJaicp(emulator(), { resource: 'message', operation: 'send', clientId: '={{ "" }}', query: 'hi' });
		expect(noClient.status).toBe('error');
		expect(noClient.nodeError('Action')).toMatchObject({ message: 'Client ID is required', description: 'Set "Client ID" (item 0).' });

		const noQuery = await runJaicp(emulator(), { resource: 'message', operation: 'send', clientId: 'x', query: '={{ "  " }}' });
		expect(noQuery.nodeError('Action')?.message).toBe('Query is required');

		const badData = await runJaicp(emulator(), {
			resource: 'message',
			operation: 'send',
			clientId: 'x',
			query: 'hi',
			additionalFields: { data: '{oops' },
		});
		expect(badData.nodeError('Action')?.message).toMatch(/^Data \(JSON\) is not valid JSON/);
		const arrayData = await runJaicp(emulator(), {
			resource: 'message',
			operation: 'send',
			clientId: 'x',
			query: 'hi',
			additionalFields: { data: '[1,2]' },
		});
		expect(arrayData.nodeError('Action')?.message).toBe('Data (JSON) must be a JSON object');
		expect(emulator().requests).toHaveLength(0);
	});

	it('never shows the token when JAICP refuses it with an error that echoes the URL', async () => {
		const wrong = 'ZzZzZzZz:0123456789abcdef0123456789abcdef01234567';
		const run = await runJaicp(emulator(), { resource: 'message', operation: 'send', clientId: 'x', query: 'hi' }, { token: wrong });

		expect(emulator().requests[0]).toMatchObject({ tokenOk: false, route: '/chatapi/{token}' });
		const error = run.nodeError('Action') as unknown as { name: string; httpCode: string; message: string; description: string };
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('401');
		expect(error.message).toBe('Unknown Chat API channel token in /chatapi/*** [401]');
		expect(error.description).toBe('POST /chatapi/*** failed with status 401');
		const dump = everything({ ...error, node: undefined }) + everything(run.run.data.resultData);
		expect(dump).not.toContain(wrong);
		expect(dump).not.toContain(encodeURIComponent(wrong));
		expect(dump).not.toContain('0123456789abcdef0123456789abcdef01234567');
	});

	it('retries 503 and 429 and then succeeds; continueOnFail keeps the other items', async () => {
		emulator().failNext(1, 503, { message: 'busy' }, { route: /^POST /, headers: { 'Retry-After': '0' } });
		emulator().failNext(1, 429, { message: 'slow down' }, { route: /^POST /, headers: { 'Retry-After': '0' } });
		const run = await runJaicp(
			emulator(),
			{ resource: 'message', operation: 'send', clientId: '={{ $json.id }}', query: 'hello' },
			{ items: [{ id: 'ok-1' }, { id: '' }, { id: 'ok-2' }], continueOnFail: true },
		);
		const items = run.output('Action');
		expect(items.map((item) => [item.pairedItem, item.json.text ?? item.json.error])).toEqual([
			[{ item: 0 }, 'You said: hello'],
			[{ item: 1 }, 'Client ID is required'],
			[{ item: 2 }, 'You said: hello'],
		]);
		expect(emulator().calls('POST', '/chatapi/{token}')).toHaveLength(4);
	});

	it('reports a 400 from JAICP with its message', async () => {
		emulator().failNext(1, 400, { error: 'Bad Request', message: 'clientId too long' });
		const run = await runJaicp(emulator(), { resource: 'message', operation: 'send', clientId: 'x', query: 'hi' });
		expect(run.nodeError('Action')?.message).toBe('clientId too long [400]');
		expect(emulator().calls('POST', '/chatapi/{token}')).toHaveLength(1);
	});
});
