import type { ICredentialTestFunctions, IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { redactText } from './redact';

export interface CheckRequest {
	method: IHttpRequestMethods;
	uri: string;
	headers?: IDataObject;
	body?: IDataObject;
	/** Values masked in the message when the service cannot be reached. */
	secrets: Array<string | undefined>;
	/** Who could not be reached, for the message ("the Chat API"). */
	service: string;
}

/**
 * One request of a credential test: its status, whatever it is, or why the service could not be
 * reached (secrets masked). Redirects are never followed, so the credential goes nowhere else.
 * n8n gives credential tests the legacy `request` helper only (no httpRequest).
 */
export async function credentialCheckStatus(
	ctx: ICredentialTestFunctions,
	request: CheckRequest,
): Promise<{ statusCode: number } | { unreachable: string }> {
	try {
		const response = (await ctx.helpers.request({
			method: request.method,
			uri: request.uri,
			headers: request.headers,
			body: request.body,
			json: true,
			simple: false,
			resolveWithFullResponse: true,
			followRedirect: false,
			followAllRedirects: false,
			timeout: 15_000,
		})) as { statusCode: number };
		return { statusCode: response.statusCode };
	} catch (error) {
		const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
		return { unreachable: redactText(`Could not reach ${request.service}: ${reason}`, request.secrets) };
	}
}
