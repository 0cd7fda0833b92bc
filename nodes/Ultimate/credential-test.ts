import type {
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { credentialCheckStatus } from '../shared/credential-check';
import { converseUrl, type UltimateCredentials } from './protocol';

/** The conversation ID of the check request; no conversation is started with it. */
export const CREDENTIAL_CHECK_CONVERSATION = 'n8n-credential-check';

/**
 * Tests an Ultimate credential without starting a conversation: it sends a converse request
 * with no `eventType`. Ultimate checks the key (401) and the bot (404) before the body, so a 400
 * means both were accepted and only the deliberately incomplete body was refused.
 */
export async function ultimateApiConnectionTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted<ICredentialDataDecryptedObject>,
): Promise<INodeCredentialTestResult> {
	const data = (credential.data ?? {}) as unknown as UltimateCredentials;
	if (!data.apiKey || !data.botId) return { status: 'Error', message: 'API Key and Bot ID are required' };
	const answer = await credentialCheckStatus(this, {
		method: 'POST',
		uri: converseUrl(data.baseUrl || 'https://api.ultimate.ai'),
		headers: { Authorization: data.apiKey, botid: data.botId },
		body: { platformConversationId: CREDENTIAL_CHECK_CONVERSATION },
		secrets: [data.apiKey],
		service: 'the Chat API',
	});
	if ('unreachable' in answer) return { status: 'Error', message: answer.unreachable };
	return verdict(answer.statusCode);
}

function verdict(statusCode: number): INodeCredentialTestResult {
	if (statusCode === 400 || (statusCode >= 200 && statusCode < 300)) {
		return { status: 'OK', message: 'The API key and the bot ID were accepted' };
	}
	if (statusCode === 401 || statusCode === 403) {
		return { status: 'Error', message: `The API key was refused (${statusCode})` };
	}
	if (statusCode === 404) return { status: 'Error', message: 'No bot with this Bot ID (404)' };
	return { status: 'Error', message: `The Chat API answered with status ${statusCode}` };
}
