import { JaicpApi } from '../../credentials/JaicpApi.credentials';
import { engine, buildWorkflow } from '../helpers/workflow';
import { jaicpWorkflow, runJaicp, useEmulator } from './setup';

const emulator = useEmulator();

/** The credential's test request, resolved by n8n's expression engine as the editor's "Test" does. */
async function resolveTestRequest(credentials: { token: string; baseUrl: string }) {
	await engine().ready;
	const workflow = buildWorkflow(jaicpWorkflow({}));
	const { request } = new JaicpApi().test;
	const resolve = (value: string) =>
		workflow.expression.getParameterValue(value, null, 0, 0, 'Action', [], 'internal', { $credentials: credentials }) as string;
	return { method: request.method ?? 'GET', url: `${resolve(String(request.baseURL))}${request.url ?? ''}` };
}

describe('JAICP API credential', () => {
	it('tests the token with a harmless read-only call, with or without a trailing slash on the base URL', async () => {
		for (const baseUrl of [emulator().baseUrl, `${emulator().baseUrl}/`]) {
			const { method, url } = await resolveTestRequest({ token: emulator().token, baseUrl });
			expect(url).toBe(`${emulator().baseUrl}/${emulator().token}/client/n8n-credential-test/message-not-read-count`);
			const response = await fetch(url, { method });
			expect(response.status).toBe(200);
		}
		expect(emulator().calls('GET', '/chatapi/{token}/client/n8n-credential-test/message-not-read-count')).toHaveLength(2);
	});

	it('fails the test for a wrong token', async () => {
		const { url } = await resolveTestRequest({ token: 'WrOnGtOk:00', baseUrl: emulator().baseUrl });
		expect((await fetch(url)).status).toBe(401);
	});

	it('keeps the token in a password field and defaults the base URL to app.jaicp.com', () => {
		const properties = new JaicpApi().properties;
		expect(properties.find((property) => property.name === 'token')?.typeOptions?.password).toBe(true);
		expect(properties.find((property) => property.name === 'baseUrl')?.default).toBe('https://app.jaicp.com/chatapi');
	});

	it('takes a base URL with trailing slashes (on-premise installs are typed by hand)', async () => {
		const run = await runJaicp(
			emulator(),
			{ resource: 'unreadCount', operation: 'get', clientId: 'nobody' },
			{ baseUrl: `${emulator().baseUrl}///` },
		);
		expect(run.json('Action')).toEqual([{ clientId: 'nobody', count: 0 }]);
		expect(emulator().requests.map((request) => [request.route, request.tokenOk])).toEqual([
			['/chatapi/{token}/client/nobody/message-not-read-count', true],
		]);
	});
});
