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

import { redactText, redactValue } from './redact';

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
	for (let attempt = 0; ; attempt++) {
		const response = await send(ctx, request);
		const { statusCode } = response;
		if (statusCode < 400) return response as ApiResponse<T>;
		if (RETRYABLE_STATUS.has(statusCode) && attempt < policy.maxRetries) {
			await sleep(retryDelayMs(response.headers, attempt, policy));
			continue;
		}
		throw providerError(ctx, request, response, attempt);
	}
}

async function send(ctx: RequestContext, request: ApiRequest): Promise<ApiResponse<unknown>> {
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.url,
		qs: request.qs,
		headers: { Accept: 'application/json', ...request.headers },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: request.timeoutMs ?? 60_000,
		skipSslCertificateValidation: request.skipSslCertificateValidation,
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
	if (request.binaryResponse) options.encoding = 'arraybuffer';

	let raw: IN8nHttpFullResponse;
	try {
		raw = (request.credentialType
			? await ctx.helpers.httpRequestWithAuthentication.call(ctx, request.credentialType, options)
			: await ctx.helpers.httpRequest(options)) as IN8nHttpFullResponse;
	} catch (error) {
		throw transportError(ctx, request, error);
	}
	return { statusCode: raw.statusCode, headers: raw.headers ?? {}, body: normalizeBody(raw.body, request) };
}

function normalizeBody(body: unknown, request: ApiRequest): unknown {
	if (request.binaryResponse) {
		if (Buffer.isBuffer(body)) return body;
		if (body instanceof ArrayBuffer) return Buffer.from(body);
		return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body ?? ''));
	}
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body === 'string' && body.trim() !== '') {
		try {
			return JSON.parse(body);
		} catch {
			return body;
		}
	}
	return body === '' ? undefined : body;
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
