import { WebhookServer } from '../helpers/webhook';
import { chain } from '../helpers/workflow-builder';

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
	fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('webhook harness', () => {
	let server: WebhookServer | undefined;

	afterEach(async () => {
		await server?.close();
		server = undefined;
	});

	const workflow = (responseMode: string, probeUrl = 'http://127.0.0.1:1') =>
		chain(
			{ name: 'Hook', type: 'test.webhookProbe', webhookId: 'hook-1', parameters: { responseMode, secret: 's3cret' } },
			{ name: 'Fetch', type: 'test.probe', parameters: { thingId: '={{ $json.thing }}', baseUrl: probeUrl } },
		);

	it('answers at once in onReceived mode and runs the workflow', async () => {
		server = await WebhookServer.start(workflow('onReceived'), { credentials: { probeApi: { apiKey: 'k' } } });
		expect(server.url('Hook')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook\/hook-1\/probe$/);
		const response = await post(server.url('Hook'), '{"thing":"a"}', { 'x-secret': 's3cret' });
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ message: 'Workflow was started' });
		const [run] = await server.runs();
		expect(run.json('Hook')).toEqual([{ thing: 'a' }]);
	});

	it('answers 500 in lastNode mode when the workflow fails, and does not run it for a wrong secret', async () => {
		server = await WebhookServer.start(workflow('lastNode'), { credentials: { probeApi: { apiKey: 'k' } } });

		const refused = await post(server.url('Hook'), '{"thing":"a"}', { 'x-secret': 'nope' });
		expect(refused.status).toBe(401);
		expect(await server.runs()).toHaveLength(0);

		const failed = await post(server.url('Hook'), '{"thing":"a"}', { 'x-secret': 's3cret' });
		expect(failed.status).toBe(500);
		expect(await failed.json()).toEqual({ code: 0, message: 'Error in workflow' });
	});

	it('rejects unparsable JSON with 422 before the node runs, as n8n does', async () => {
		server = await WebhookServer.start(workflow('onReceived'), { credentials: { probeApi: { apiKey: 'k' } } });
		const response = await post(server.url('Hook'), '{broken', { 'x-secret': 's3cret' });
		expect(response.status).toBe(422);
		expect(await server.runs()).toHaveLength(0);
	});
});
