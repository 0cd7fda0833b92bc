import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../shared/errors';
import { providerMessage } from '../shared/http';
import { redactText } from '../shared/redact';
import { SocketError, SocketSession, type OpenSocket, type SocketSessionOptions } from '../shared/socket';
import { apiFrame, DEFAULT_REPLY_TIMEOUT_MS, MAX_FRAME_BYTES, MAX_MESSAGE_BYTES, replyMatcher, type RouteReply } from './protocol';

export type UploadAuthentication = 'bearer' | 'header' | 'none';

/** The `conciergeApi` credential's fields. */
export interface ConciergeCredentials {
	socketOrigin: string;
	accessToken: string;
	deviceId: string;
	serverUrl?: string;
	uploadAuthentication?: UploadAuthentication;
	uploadAuthHeader?: string;
	ignoreSslIssues?: boolean;
}

/** `<socketOrigin>?Auth=<accessToken>&deviceId=<id>`; an http(s) origin is taken as ws(s). */
export function socketUrl(credentials: ConciergeCredentials): string {
	const url = parseUrl(String(credentials.socketOrigin ?? '').trim());
	if (!url) throw new Error(`The credential's WebSocket URL "${credentials.socketOrigin}" is not a valid URL`);
	if (url.protocol === 'https:') url.protocol = 'wss:';
	if (url.protocol === 'http:') url.protocol = 'ws:';
	if (url.protocol !== 'wss:' && url.protocol !== 'ws:') {
		throw new Error(`The credential's WebSocket URL must start with wss:// (got ${url.protocol}//)`);
	}
	url.searchParams.delete('Auth');
	url.searchParams.delete('deviceId');
	// Encoded by hand: the secret masking knows the encodeURIComponent form of the token.
	const query = `Auth=${encodeURIComponent(credentials.accessToken)}&deviceId=${encodeURIComponent(credentials.deviceId)}`;
	return `${url.origin}${url.pathname}?${url.search ? `${url.search.slice(1)}&` : ''}${query}`;
}

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** The token sits in the connect URL: these values are masked wherever a message could show them. */
export function credentialSecrets(credentials: ConciergeCredentials): string[] {
	return [credentials.accessToken];
}

/**
 * A SocketSession set up for the gateway: 128 KB messages in 32 KB frames, the token masked, and the
 * opening handshake bounded by the reply timeout unless given its own.
 */
export function conciergeSession(
	credentials: ConciergeCredentials,
	options: Omit<SocketSessionOptions, 'url' | 'secrets' | 'maxFrameBytes' | 'maxFragmentBytes'>,
): SocketSession {
	return new SocketSession({
		...options,
		handshakeTimeoutMs: options.handshakeTimeoutMs ?? options.requestTimeoutMs,
		url: socketUrl(credentials),
		secrets: credentialSecrets(credentials),
		maxFrameBytes: MAX_MESSAGE_BYTES,
		maxFragmentBytes: MAX_FRAME_BYTES,
		rejectUnauthorized: !credentials.ignoreSslIssues,
	});
}

/** A route answered with a status other than 200. */
export class RouteError extends Error {
	constructor(
		readonly route: string,
		readonly status: number,
		readonly body: unknown,
	) {
		super(`${providerMessage(body) ?? 'The service refused the request'} [${status}]`);
		this.name = 'RouteError';
	}
}

/** Something that can send a frame and wait for its reply: the session, or the socket while `onOpen` runs. */
export type Requester = Pick<OpenSocket, 'request'>;

/**
 * Calls routes and hands back the reply body. Replies carry only the route as `channel`, so calls to
 * the same route go one at a time, each waiting for its reply (or its timeout) before the next is sent.
 */
export class RouteCaller {
	private readonly tails = new Map<string, Promise<unknown>>();

	constructor(private readonly timeoutMs = DEFAULT_REPLY_TIMEOUT_MS) {}

	async call<T = IDataObject>(via: Requester, route: string, body: IDataObject, chatSessionId?: string): Promise<T> {
		const previous = this.tails.get(route) ?? Promise.resolve();
		const current = previous.catch(() => undefined).then(async () => {
			const reply = await via.request<RouteReply>(apiFrame(route, body), replyMatcher(route, chatSessionId), {
				timeoutMs: this.timeoutMs,
				label: route,
			});
			const status = Number(reply.status);
			if (status !== 200) throw new RouteError(route, status, reply.body);
			return reply.body as T;
		});
		this.tails.set(route, current);
		try {
			return await current;
		} finally {
			if (this.tails.get(route) === current) this.tails.delete(route);
		}
	}
}

/**
 * n8n's error for a failed call: a refused route keeps the reply body and status; timeouts, drops and
 * refused connections name what failed. The token never shows.
 */
export function toNodeError(node: INode, error: unknown, secrets: string[], itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof RouteError) {
		return new NodeApiError(node, { channel: error.route, status: error.status, body: error.body } as JsonObject, {
			message: redactText(error.message, secrets),
			description: `The route ${error.route} answered with status ${error.status}`,
			httpCode: String(error.status),
			itemIndex,
		});
	}
	const message = redactText(error instanceof Error ? error.message : String(error), secrets);
	if (error instanceof SocketError) {
		const refusal = describeRefusedUpgrade(error);
		return new NodeApiError(node, { message } as JsonObject, {
			message: refusal?.message ?? message,
			description: refusal?.description,
			itemIndex,
		});
	}
	return asNodeError(node, new Error(message), itemIndex);
}

/** An answer of API Gateway's authorizer that denies the token (as opposed to a stage or route that is not there). */
const TOKEN_DENIED = /not authori[sz]ed|explicit deny|access ?denied|unauthori[sz]ed|invalid token|expired/i;

/**
 * Why the gateway refused the upgrade, from its actual answer. 401 is the authorizer refusing the token.
 * 403 is either the authorizer denying it ("User is not authorized ... explicit deny") or a stage or path
 * that does not exist (a bare "Forbidden"): the message says which, quotes the answer and what to check.
 */
export function describeRefusedUpgrade(error: SocketError): { message: string; description: string } | undefined {
	const status = error.httpStatus;
	if (status !== 401 && status !== 403) return undefined;
	const answer = error.upgradeAnswer;
	const said = [answer?.errorType, answer?.message].filter((part) => part !== undefined && part !== '').join(': ');
	const quoted = said === '' ? '' : `The gateway answered "${said}". `;
	if (status === 401 || TOKEN_DENIED.test(said)) {
		return {
			message: `Invalid token: ${error.message}`,
			description: `${quoted}Check the access token and device ID in the Concierge API credential.`,
		};
	}
	return {
		message: `Wrong WebSocket URL? ${error.message}`,
		description:
			`${quoted}API Gateway answers 403 without naming the token for a stage or path that does not exist. ` +
			"Check the stage at the end of the credential's WebSocket URL (e.g. /uat or /prod); if it is right, check the access token.",
	};
}
