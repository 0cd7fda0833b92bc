import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { asNodeError } from '../shared/errors';
import type { RequestContext } from '../shared/http';
import { credentialCheckStatus } from '../shared/credential-check';
import { isJsonObject } from '../shared/response-shape';
import { channelUrl, DEFAULT_BASE_URL, jaicpRequest, type JaicpCredentials } from './client';
import { routes } from './protocol';

/**
 * Proves a Chat API token without touching any client: a send request without parameters. The
 * server checks the token first (an unknown one: 401, or 404 for no such channel) and only then
 * refuses the missing clientId (400), so a 400 means the token was accepted; nothing reaches the bot,
 * and it works for a client that has never written (client routes answer 404 for those).
 */
export function tokenCheckFailure(statusCode: number): string | undefined {
	if (statusCode === 400 || (statusCode >= 200 && statusCode < 300)) return undefined;
	if (statusCode === 401 || statusCode === 403) return `The Chat API refused the token (${statusCode})`;
	if (statusCode === 404) return 'No Chat API channel with this token at this Base URL (404): check both';
	if (statusCode >= 300 && statusCode < 400) return `The Chat API redirected elsewhere (${statusCode}): put the address it moved to in Base URL`;
	return `The Chat API answered with status ${statusCode}`;
}

/** The events trigger's start-up check: resolves when the token is accepted, else throws an error saying why. */
export async function checkToken(ctx: RequestContext, credentials: JaicpCredentials): Promise<void> {
	try {
		await jaicpRequest(ctx, credentials, {
			operation: 'JAICP token check',
			answer: { expect: () => undefined, acceptText: true },
			method: 'GET',
			path: routes.send,
			retry: { maxRetries: 1 },
			timeoutMs: 20_000,
		});
	} catch (error) {
		// Unreachable host, or no status: reported as it is.
		if (!(error instanceof NodeApiError) || Number.isNaN(Number(error.httpCode))) throw asNodeError(ctx.getNode(), error);
		const status = Number(error.httpCode);
		const failure = tokenCheckFailure(status);
		if (failure === undefined) return;
		throw new NodeApiError(ctx.getNode(), { message: failure, httpCode: String(status) }, {
			message: failure,
			description: error.message,
			httpCode: String(status),
		});
	}
}

/** The credential test (n8n gives credential tests the legacy `request` helper only). */
export async function jaicpApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	const data = isJsonObject(credential.data) ? credential.data : {};
	const credentials: JaicpCredentials = {
		token: String(data.token ?? '').trim(),
		baseUrl: String(data.baseUrl || DEFAULT_BASE_URL),
	};
	if (credentials.token === '') return { status: 'Error', message: 'The Chat API Token is required' };
	const answer = await credentialCheckStatus(this, {
		method: 'GET',
		uri: channelUrl(credentials, routes.send),
		secrets: [credentials.token],
		service: 'the Chat API',
	});
	if ('unreachable' in answer) return { status: 'Error', message: answer.unreachable };
	const failure = tokenCheckFailure(answer.statusCode);
	return failure === undefined ? { status: 'OK', message: 'The Chat API accepted the token' } : { status: 'Error', message: failure };
}
