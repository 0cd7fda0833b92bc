import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { redactText } from '../shared/redact';
import { SocketError, type SocketSession } from '../shared/socket';
import { conciergeSession, credentialSecrets, describeRefusedUpgrade, RouteCaller, type ConciergeCredentials } from './connection';
import { DEFAULT_REPLY_TIMEOUT_MS, ROUTES } from './protocol';

/**
 * Opens the socket with the credential and asks for the unread message count: a refused upgrade
 * means the token (or device ID) was not accepted.
 */
export async function conciergeApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const credentials = credential.data as unknown as ConciergeCredentials;
	const secrets = credentialSecrets(credentials);
	let session: SocketSession | undefined;
	try {
		session = conciergeSession(credentials, { reconnect: false, pingIntervalMs: 0 });
		await session.connect();
		const body = await new RouteCaller(DEFAULT_REPLY_TIMEOUT_MS).call<IDataObject>(session, ROUTES.unreadCount, {});
		return { status: 'OK', message: `Connected; ${String(body?.unreadMsgCount ?? 0)} unread message(s)` };
	} catch (error) {
		return { status: 'Error', message: describeFailure(error, secrets) };
	} finally {
		await session?.close();
	}
}

function describeFailure(error: unknown, secrets: string[]): string {
	const message = redactText(error instanceof Error ? error.message : String(error), secrets);
	const refusal = error instanceof SocketError ? describeRefusedUpgrade(error) : undefined;
	return refusal ? `${refusal.message}. ${refusal.description}` : message;
}
