import { describeNetworkError } from '../shared/socket';

interface EngineIoError extends Error {
	type?: string;
	description?: unknown;
	context?: unknown;
	data?: unknown;
}

/** Why a connection never opened: what to check differs for each. */
export type ConnectFailure = 'refused' | 'timeout' | 'tls' | 'auth' | 'path' | 'network';

export interface ConnectProblem {
	cause: ConnectFailure;
	/** Plain words for the failure, for the error message. */
	text: string;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

/** Plain words for why a Socket.IO connection failed (refused, wrong path, HTTP status, TLS, middleware), and its kind. */
export function describeConnectError(error: EngineIoError): ConnectProblem {
	if (error.message === 'timeout') return { cause: 'timeout', text: 'the server did not answer in time' };
	if (error.type !== 'TransportError') {
		const detail = typeof error.data === 'object' && error.data !== null ? (error.data as { message?: unknown }).message : undefined;
		return { cause: 'auth', text: `the server refused the connection (${typeof detail === 'string' ? detail : error.message})` };
	}
	const status = typeof error.description === 'number' ? error.description : undefined;
	if (status !== undefined && status >= 400) {
		if (status === 404) return { cause: 'path', text: `the server answered HTTP ${status} (is the Socket.IO path right?)` };
		if (status === 401 || status === 403) {
			return { cause: 'auth', text: `the server answered HTTP ${status} (check the extra headers, query parameters or auth)` };
		}
		return { cause: 'network', text: `the server answered HTTP ${status}` };
	}
	const detail = failureIn(error.description) ?? failureIn((error.context as { responseText?: unknown } | undefined)?.responseText);
	if (detail && (TLS_CODES.test(detail.code ?? '') || /certificate/i.test(detail.text))) {
		return {
			cause: 'tls',
			text: `the TLS certificate was not accepted (${detail.code ?? detail.text}); for a self-signed certificate turn on "Ignore SSL Issues" in the credential`,
		};
	}
	if (detail?.code) {
		const cause: ConnectFailure = detail.code === 'ECONNREFUSED' ? 'refused' : detail.code === 'ETIMEDOUT' ? 'timeout' : 'network';
		return { cause, text: describeNetworkError({ code: detail.code } as NodeJS.ErrnoException, `the connection failed (${detail.code})`) };
	}
	return { cause: 'network', text: `the connection failed (${detail?.text || error.message})` };
}

const HINTS: Record<ConnectFailure, string> = {
	refused:
		'Nothing accepts connections at that address: check the Server URL (or Socket.IO URL) and its port, and that the chat server is running.',
	timeout:
		'The Socket.IO handshake never finished: check the URL and port, a firewall or proxy on the way, and the Transport (some proxies pass only WebSocket or only long-polling); for a slow server raise Options > Timeout.',
	tls: 'The server\'s TLS certificate was not accepted: for a self-signed certificate turn on "Ignore SSL Issues" in the credential.',
	auth: 'The server, or an auth proxy in front of it, refused the handshake: check Extra Headers, Extra Query Parameters and Socket.IO Auth in the credential.',
	path: 'Check the Socket.IO Path in the credential (default /socket.io).',
	network: 'Check the Server URL (or Socket.IO URL) and the network between n8n and the chat server.',
};

/** What to check for a connection that never opened. */
export function connectHint(cause: ConnectFailure): string {
	return HINTS[cause];
}

/** The error code and first line of message inside an engine.io transport error, if any. */
function failureIn(value: unknown): { code?: string; text: string } | undefined {
	if (value === undefined || value === null || typeof value === 'number') return undefined;
	const record = value as { code?: unknown; message?: unknown };
	const raw = typeof value === 'string' ? value : typeof record.message === 'string' ? record.message : '';
	const text = raw.split('\n')[0].replace(/^Error:\s*/, '').trim();
	const code = typeof record.code === 'string' ? record.code : /\b(E[A-Z_]{3,}|[A-Z_]*CERT[A-Z_]*)\b/.exec(raw)?.[1];
	if (!code && !text) return undefined;
	return code ? { code, text } : { text };
}
