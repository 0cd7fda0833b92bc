import type FormData from 'form-data';
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { apiRequest, type RequestContext, type RetryPolicy } from '../shared/http';
import {
	MESSAGE_PAGE_SIZE,
	readMessages,
	ROUTES,
	TOKEN_HEADER,
	webSocketUrlFor,
	type NovaTalksMessage,
} from './protocol';

export const CREDENTIAL_TYPE = 'novaTalksApi';

/** The credential, normalised: where the API and the WebSocket are, and which account. */
export interface NovaTalksConnection {
	baseUrl: string;
	webSocketUrl: string;
	accountId: number;
}

export interface NovaTalksCredentials {
	baseUrl: string;
	webSocketUrl?: string;
	accountId?: number | string;
	pushBearerToken?: string;
	pushHeaderName?: string;
	pushHeaderSecret?: string;
}

export async function loadConnection(ctx: RequestContext): Promise<NovaTalksConnection> {
	const credentials = await ctx.getCredentials<NovaTalksCredentials>(CREDENTIAL_TYPE);
	return connectionFrom(credentials);
}

export function connectionFrom(credentials: NovaTalksCredentials): NovaTalksConnection {
	const baseUrl = String(credentials.baseUrl ?? '').trim().replace(/\/+$/, '');
	const accountId = Number(credentials.accountId ?? 1);
	return {
		baseUrl,
		webSocketUrl: webSocketUrlFor(baseUrl, credentials.webSocketUrl),
		accountId: Number.isFinite(accountId) ? accountId : 1,
	};
}

export interface NovaTalksRequest {
	method: IHttpRequestMethods;
	path: string;
	/** The contact's pubsub token; omitted only for routes that need none (create, settings). */
	token?: string;
	qs?: IDataObject;
	body?: IDataObject;
	multipart?: () => FormData;
	itemIndex?: number;
	retry?: Partial<RetryPolicy>;
	timeoutMs?: number;
}

/** One SDK call: the token goes in the `access_token` header and never into an error message. */
export async function novaTalksRequest<T = unknown>(
	ctx: RequestContext,
	connection: NovaTalksConnection,
	request: NovaTalksRequest,
): Promise<T> {
	return await apiRequest<T>(ctx, {
		method: request.method,
		url: `${connection.baseUrl}${request.path}`,
		credentialType: CREDENTIAL_TYPE,
		headers: request.token ? { [TOKEN_HEADER]: request.token } : undefined,
		qs: request.qs,
		body: request.body,
		multipart: request.multipart,
		secrets: [request.token],
		itemIndex: request.itemIndex,
		retry: request.retry,
		timeoutMs: request.timeoutMs,
	});
}

export interface MessageQuery {
	before?: number;
	after?: number;
	updatedAt?: number;
	limit?: number;
}

export async function fetchMessages(
	ctx: RequestContext,
	connection: NovaTalksConnection,
	token: string,
	query: MessageQuery,
	options: Pick<NovaTalksRequest, 'itemIndex' | 'retry' | 'timeoutMs'> = {},
): Promise<NovaTalksMessage[]> {
	const qs: IDataObject = {};
	if (query.before !== undefined) qs.before = query.before;
	if (query.after !== undefined) qs.after = query.after;
	if (query.updatedAt !== undefined) qs.updated_at = query.updatedAt;
	if (query.limit !== undefined) qs.limit = query.limit;
	const body = await novaTalksRequest<unknown>(ctx, connection, {
		method: 'GET',
		path: ROUTES.messages,
		token,
		qs,
		...options,
	});
	return readMessages(body);
}

export interface PagingOptions {
	/** Stop once this many messages are found. */
	maxMessages?: number;
	/** Stop after a page shorter than this: the server had no more at that moment (saves a request). */
	shortPageEnds?: number;
	/** Stop after a page with a message this accepts. */
	until?: (message: NovaTalksMessage) => boolean;
}

/**
 * Pages through messages until a page brings nothing new: forward with `after=<highest id>` (when
 * `after` or `updated_at` is given) or backward with `before=<lowest id>` (otherwise). Ids the server
 * sends twice (an inclusive cursor) are kept once. Returns the messages in id order.
 */
export async function fetchAllMessages(
	fetchPage: (query: MessageQuery) => Promise<NovaTalksMessage[]>,
	query: Omit<MessageQuery, 'limit'>,
	options: PagingOptions = {},
): Promise<NovaTalksMessage[]> {
	const forward = query.after !== undefined || query.updatedAt !== undefined;
	const found = new Map<number, NovaTalksMessage>();
	let cursor = forward ? query.after : query.before;
	for (;;) {
		const page = await fetchPage(forward ? { after: cursor, updatedAt: query.updatedAt } : { before: cursor });
		const fresh = page.filter(
			(message) =>
				!found.has(message.id) &&
				(cursor === undefined || (forward ? message.id > cursor : message.id < cursor)),
		);
		if (fresh.length === 0) break;
		for (const message of fresh) found.set(message.id, message);
		const ids = fresh.map((message) => message.id);
		cursor = forward ? Math.max(...ids) : Math.min(...ids);
		if (found.size >= (options.maxMessages ?? Infinity)) break;
		if (options.until && fresh.some(options.until)) break;
		if (options.shortPageEnds !== undefined && page.length < options.shortPageEnds) break;
	}
	return sortById([...found.values()]);
}

export interface UncursoredRead {
	/** Only messages updated after this time (epoch ms), as the server's `updated_at` filter. */
	updatedAt?: number;
	/** Size of the first page (at most the server's 20); a shorter first page is the whole list. */
	firstPageSize?: number;
	/** After the newest: walk back towards the oldest until this many are found in all (Infinity: to the start). */
	olderUntil?: number;
	/** Stop as soon as a page brings a message this accepts. */
	until?: (message: NovaTalksMessage) => boolean;
}

/**
 * Reads a conversation's messages from a request without `before`/`after`, whichever end of the list the
 * server answers it with (the docs only say "20 messages"; some servers give the newest, some the oldest):
 * that page, then forward with `after=<highest id>` to the newest, then, as asked, backward with
 * `before=<lowest id>`. Returns the messages in id order, each once.
 */
export async function fetchUncursored(
	fetchPage: (query: MessageQuery) => Promise<NovaTalksMessage[]>,
	read: UncursoredRead = {},
): Promise<NovaTalksMessage[]> {
	const { updatedAt, until } = read;
	const firstPageSize = read.firstPageSize ?? MESSAGE_PAGE_SIZE;
	const first = await fetchPage({ updatedAt, limit: firstPageSize });
	if (first.length < firstPageSize || (until && first.some(until))) return sortById(first);
	const page = (query: MessageQuery) => fetchPage({ ...query, updatedAt, limit: MESSAGE_PAGE_SIZE });
	const ids = first.map((message) => message.id);
	const newer = await fetchAllMessages(page, { after: Math.max(...ids), updatedAt }, { shortPageEnds: MESSAGE_PAGE_SIZE, until });
	const found = [...first, ...newer];
	const wanted = read.olderUntil ?? 0;
	if (found.length >= wanted || (until && newer.some(until))) return sortById(found);
	const older = await fetchAllMessages((query) => page({ before: query.before }), { before: Math.min(...ids) }, {
		maxMessages: wanted - found.length,
		until,
	});
	return sortById([...older, ...found]);
}

export function sortById(messages: NovaTalksMessage[]): NovaTalksMessage[] {
	return [...messages].sort((a, b) => a.id - b.id);
}
