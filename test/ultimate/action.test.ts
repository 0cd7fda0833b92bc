import type { INodeParameters } from 'n8n-workflow';
import nock from 'nock';

import { actionWorkflow, chain } from '../helpers/workflow-builder';
import { runWorkflow } from '../helpers/workflow';

const BASE = 'https://api.ultimate.ai';
const API_KEY = 'ult-key-5f2d9c1e7a';
const BOT_ID = '618a30beee4e8e87d2f94015';
const credentials = { ultimateApi: { apiKey: API_KEY, botId: BOT_ID, baseUrl: BASE } };

const ultimate = (parameters: INodeParameters, continueOnFail = false) =>
	actionWorkflow('ultimate', { resource: 'conversation', ...parameters }, { continueOnFail });

/** Expects one converse request with exactly these headers and this body, answered 200 with no body. */
function expectConverse(body: object, reply: { status?: number; body?: object } = {}) {
	return nock(BASE)
		.post('/converse/chat', body as nock.RequestBodyMatcher)
		.matchHeader('authorization', API_KEY)
		.matchHeader('botid', BOT_ID)
		.matchHeader('content-type', /^application\/json/)
		.reply(reply.status ?? 200, reply.body);
}

afterEach(() => nock.cleanAll());

describe('Ultimate node: conversation operations', () => {
	it('Start Session generates a conversation ID when none is given and returns it', async () => {
		let sentId = '';
		const scope = nock(BASE)
			.post('/converse/chat', (body: { platformConversationId: string; eventType: string }) => {
				sentId = body.platformConversationId;
				expect(Object.keys(body).sort()).toEqual(['eventType', 'platformConversationId']);
				return body.eventType === 'startSession';
			})
			.matchHeader('authorization', API_KEY)
			.matchHeader('botid', BOT_ID)
			.reply(200);

		const run = await runWorkflow(ultimate({ operation: 'startSession' }), { credentials });

		expect(run.status).toBe('success');
		expect(sentId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(run.output('Action')).toEqual([
			{ json: { success: true, conversationId: sentId, eventType: 'startSession' }, pairedItem: { item: 0 } },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('Start Session uses the given ID and sends optional metadata in the array form', async () => {
		const scope = expectConverse({
			platformConversationId: 'chat-42',
			eventType: 'startSession',
			metaData: [
				{ key: 'userId', value: '54321', sanitize: false },
				{ key: 'email', value: 'ann@example.com', sanitize: true },
			],
		});
		const run = await runWorkflow(
			ultimate({
				operation: 'startSession',
				conversationId: 'chat-42',
				options: {
					metadata: {
						entries: [
							{ key: 'userId', value: '54321', sanitize: false },
							{ key: 'email', value: 'ann@example.com', sanitize: true },
						],
					},
				},
			}),
			{ credentials },
		);
		expect(run.json('Action')).toEqual([
			{ success: true, conversationId: 'chat-42', eventType: 'startSession', metadataKeys: ['userId', 'email'] },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('Send Message sends the text as a message event, one request per item with pairedItem', async () => {
		const first = expectConverse({ platformConversationId: 'c1', eventType: 'message', text: 'I want a refund' });
		const second = expectConverse({ platformConversationId: 'c2', eventType: 'message', text: 'Where is my parcel?' });
		const workflow = ultimate({ operation: 'sendMessage', conversationId: '={{ $json.id }}', text: '={{ $json.text }}' });

		const run = await runWorkflow(workflow, {
			credentials,
			startData: [[{ json: { id: 'c1', text: 'I want a refund' } }, { json: { id: 'c2', text: 'Where is my parcel?' } }]],
		});

		expect(run.output('Action')).toEqual([
			{ json: { success: true, conversationId: 'c1', eventType: 'message', text: 'I want a refund' }, pairedItem: { item: 0 } },
			{ json: { success: true, conversationId: 'c2', eventType: 'message', text: 'Where is my parcel?' }, pairedItem: { item: 1 } },
		]);
		expect(first.isDone() && second.isDone()).toBe(true);
	});

	it('Click Button sends the button text as the message text', async () => {
		const scope = expectConverse({ platformConversationId: 'c1', eventType: 'message', text: 'Maybe' });
		const run = await runWorkflow(ultimate({ operation: 'clickButton', conversationId: 'c1', buttonText: 'Maybe' }), {
			credentials,
		});
		expect(run.json('Action')).toEqual([{ success: true, conversationId: 'c1', eventType: 'message', text: 'Maybe' }]);
		expect(scope.isDone()).toBe(true);
	});

	it('Select Card sends the button text and the card index as a number', async () => {
		const scope = expectConverse({ platformConversationId: 'c1', eventType: 'message', text: 'secondCardButton', cardIndex: 1 });
		const run = await runWorkflow(
			ultimate({ operation: 'selectCard', conversationId: 'c1', buttonText: 'secondCardButton', cardIndex: '={{ "1" }}' }),
			{ credentials },
		);
		expect(run.json('Action')).toEqual([
			{ success: true, conversationId: 'c1', eventType: 'message', text: 'secondCardButton', cardIndex: 1 },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('Send Metadata sends the key/value list with sanitize per entry, values as text', async () => {
		const scope = expectConverse({
			platformConversationId: 'c1',
			eventType: 'metadata',
			metaData: [
				{ key: 'orderId', value: '1001', sanitize: false },
				{ key: 'phone', value: '+49 30 1234', sanitize: true },
			],
		});
		const run = await runWorkflow(
			ultimate({
				operation: 'sendMetadata',
				conversationId: 'c1',
				metadata: {
					entries: [
						{ key: 'orderId', value: '={{ 1001 }}' },
						{ key: 'phone', value: '+49 30 1234', sanitize: true },
					],
				},
			}),
			{ credentials },
		);
		expect(run.json('Action')).toEqual([
			{ success: true, conversationId: 'c1', eventType: 'metadata', metadataKeys: ['orderId', 'phone'] },
		]);
		expect(scope.isDone()).toBe(true);
	});

	it('End Session sends an endSession event', async () => {
		const scope = expectConverse({ platformConversationId: 'c1', eventType: 'endSession' });
		const run = await runWorkflow(ultimate({ operation: 'endSession', conversationId: 'c1' }), { credentials });
		expect(run.json('Action')).toEqual([{ success: true, conversationId: 'c1', eventType: 'endSession' }]);
		expect(scope.isDone()).toBe(true);
	});

	it('uses a configured base URL (for example a Zendesk-hosted one), trailing slash or not', async () => {
		const scope = nock('https://ai.eu.example.zendesk.com')
			.post('/bots/converse/chat', { platformConversationId: 'c1', eventType: 'endSession' })
			.reply(200);
		const run = await runWorkflow(ultimate({ operation: 'endSession', conversationId: 'c1' }), {
			credentials: { ultimateApi: { ...credentials.ultimateApi, baseUrl: 'https://ai.eu.example.zendesk.com/bots/' } },
		});
		expect(run.status).toBe('success');
		expect(scope.isDone()).toBe(true);
	});
});

describe('Ultimate node: validation before sending', () => {
	const cases: Array<[string, INodeParameters, RegExp]> = [
		['empty text', { operation: 'sendMessage', conversationId: 'c1', text: '   ' }, /Text is required/],
		['empty conversation ID', { operation: 'sendMessage', conversationId: '={{ $json.missing }}', text: 'hi' }, /Conversation ID is required/],
		['empty button text', { operation: 'clickButton', conversationId: 'c1', buttonText: '={{ "" }}' }, /Button Text is required/],
		['negative card index', { operation: 'selectCard', conversationId: 'c1', buttonText: 'x', cardIndex: -1 }, /Card Index must be a non-negative whole number/],
		['fractional card index', { operation: 'selectCard', conversationId: 'c1', buttonText: 'x', cardIndex: '={{ 1.5 }}' }, /Card Index/],
		['text card index', { operation: 'selectCard', conversationId: 'c1', buttonText: 'x', cardIndex: '={{ "second" }}' }, /Card Index/],
		['no metadata', { operation: 'sendMetadata', conversationId: 'c1', metadata: {} }, /Metadata needs at least one entry/],
		['metadata without key', { operation: 'sendMetadata', conversationId: 'c1', metadata: { entries: [{ key: ' ', value: 'v' }] } }, /Metadata entry 1 has no key/],
	];

	it.each(cases)('refuses %s without calling the API', async (_name, parameters, message) => {
		nock(BASE).post('/converse/chat').reply(200);
		const run = await runWorkflow(ultimate(parameters), { credentials });
		expect(run.status).toBe('error');
		const error = run.nodeError('Action');
		expect(error?.message).toMatch(message);
		expect(error?.context?.itemIndex).toBe(0);
		expect(nock.pendingMocks()).toHaveLength(1);
	});

	it('with Continue On Fail, reports the bad item and still sends the good one', async () => {
		const scope = expectConverse({ platformConversationId: 'c2', eventType: 'message', text: 'fine' });
		const workflow = ultimate({ operation: 'sendMessage', conversationId: '={{ $json.id }}', text: '={{ $json.text }}' }, true);
		const run = await runWorkflow(workflow, {
			credentials,
			startData: [[{ json: { id: 'c1', text: '' } }, { json: { id: 'c2', text: 'fine' } }]],
		});
		expect(run.output('Action')).toEqual([
			{ json: { error: 'Text is required' }, pairedItem: { item: 0 } },
			{ json: { success: true, conversationId: 'c2', eventType: 'message', text: 'fine' }, pairedItem: { item: 1 } },
		]);
		expect(scope.isDone()).toBe(true);
	});
});

describe('Ultimate node: provider errors', () => {
	it('turns 401 into an API error with the status and never shows the key', async () => {
		nock(BASE).post('/converse/chat').reply(401, { message: `Invalid API key ${API_KEY}` });
		const run = await runWorkflow(ultimate({ operation: 'endSession', conversationId: 'c1' }), { credentials });
		const error = run.nodeError('Action');
		expect(run.status).toBe('error');
		expect(error?.message).toBe('Invalid API key *** [401]');
		expect(JSON.stringify(error)).not.toContain(API_KEY);
		expect((error as { httpCode?: string }).httpCode).toBe('401');
	});

	it('reports an unknown bot (404) with the provider message', async () => {
		nock(BASE).post('/converse/chat').reply(404, { message: 'Bot not found' });
		const run = await runWorkflow(ultimate({ operation: 'endSession', conversationId: 'c1' }), { credentials });
		expect(run.nodeError('Action')?.message).toBe('Bot not found [404]');
	});

	it('retries 429 after Retry-After and then succeeds', async () => {
		const scope = nock(BASE)
			.post('/converse/chat')
			.reply(429, { message: 'Too many requests' }, { 'Retry-After': '0' })
			.post('/converse/chat', { platformConversationId: 'c1', eventType: 'message', text: 'hello' })
			.reply(200);
		const run = await runWorkflow(ultimate({ operation: 'sendMessage', conversationId: 'c1', text: 'hello' }), { credentials });
		expect(run.status).toBe('success');
		expect(scope.isDone()).toBe(true);
	});

	it('with Continue On Fail, outputs a 400 as an error item', async () => {
		nock(BASE).post('/converse/chat').reply(400, { message: 'text is required when eventType is message' });
		const run = await runWorkflow(ultimate({ operation: 'sendMessage', conversationId: 'c1', text: 'x' }, true), { credentials });
		expect(run.output('Action')).toEqual([
			{ json: { error: 'text is required when eventType is message [400]' }, pairedItem: { item: 0 } },
		]);
	});
});

describe('Ultimate node: webhook replies', () => {
	const reply = (parameters: INodeParameters) => actionWorkflow('ultimate', { resource: 'webhookReply', ...parameters });

	it('Answer Team Online Query builds {isOnline} from an expression, without credentials', async () => {
		const workflow = chain(
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
			{ name: 'Action', type: 'ultimate', parameters: { resource: 'webhookReply', operation: 'answerTeamOnline', isOnline: '={{ $json.agents > 0 }}' } },
		);
		const run = await runWorkflow(workflow, { startData: [[{ json: { agents: 0 } }, { json: { agents: 3 } }]]});
		expect(run.output('Action')).toEqual([
			{ json: { isOnline: false }, pairedItem: { item: 0 } },
			{ json: { isOnline: true }, pairedItem: { item: 1 } },
		]);
	});

	it('Answer Action builds {results} from fields, with sanitize per entry', async () => {
		const run = await runWorkflow(
			reply({
				operation: 'answerAction',
				results: { entries: [{ key: 'orderStatus', value: 'shipped' }, { key: 'address', value: 'Main St 1', sanitize: true }] },
			}),
		);
		expect(run.json('Action')).toEqual([
			{
				results: [
					{ key: 'orderStatus', value: 'shipped', sanitize: false },
					{ key: 'address', value: 'Main St 1', sanitize: true },
				],
			},
		]);
	});

	it('Answer Action takes a JSON array (any values) and refuses a bad one', async () => {
		const good = await runWorkflow(
			reply({ operation: 'answerAction', resultsMode: 'json', resultsJson: '[{"key":"items","value":["a","b"]},{"key":"n","value":2,"sanitize":true}]' }),
		);
		expect(good.json('Action')).toEqual([{ results: [{ key: 'items', value: ['a', 'b'] }, { key: 'n', value: 2, sanitize: true }] }]);

		const bad = await runWorkflow(reply({ operation: 'answerAction', resultsMode: 'json', resultsJson: '{"key":"x"}' }));
		expect(bad.nodeError('Action')?.message).toBe('Results (JSON) must be an array of {key, value, sanitize?}');

		const keyless = await runWorkflow(reply({ operation: 'answerAction', resultsMode: 'json', resultsJson: '[{"value":1}]' }));
		expect(keyless.nodeError('Action')?.message).toBe('Results (JSON) entry 1 needs a "key"');
	});
});
