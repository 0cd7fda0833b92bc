import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { apiRequest, type RequestContext, type RetryPolicy } from '../shared/http';
import type { ResponseCheck } from '../shared/response-shape';
import { scrubToken } from './protocol';

export const CREDENTIAL_TYPE = 'jaicpApi';
export const DEFAULT_BASE_URL = 'https://app.jaicp.com/chatapi';

export interface JaicpCredentials {
	token: string;
	baseUrl: string;
}

export async function getJaicpCredentials(ctx: RequestContext): Promise<JaicpCredentials> {
	const credentials = await ctx.getCredentials<{ token?: string; baseUrl?: string }>(CREDENTIAL_TYPE);
	return { token: String(credentials.token ?? '').trim(), baseUrl: String(credentials.baseUrl || DEFAULT_BASE_URL) };
}

/** The channel's URL: `<baseUrl>/<token><path>`; the token keeps its `:` as JAICP writes it. */
export function channelUrl(credentials: JaicpCredentials, path: string): string {
	const base = credentials.baseUrl.replace(/\/+$/, '');
	const token = encodeURIComponent(credentials.token).replace(/%3A/gi, ':');
	return `${base}/${token}${path}`;
}

export interface JaicpRequest {
	/** The operation's name in errors ("JAICP Send"). */
	operation: string;
	/** The answer's shape the operation needs (see answers.ts). */
	answer: { expect: ResponseCheck; acceptText?: boolean };
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject | IDataObject[];
	itemIndex?: number;
	abortSignal?: AbortSignal;
	timeoutMs?: number;
	retry?: Partial<RetryPolicy>;
}

/**
 * One Chat API call. The token sits in the URL path, so it is passed as a secret (masked in every
 * error) and masked in the answer too (JAICP echoes it in `token`), so no output ever carries it.
 */
export async function jaicpRequest<T = unknown>(
	ctx: RequestContext,
	credentials: JaicpCredentials,
	request: JaicpRequest,
): Promise<T> {
	const body = await apiRequest<T>(ctx, {
		method: request.method,
		url: channelUrl(credentials, request.path),
		qs: request.qs,
		body: request.body,
		secrets: [credentials.token],
		itemIndex: request.itemIndex,
		abortSignal: request.abortSignal,
		timeoutMs: request.timeoutMs,
		retry: request.retry,
		operation: request.operation,
		expect: request.answer.expect,
		acceptText: request.answer.acceptText,
	});
	return scrubToken(body, credentials.token);
}
