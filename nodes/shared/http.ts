import type FormData from 'form-data';
import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	ITriggerFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	excerpt,
	FILE_RESPONSE_LIMIT_BYTES,
	formatBytes,
	JSON_RESPONSE_LIMIT_BYTES,
	parseBody,
	readBounded,
	ResponseTooLargeError,
} from './http-body';
import { isRedirect, MAX_REDIRECTS, redirectVerdict } from './http-redirect';
import { redactText, redactValue } from './redact';
import type { ResponseCheck } from './response-shape';

export type RequestContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| ITriggerFunctions
	| IWebhookFunctions;

export interface RetryPolicy {
	/** Retries after the first attempt (429/502/503/504 only). */
	maxRetries: number;
	/** Delay when the provider sends no Retry-After; doubles on each retry. */
	baseDelayMs: number;
	/** Upper bound for any single wait, Retry-After included. */
	maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

export interface ApiRequest {
	method: IHttpRequestMethods;
	url: string;
	/** Credential type whose `authenticate` block signs the request; omit for unauthenticated calls. */
	credentialType?: string;
	qs?: IDataObject;
	headers?: IDataObject;
	/** JSON body. */
	body?: IDataObject | IDataObject[];
	/** Multipart body, built anew for every attempt (a stream cannot be sent twice). */
	multipart?: () => FormData;
	/** Raw bytes (for example a PUT to a pre-signed upload URL). */
	binary?: Buffer;
	/** Response as bytes instead of JSON (files, PDFs). */
	binaryResponse?: boolean;
	/** Values that must never appear in an error message (tokens inside URLs, keys). */
	secrets?: Array<string | undefined>;
	/** Item the request is for, so the error points at it. */
	itemIndex?: number;
	retry?: Partial<RetryPolicy>;
	timeoutMs?: number;
	skipSslCertificateValidation?: boolean;
	/** Aborts the request in flight (a trigger that is closed while a long poll is pending). */
	abortSignal?: AbortSignal;
	/** The operation's name in error messages ("JAICP Send"); by default the method and path. */
	operation?: string;
	/** Largest answer read; default 8 MB for JSON, 64 MB for `binaryResponse`. Past it: an error. */
	maxResponseBytes?: number;
	/** How the user raises `maxResponseBytes`, told in the error past it ("raise Max File Size in the options"). */
	maxResponseHint?: string;
	/** A successful answer that is not JSON is returned as text instead of refused. */
	acceptText?: boolean;
	/** Shape check of a successful answer (see response-shape.ts); a reason turns into an error. */
	expect?: ResponseCheck;
}

export interface ApiResponse<T> {
	statusCode: number;
	headers: IDataObject;
	body: T;
}

/**
 * The one way every REST operation talks to a provider: authenticated through n8n's helpers,
 * retried on 429/502/503/504 (honouring Retry-After, bounded), provider errors turned into
 * NodeApiError with the provider's status and message, and secrets masked in every message.
 */
export async function apiRequest<T = unknown>(ctx: RequestContext, request: ApiRequest): Promise<T> {
	return (await apiRequestFull<T>(ctx, request)).body;
}

export async function apiRequestFull<T = unknown>(
	ctx: RequestContext,
	request: ApiRequest,
): Promise<ApiResponse<T>> {
	const policy = { ...DEFAULT_RETRY, ...request.retry };
	let current = request;
	let retries = 0;
	let redirects = 0;
	for (;;) {
		const response = await send(ctx, current);
		const { statusCode } = response;
		if (isRedirect(statusCode)) {
			current = redirected(ctx, current, response, ++redirects);
			continue;
		}
		if (statusCode < 400) return checkedAnswer<T>(ctx, current, response);
		if (RETRYABLE_STATUS.has(statusCode) && retries < policy.maxRetries) {
			await sleep(retryDelayMs(response.headers, retries++, policy));
			continue;
		}
		throw providerError(ctx, current, response, retries);
	}
}

/** An answer as read: its JSON value, or its text when it is not JSON (`notJson`). */
interface ReadResponse extends ApiResponse<unknown> {
	notJson?: string;
}

async function send(ctx: RequestContext, request: ApiRequest): Promise<ReadResponse> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		qs: request.qs,
		headers: { Accept: 'application/json', ...request.headers },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs ?? 60_000,
		skipSslCertificateValidation: request.skipSslCertificateValidation,
		// Redirects are followed here, by `redirected`, so credentials never go to another host.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		// Read as a stream, so the size limit holds before anything big is in memory.
		encoding: 'stream',
	};
	if (request.abortSignal) options.abortSignal = request.abortSignal;
	if (request.multipart) {
		const form = request.multipart();
		options.body = form;
		options.headers = { ...options.headers, ...form.getHeaders() };
	} else if (request.binary) {
		options.body = request.binary;
	} else if (request.body !== undefined) {
		options.body = request.body;
		options.json = true;
	}

	let raw: IN8nHttpFullResponse;
	let bytes: Buffer;
	try {
		raw = (request.credentialType
			? await ctx.helpers.httpRequestWithAuthentication.call(ctx, request.credentialType, options)
			: await ctx.helpers.httpRequest(options)) as IN8nHttpFullResponse;
		const headers = raw.headers ?? {};
		bytes = await readBounded(raw.body, responseLimit(request), headers['content-length'], request.abortSignal);
	} catch (error) {
		if (error instanceof ResponseTooLargeError) throw tooLargeError(ctx, request, error);
		throw transportError(ctx, request, error);
	}
	const headers = raw.headers ?? {};
	if (request.binaryResponse && raw.statusCode < 300) return { statusCode: raw.statusCode, headers, body: bytes };
	const parsed = parseBody(bytes);
	return parsed.json
		? { statusCode: raw.statusCode, headers, body: parsed.value }
		: { statusCode: raw.statusCode, headers, body: parsed.text, notJson: parsed.text };
}

