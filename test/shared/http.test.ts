import type { INodeParameters } from 'n8n-workflow';
import nock from 'nock';

import { providerMessage, retryDelayMs } from '../../nodes/shared/http';
import { closedPort } from '../helpers/ports';
import { actionWorkflow } from '../helpers/workflow-builder';
import { runWorkflow } from '../helpers/workflow';

const BASE = 'https://probe.example.com';
const API_KEY = 'key-0123456789';
const credentials = { probeApi: { baseUrl: BASE, apiKey: API_KEY } };
const probe = (parameters: INodeParameters, continueOnFail = false) =>
	actionWorkflow('test.probe', parameters, { continueOnFail });

afterEach(() => nock.cleanAll());

describe('apiRequest through n8n-core', () => {
	it('signs the request with the credential and returns the JSON body', async () => {
		const scope = nock(BASE).get('/things/42').matchHeader('x-api-key', API_KEY).reply(200, { id: 42 });

		const run = await runWorkflow(probe({ thingId: '42' }), { credentials });

		expect(run.status).toBe('success');
		expect(run.output('Action')).toEqual([{ json: { id: 42 }, pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	it('sends a multipart body built anew for each attempt', async () => {
		const bodies: string[] = [];
		const scope = nock(BASE)
			.post('/things/5')
			.times(2)
			.reply(function (_uri, body) {
				bodies.push(String(body));
				expect(this.req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
				expect(this.req.headers['x-api-key']).toBe(API_KEY);
				return bodies.length === 1 ? [503, { message: 'busy' }, { 'Retry-After': '0' }] : [201, { stored: true }];
			});

		const run = await runWorkflow(probe({ thingId: '5', uploadText: 'hello file' }), { credentials });

		expect(run.json('Action')).toEqual([{ stored: true }]);
		expect(bodies).toHaveLength(2);
		for (const body of bodies) {
			expect(body).toContain('name="note"\r\n\r\nfrom n8n');
			expect(body).toContain('name="file"; filename="note.txt"\r\nContent-Type: text/plain\r\n\r\nhello file');
		}
		expect(scope.isDone()).toBe(true);
	});

	it('retries a 429 after its Retry-After and then succeeds', async () => {
		const times: number[] = [];
		const scope = nock(BASE)
			.get('/things/7')
			.reply(() => {
				times.push(Date.now());
				return [429, { message: 'slow down' }, { 'Retry-After': '1' }];
			})
			.get('/things/7')
			.reply(() => {
				times.push(Date.now());
				return [200, { id: 7 }];
			});

		const run = await runWorkflow(probe({ thingId: '7' }), { credentials });

		expect(run.json('Action')).toEqual([{ id: 7 }]);
		expect(times).toHaveLength(2);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(950);
		expect(scope.isDone()).toBe(true);
	});

	it('retries 502/503/504 a bounded number of times, then fails with the last status', async () => {
		const scope = nock(BASE)
			.get('/things/1')
			.reply(502, 'bad gateway')
			.get('/things/1')
			.reply(503, { message: 'maintenance' })
			.get('/things/1')
			.reply(504, { message: 'gateway timeout' })
			.get('/things/1')
			.reply(503, { message: 'still down' });

		const run = await runWorkflow(probe({ thingId: '1' }), { credentials });

		expect(run.status).toBe('error');
		const error = run.nodeError('Action') as unknown as { message: string; httpCode: string; description: string };
		expect(error.message).toBe('still down [503]');
		expect(error.httpCode).toBe('503');
		expect(error.description).toContain('after 3 retries');
		expect(scope.isDone()).toBe(true);
	});

	it('turns a 401 into a NodeApiError with status 401 and the provider message, without retrying', async () => {
		const scope = nock(BASE).get('/things/9').once().reply(401, { error: { message: 'Invalid API key' } });

		const run = await runWorkflow(probe({ thingId: '9' }), { credentials });

		const error = run.nodeError('Action') as unknown as { name: string; message: string; httpCode: string };
		expect(error.name).toBe('NodeApiError');
		expect(error.httpCode).toBe('401');
		expect(error.message).toBe('Invalid API key [401]');
		expect(scope.isDone()).toBe(true);
	});

	it('never shows a token from the URL path, nor the key, in the error', async () => {
		const token = 'abcd1234:0123456789abcdef0123456789abcdef01234567';
		const scope = nock(BASE)
			.get(`/${token}/things/x`)
			.reply(404, { message: `No bot for token ${token} (key ${API_KEY})` });

		const run = await runWorkflow(probe({ thingId: 'x', pathSecret: token }), { credentials });

		expect(scope.isDone()).toBe(true);
		const error = run.nodeError('Action');
		// The node's own parameters are the test's input, not part of what the error reports.
		const everything = JSON.stringify({ ...error, node: undefined }) + String(error?.message) + String(error?.description);
		expect(everything).not.toContain(token);
		expect(everything).not.toContain(encodeURIComponent(token));
		expect(everything).not.toContain(API_KEY);
		expect(error?.message).toBe('No bot for token *** (key ***) [404]');
	});

	it('reports an unreachable provider as NodeApiError, and continueOnFail keeps the other items', async () => {
		const port = await closedPort();
		nock(BASE).get('/things/ok').reply(200, { ok: true });

		const workflow = probe({ thingId: '={{ $json.id }}', baseUrl: '={{ $json.base }}' }, true);
		const run = await runWorkflow(workflow, {
			credentials,
			startData: [[{ json: { id: 'down', base: `http://127.0.0.1:${port}` } }, { json: { id: 'ok', base: BASE } }]],
		});

		const [refused, ok] = run.output('Action');
		expect(refused.json.error).toMatch(/^Could not reach the provider: /);
		expect(refused.pairedItem).toEqual({ item: 0 });
		expect(ok).toEqual({ json: { ok: true }, pairedItem: { item: 1 } });
	});
});

describe('retry and message helpers', () => {
	const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 5000 };

	it('reads Retry-After as seconds or an HTTP date, capped', () => {
		expect(retryDelayMs({ 'retry-after': '2' }, 0, policy)).toBe(2000);
		expect(retryDelayMs({ 'retry-after': '600' }, 0, policy)).toBe(5000);
		const inOneSecond = new Date(Date.now() + 1000).toUTCString();
		const fromDate = retryDelayMs({ 'retry-after': inOneSecond }, 0, policy);
		expect(fromDate).toBeGreaterThan(0);
		expect(fromDate).toBeLessThanOrEqual(1000);
		expect(retryDelayMs({}, 2, policy)).toBe(400);
	});

	it('finds the provider message under the usual keys', () => {
		expect(providerMessage({ message: 'a' })).toBe('a');
		expect(providerMessage({ error: 'b' })).toBe('b');
		expect(providerMessage({ error: { description: 'c' } })).toBe('c');
		expect(providerMessage({ errors: [{ detail: 'd' }] })).toBe('d');
		expect(providerMessage({ errors: ['e'] })).toBe('e');
		expect(providerMessage({ statusCode: 400, message: ['f is empty', 'g is wrong'], error: 'Bad Request' })).toBe(
			'f is empty; g is wrong',
		);
		expect(providerMessage('plain text')).toBe('plain text');
		expect(providerMessage({})).toBeUndefined();
	});
});
