import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, INodeCredentialTestResult } from 'n8n-workflow';

import { Concierge } from '../../nodes/Concierge/Concierge.node';
import { startTrigger } from '../helpers/trigger';
import { waitFor } from '../helpers/wait';
import { engine, runWorkflow } from '../helpers/workflow';
import { conciergeAction, conciergeTrigger, credentialsFor, useEmulator } from './setup';

async function testCredential(data: ICredentialDataDecryptedObject): Promise<INodeCredentialTestResult> {
	await engine().ready;
	return await new Concierge().methods.credentialTest.conciergeApiTest.call(new CredentialTestContext(), {
		id: 'c1',
		name: 'Concierge',
		type: 'conciergeApi',
		data,
	});
}

describe('Concierge: why the gateway refused the connection, and how long opening it may take', () => {
	const emulator = useEmulator();

	it('names a wrong stage (a bare 403 Forbidden) as a URL problem, not an invalid token', async () => {
		const credentials = credentialsFor(emulator.current, { socketOrigin: emulator.current.socketOrigin.replace('/uat', '/prod') });
		const result = await runWorkflow(conciergeAction({ resource: 'unreadCount', operation: 'get' }), { credentials });
		const error = result.nodeError('Action');
		expect(error?.message).toBe('Wrong WebSocket URL? WebSocket upgrade refused with HTTP 403 (forbidden)');
		expect(error?.description).toContain('The gateway answered "ForbiddenException: Forbidden"');
		expect(error?.description).toContain("Check the stage at the end of the credential's WebSocket URL");
		expect(emulator.current.upgrades[0]).toMatch(/^\/prod\?/);

		const tested = await testCredential(credentials.conciergeApi);
		expect(tested.status).toBe('Error');
		expect(tested.message).toMatch(/^Wrong WebSocket URL\? WebSocket upgrade refused with HTTP 403 \(forbidden\)\. The gateway answered/);
	});

	it('names a token the authorizer denies (403 with an explicit deny) and a refused one (401) as invalid tokens', async () => {
		await emulator.restart({ tokenRefusal: 'denied' });
		const denied = credentialsFor(emulator.current, { accessToken: 'denied-token-5555' });
		const result = await runWorkflow(conciergeAction({ resource: 'unreadCount', operation: 'get' }), { credentials: denied });
		const error = result.nodeError('Action');
		expect(error?.message).toBe('Invalid token: WebSocket upgrade refused with HTTP 403 (forbidden)');
		expect(error?.description).toBe(
			'The gateway answered "AccessDeniedException: User is not authorized to access this resource with an explicit deny". ' +
				'Check the access token and device ID in the Concierge API credential.',
		);
		expect(JSON.stringify(error)).not.toContain('denied-token-5555');

		await emulator.restart({ tokenRefusal: 'unauthorized' });
		const tested = await testCredential(credentialsFor(emulator.current, { accessToken: 'expired-token-abcdef' }).conciergeApi);
		expect(tested).toEqual({
			status: 'Error',
			message:
				'Invalid token: WebSocket upgrade refused with HTTP 401 (the credentials were refused). ' +
				'The gateway answered "UnauthorizedException: Unauthorized". Check the access token and device ID in the Concierge API credential.',
		});
	});

	it('gives up opening a connection that hangs after the Reply Timeout, in the action node and the trigger', async () => {
		emulator.current.stallUpgrades();
		const started = Date.now();
		const result = await runWorkflow(
			conciergeAction({ resource: 'unreadCount', operation: 'get', connectionOptions: { replyTimeout: 300 } }),
			{ credentials: credentialsFor(emulator.current) },
		);
		const actionMs = Date.now() - started;
		expect(result.nodeError('Action')?.message).toBe('Could not open the WebSocket: Opening handshake has timed out');
		expect(actionMs).toBeLessThan(3000);

		const triggerStarted = Date.now();
		await expect(
			startTrigger(conciergeTrigger({ follow: 'all', options: { replyTimeout: 300 } }), { credentials: credentialsFor(emulator.current) }),
		).rejects.toThrow('Could not open the WebSocket: Opening handshake has timed out');
		const triggerMs = Date.now() - triggerStarted;
		expect(triggerMs).toBeLessThan(3000);
		console.log(`concierge: a hanging upgrade failed after ${actionMs} ms (action) and ${triggerMs} ms (trigger) with Reply Timeout 300 ms`);
		await waitFor(() => emulator.current.upgrades.length >= 2, 1000, () => 'both upgrade attempts');
	});
});
