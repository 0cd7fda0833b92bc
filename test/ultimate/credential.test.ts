import { CredentialTestContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted } from 'n8n-workflow';

import { Ultimate } from '../../nodes/Ultimate/Ultimate.node';
import { UltimateTrigger } from '../../nodes/Ultimate/UltimateTrigger.node';
import { UltimateEmulator } from '../emulators/ultimate';
import { closedPort } from '../helpers/ports';
import { engine } from '../helpers/workflow';
import { API_KEY, BOT_ID } from './fixtures';

/** Runs the credential test as n8n's CredentialsTester does: the node's function, in a CredentialTestContext. */
async function testCredential(data: ICredentialDataDecryptedObject) {
	const node = new Ultimate();
	const credentials = node.description.credentials ?? [];
	const testedBy = credentials.find((entry) => entry.name === 'ultimateApi')?.testedBy as string;
	const credential: ICredentialsDecrypted = { id: 'cred-1', name: 'Ultimate account', type: 'ultimateApi', data };
	return await node.methods.credentialTest[testedBy as 'ultimateApiConnectionTest'].call(new CredentialTestContext(), credential);
}

describe('Ultimate API credential test', () => {
	let emulator: UltimateEmulator;

	beforeAll(async () => {
		await engine().ready;
		emulator = await UltimateEmulator.start({ apiKey: API_KEY, botId: BOT_ID });
	});
	afterAll(async () => emulator.close());

	it('accepts a good key and bot from the 400 of an incomplete request, without starting a conversation', async () => {
		const result = await testCredential({ apiKey: API_KEY, botId: BOT_ID, baseUrl: emulator.baseUrl });
		expect(result).toEqual({ status: 'OK', message: 'The API key and the bot ID were accepted' });
		const call = emulator.calls.at(-1);
		expect(call).toMatchObject({ status: 400, headers: { authorization: API_KEY, botid: BOT_ID }, body: { platformConversationId: 'n8n-credential-check' } });
		expect(emulator.conversations.size).toBe(0);
		expect(emulator.deliveries).toHaveLength(0);
	});

	it('tells a wrong key (401) from an unknown bot (404)', async () => {
		expect(await testCredential({ apiKey: 'not-the-key', botId: BOT_ID, baseUrl: emulator.baseUrl })).toEqual({
			status: 'Error',
			message: 'The API key was refused (401)',
		});
		expect(await testCredential({ apiKey: API_KEY, botId: '000000000000000000000000', baseUrl: emulator.baseUrl })).toEqual({
			status: 'Error',
			message: 'No bot with this Bot ID (404)',
		});
	});

	it('reports other statuses and unreachable hosts, without the key', async () => {
		emulator.failNext(503);
		expect(await testCredential({ apiKey: API_KEY, botId: BOT_ID, baseUrl: emulator.baseUrl })).toEqual({
			status: 'Error',
			message: 'The Chat API answered with status 503',
		});
		const port = await closedPort();
		const unreachable = await testCredential({ apiKey: API_KEY, botId: BOT_ID, baseUrl: `http://127.0.0.1:${port}` });
		expect(unreachable.status).toBe('Error');
		expect(unreachable.message).toMatch(/^Could not reach the Chat API: ECONNREFUSED/);
		expect(unreachable.message).not.toContain(API_KEY);
	});

	it('is reachable from both nodes that use the credential, as n8n looks it up', () => {
		for (const node of [new Ultimate(), new UltimateTrigger()]) {
			const entry = node.description.credentials?.find((credential) => credential.name === 'ultimateApi');
			expect(typeof node.methods.credentialTest[entry?.testedBy as 'ultimateApiConnectionTest']).toBe('function');
		}
	});
});
