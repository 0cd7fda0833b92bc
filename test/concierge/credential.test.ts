import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INodeCredentialTestResult } from 'n8n-workflow';

import { ConciergeApi } from '../../credentials/ConciergeApi.credentials';
import { socketUrl } from '../../nodes/Concierge/connection';
import { Concierge } from '../../nodes/Concierge/Concierge.node';
import { ConciergeTrigger } from '../../nodes/Concierge/ConciergeTrigger.node';
import { closedPort } from '../helpers/ports';
import { engine } from '../helpers/workflow';
import { credentialsFor, TOKEN, useEmulator } from './setup';

/** Runs the nodes' credential test the way n8n's credentials tester does: in n8n-core's CredentialTestContext. */
async function testCredential(data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	await engine().ready;
	const node = new Concierge();
	const testedBy = node.description.credentials?.[0].testedBy;
	expect(testedBy).toBe('conciergeApiTest');
	const test = node.methods.credentialTest[testedBy as 'conciergeApiTest'];
	return await test.call(new CredentialTestContext(), { id: 'c1', name: 'Concierge', type: 'conciergeApi', data });
}

describe('Concierge API credential', () => {
	const emulator = useEmulator();

	it('passes when the socket opens and the unread count comes back', async () => {
		emulator.current.conciergeSend(emulator.current.createSession().chatSessionId, 'hello');
		const result = await testCredential(credentialsFor(emulator.current).conciergeApi);
		expect(result).toEqual({ status: 'OK', message: 'Connected; 1 unread message(s)' });
		expect(emulator.current.frames('client/get-unread-msg-count')).toHaveLength(1);
		expect(emulator.current.upgrades).toEqual([`/uat?Auth=${TOKEN}&deviceId=n8n-test`]);
		expect(emulator.current.openConnections).toBe(0);
	});

	it('says "invalid token" when the gateway refuses the upgrade, without showing the token', async () => {
		const result = await testCredential(credentialsFor(emulator.current, { accessToken: 'expired-token-abcdef' }).conciergeApi);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Invalid token: WebSocket upgrade refused with HTTP 401/);
		expect(result.message).not.toContain('expired-token-abcdef');
	});

	it('says plainly when nothing listens, or the URL is not a WebSocket URL', async () => {
		const port = await closedPort();
		const down = await testCredential({ ...credentialsFor(emulator.current).conciergeApi, socketOrigin: `ws://127.0.0.1:${port}/uat` });
		expect(down).toEqual({
			status: 'Error',
			message: 'Could not open the WebSocket: the connection was refused (is the server running?)',
		});
		const wrong = await testCredential({ ...credentialsFor(emulator.current).conciergeApi, socketOrigin: 'ftp://example.com' });
		expect(wrong).toEqual({ status: 'Error', message: "The credential's WebSocket URL must start with wss:// (got ftp://)" });
	});

	it('is declared on both nodes, and signs REST requests as configured', async () => {
		expect(new ConciergeTrigger().description.credentials).toEqual([
			{ name: 'conciergeApi', required: true, testedBy: 'conciergeApiTest' },
		]);
		const authenticate = new ConciergeApi().authenticate;
		const bearer = await authenticate({ accessToken: 't0k3n', uploadAuthentication: 'bearer' }, { url: 'https://x', headers: { a: 1 } });
		expect(bearer.headers).toEqual({ a: 1, Authorization: 'Bearer t0k3n' });
		const header = await authenticate(
			{ accessToken: 't0k3n', uploadAuthentication: 'header', uploadAuthHeader: 'x-token' },
			{ url: 'https://x' },
		);
		expect(header.headers).toEqual({ 'x-token': 't0k3n' });
		const none = await authenticate({ accessToken: 't0k3n', uploadAuthentication: 'none' }, { url: 'https://x' });
		expect(none.headers).toBeUndefined();
	});
});

describe('socketUrl', () => {
	const base = { accessToken: 'a b+c/=', deviceId: 'dev 1' };

	it('puts the token and device id in the query, keeping what the origin already has', () => {
		expect(socketUrl({ ...base, socketOrigin: 'wss://abc.execute-api.ap-southeast-1.amazonaws.com/uat' })).toBe(
			'wss://abc.execute-api.ap-southeast-1.amazonaws.com/uat?Auth=a%20b%2Bc%2F%3D&deviceId=dev%201',
		);
		expect(socketUrl({ ...base, socketOrigin: 'https://abc.example.com/uat?stage=1&Auth=old' })).toBe(
			'wss://abc.example.com/uat?stage=1&Auth=a%20b%2Bc%2F%3D&deviceId=dev%201',
		);
		expect(() => socketUrl({ ...base, socketOrigin: 'not a url' })).toThrow(
			'The credential\'s WebSocket URL "not a url" is not a valid URL',
		);
	});
});