function responseLimit(request: ApiRequest): number {
	return request.maxResponseBytes ?? (request.binaryResponse ? FILE_RESPONSE_LIMIT_BYTES : JSON_RESPONSE_LIMIT_BYTES);
}

/** The operation's name for messages: the one given, else method and path (secrets masked). */
function operationName(request: ApiRequest): string {
	return redactText(request.operation ?? `${request.method} ${pathOf(request.url)}`, request.secrets ?? []);
}

/** The next request after a redirect on the same origin; any other redirect is an error. */
function redirected(ctx: RequestContext, request: ApiRequest, response: ReadResponse, count: number): ApiRequest {
	const verdict = redirectVerdict(request.url, response.headers.location, response.statusCode, request.method);
	if (verdict.follow && count <= MAX_REDIRECTS) {
		return {
			...request,
			url: verdict.url,
			qs: undefined,
			method: verdict.method,
			body: verdict.keepBody ? request.body : undefined,
			multipart: verdict.keepBody ? request.multipart : undefined,
			binary: verdict.keepBody ? request.binary : undefined,
		};
	}
	const operation = operationName(request);
	const status = response.statusCode;
	let message = `${operation}: more than ${MAX_REDIRECTS} redirects; the last answer was ${status}`;
	if (!verdict.follow && verdict.reason === 'other-origin') {
		const origin = redactText(verdict.origin, request.secrets ?? []);
		message = `${operation}: the provider redirected the request (answered ${status}) to another host (${origin}). It was not followed, so no credentials were sent there; if the service has moved, put its new address in the credential`;
	} else if (!verdict.follow) {
		message = `${operation}: the provider answered ${status} without a usable Location to go to`;
	}
	throw new NodeApiError(ctx.getNode(), { statusCode: status } as JsonObject, {
		message,
		description: 'Credentials are only ever sent to the address in the credential (same scheme, host and port, or its https form)',
		httpCode: String(status),
		itemIndex: request.itemIndex,
	});
}

/** A successful answer in the shape the operation needs, or an error naming it, the status and a masked excerpt. */
function checkedAnswer<T>(ctx: RequestContext, request: ApiRequest, response: ReadResponse): ApiResponse<T> {
	let reason: string | undefined;
	if (response.notJson !== undefined && !request.acceptText) reason = 'the body is not JSON';
	else reason = request.expect?.(response.body);
	if (reason === undefined) return response as ApiResponse<T>;
	const secrets = request.secrets ?? [];
	const text = response.notJson ?? JSON.stringify(response.body) ?? '';
	const shown = redactText(excerpt(text), secrets);
	return throwShapeError(ctx, request, response.statusCode, reason, shown);
}

