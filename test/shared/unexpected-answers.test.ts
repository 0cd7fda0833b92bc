import nock from 'nock';

import { actionWorkflow } from '../helpers/workflow-builder';
import { runWorkflow } from '../helpers/workflow';

const BASE = 'https://probe.example.com';
const API_KEY = 'key-0123456789';
const credentials = { probeApi: { baseUrl: BASE, apiKey: API_KEY } };
const probe = (pathSecret = '') => actionWorkflow('test.probe', { thingId: '1', pathSecret }, { continueOnFail: false });

afterEach(() => nock.cleanAll());

describe('apiRequest: answers that are not what was asked for', () => {
	it('a 200 HTML page is an error naming the call and the status, with the start of the body, secrets masked', async () => {
		const secret = 'path-secret-55667788';
		nock(BASE).get(`/${secret}/things/1`).reply(200, `<html><body>Welcome back, ${secret}</body></html>`, { 'content-type': 'text/html' });
		const run = await runWorkflow(probe(secret), { credentials });
		const error = run.error as { message?: string; description?: string; httpCode?: string };
		expect(error.message).toBe('GET /***/things/1: the provider answered 200 with an unexpected body (the body is not JSON)');
		expect(error.description).toBe('Start of the body: <html><body>Welcome back, ***</body></html>');
		expect(error.httpCode).toBe('200');
		// The error, without the node's own parameters (which hold the secret the test put there).
		const shown = { ...(run.error as unknown as Record<string, unknown>), node: undefined };
		expect(JSON.stringify(shown)).not.toContain(secret);
	});

	it('an empty 200 is no error (nothing to read), and an error status keeps its text message', async () => {
		nock(BASE).get('/things/1').reply(204).get('/things/1').reply(418, 'I am a teapot');
		const empty = await runWorkflow(probe(), { credentials });
		expect(empty.status).toBe('success');
		const teapot = await runWorkflow(probe(), { credentials });
		expect((teapot.error as { message?: string }).message).toBe('I am a teapot [418]');
	});
});
