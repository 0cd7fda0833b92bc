import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { ExpertflowClient } from './client';
import { readSettings, type ExpertflowCredentialData } from './settings';

const TEST_TIMEOUT_MS = 10_000;

/**
 * The Customer Channel API has no harmless REST call (init opens a chat), so the credential is
 * tested by a Socket.IO handshake with the configured URL, path, headers, query and auth,
 * closed right after it succeeds.
 */
export async function testExpertflowConnection(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let client: ExpertflowClient;
	try {
		const settings = readSettings((credential.data ?? {}) as ExpertflowCredentialData);
		client = new ExpertflowClient({ config: settings.socket, secrets: settings.secrets, connectTimeoutMs: TEST_TIMEOUT_MS });
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
	try {
		await client.connect();
		return { status: 'OK', message: 'Connected to the Expertflow Socket.IO server' };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	} finally {
		await client.close();
	}
}
