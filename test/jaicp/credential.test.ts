import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';

import { JaicpApi } from '../../credentials/JaicpApi.credentials';
import { Jaicp } from '../../nodes/Jaicp/Jaicp.node';
import { JaicpEventsTrigger } from '../../nodes/Jaicp/JaicpEventsTrigger.node';
import { closedPort } from '../helpers/ports';
import { engine } from '../helpers/workflow';
import { runJaicp, useEmulator } from './setup';

const emulator = useEmulator();

/** Runs the credential test as n8n's CredentialsTester does: the node's function, in a CredentialTestContext. */
async function testCredential(data: ICredentialDataDecryptedObject) {
	await engine().ready;
	const node = new Jaicp();
	const testedBy = node.description.credentials?.find((entry) => entry.name === 'jaicpApi')?.testedBy as string;
	const credential: ICredentialsDecrypted = { id: 'cred-1', name: 'JAICP', type: 'jaicpApi', data };
	return await node.methods.credentialTest[testedBy as 'jaicpApiTest'].call(new CredentialTestContext(), credential);
}

describe('JAICP API credential', () => {
	it('proves a good token without any client and without sending to the bot, with or without a trailing slash', async () => {
		for (const baseUrl of [emulator().baseUrl, `${emulator().baseUrl}/`]) {
			expect(await testCredential({ token: emulator().token, baseUrl })).toEqual({ status: 'OK', message: 'The Chat API accepted the token' });
		}
		expect(emulator().requests.map((request) => [request.method, request.route, request.tokenOk, request.query])).toEqual([
			['GET', '/chatapi/{token}', true, {}],
			['GET', '/chatapi/{token}', true, {}],
		]);
		expect(emulator().historyOf('n8n-credential-test')).toEqual([]);
	});

	it('fails for a wrong token (401) and for a wrong base URL (404), without showing the token', async () => {
		expect(await testCredential({ token: 'WrOnGtOk:00000000', baseUrl: emulator().baseUrl })).toEqual({
			status: 'Error',
			message: 'The Chat API refused the token (401)',
		});
		expect(await testCredential({ token: emulator().token, baseUrl: `${emulator().baseUrl.replace(/\/chatapi$/, '')}/wrong` })).toEqual({
			status: 'Error',
			message: 'No Chat API channel with this token at this Base URL (404): check both',
		});
		const unreachable = await testCredential({ token: emulator().token, baseUrl: `http://127.0.0.1:${await closedPort()}/chatapi` });
		expect(unreachable.status).toBe('Error');
		expect(unreachable.message).toMatch(/^Could not reach the Chat API/);
		expect(unreachable.message).not.toContain(emulator().token);
	});

	it('is the test of both nodes that use the credential', () => {
		for (const node of [new Jaicp(), new JaicpEventsTrigger()]) {
			expect(node.description.credentials).toEqual([{ name: 'jaicpApi', required: true, testedBy: 'jaicpApiTest' }]);
			expect(typeof node.methods.credentialTest.jaicpApiTest).toBe('function');
		}
	});

	it('keeps the token in a password field and defaults the base URL to app.jaicp.com', () => {
		const properties = new JaicpApi().properties;
		expect(properties.find((property) => property.name === 'token')?.typeOptions?.password).toBe(true);
		expect(properties.find((property) => property.name === 'baseUrl')?.default).toBe('https://app.jaicp.com/chatapi');
	});

	it('takes a base URL with trailing slashes (on-premise installs are typed by hand)', async () => {
		emulator().broadcast('somebody', 'Welcome');
		const run = await runJaicp(
			emulator(),
			{ resource: 'unreadCount', operation: 'get', clientId: 'somebody' },
			{ baseUrl: `${emulator().baseUrl}///` },
		);
		expect(run.json('Action')).toEqual([{ clientId: 'somebody', count: 1 }]);
		expect(emulator().requests.map((request) => [request.route, request.tokenOk])).toEqual([
			['/chatapi/{token}/client/somebody/message-not-read-count', true],
		]);
	});
});