function throwShapeError(ctx: RequestContext, request: ApiRequest, statusCode: number, reason: string, shown: string): never {
	const operation = operationName(request);
	throw new NodeApiError(ctx.getNode(), { statusCode, body: shown } as JsonObject, {
		message: `${operation}: the provider answered ${statusCode} with an unexpected body (${reason})`,
		description: shown === '' ? 'The body was empty' : `Start of the body: ${shown}`,
		httpCode: String(statusCode),
		itemIndex: request.itemIndex,
	});
}

function tooLargeError(ctx: RequestContext, request: ApiRequest, error: ResponseTooLargeError): NodeApiError {
	const operation = operationName(request);
	const hint = request.maxResponseHint ?? 'ask for less at a time (a shorter period, a smaller page)';
	return new NodeApiError(ctx.getNode(), { message: error.message } as JsonObject, {
		message: `${operation}: the answer is larger than ${formatBytes(error.limitBytes)}, the limit for this call; it was not read`,
		description: `To get it anyway, ${hint}`,
		itemIndex: request.itemIndex,
	});
}

/** Wait before the next attempt: Retry-After (seconds or HTTP date) when sent, else exponential. */
export function retryDelayMs(headers: IDataObject, attempt: number, policy: RetryPolicy): number {
	const header = headers['retry-after'] ?? headers['Retry-After'];
	const fallback = policy.baseDelayMs * 2 ** attempt;
	let delay = fallback;
	if (typeof header === 'string' || typeof header === 'number') {
		const text = String(header).trim();
		if (/^\d+(\.\d+)?$/.test(text)) {
			delay = Number(text) * 1000;
		} else {
			const date = Date.parse(text);
			if (!Number.isNaN(date)) delay = Math.max(0, date - Date.now());
		}
	}
	return Math.min(delay, policy.maxDelayMs);
}

/** The provider's own words from an error body, whatever key it uses. */
export function providerMessage(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() === '' ? undefined : body.slice(0, 500);
	if (!body || typeof body !== 'object') return undefined;
	const record = body as Record<string, unknown>;
	for (const key of ['message', 'error_description', 'error', 'errorMessage', 'description', 'detail', 'title']) {
		const value = record[key];
		if (typeof value === 'string' && value !== '') return value;
		// Validation errors as a list of sentences (NestJS: `{"message": ["name should not be empty"]}`).
		if (Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === 'string')) {
			return value.join('; ').slice(0, 500);
		}
		if (value && typeof value === 'object') {
			const nested = providerMessage(value);
			if (nested) return nested;
		}
	}
	if (Array.isArray(record.errors) && record.errors.length > 0) {
		const first: unknown = record.errors[0];
		return typeof first === 'string' ? first : providerMessage(first);
	}
	return undefined;
}

function providerError(
	ctx: RequestContext,
	request: ApiRequest,
	response: ApiResponse<unknown>,
	retries: number,
): NodeApiError {
	const secrets = request.secrets ?? [];
	const message = redactText(
		providerMessage(response.body) ?? `The provider answered with status ${response.statusCode}`,
		secrets,
	);
	const where = redactText(`${request.method} ${pathOf(request.url)}`, secrets);
	const retried = retries > 0 ? ` after ${retries} retr${retries === 1 ? 'y' : 'ies'}` : '';
	const body = Buffer.isBuffer(response.body) ? response.body.toString('utf8') : response.body;
	return new NodeApiError(
		ctx.getNode(),
		redactValue({ statusCode: response.statusCode, body } as JsonObject, secrets),
		{
			message: `${message} [${response.statusCode}]`,
			description: `${where} failed with status ${response.statusCode}${retried}`,
			httpCode: String(response.statusCode),
			itemIndex: request.itemIndex,
		},
	);
}

function transportError(ctx: RequestContext, request: ApiRequest, error: unknown): NodeApiError {
	const secrets = request.secrets ?? [];
	const reason = error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error);
	const target = redactText(`${request.method} ${originOf(request.url)}${pathOf(request.url)}`, secrets);
	return new NodeApiError(
		ctx.getNode(),
		{ message: redactText(reason, secrets) },
		{
			message: redactText(`Could not reach the provider: ${reason}`, secrets),
			description: `${target} did not answer`,
			itemIndex: request.itemIndex,
		},
	);
}

function pathOf(url: string): string {
	try {
		return new URL(url).pathname;
	} catch {
		return url;
	}
}

function originOf(url: string): string {
	try {
		return new URL(url).origin;
	} catch {
		return '';
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}
