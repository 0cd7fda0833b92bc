import { describeNetworkError } from '../shared/socket';

interface EngineIoError extends Error {
	type?: string;
	description?: unknown;
	context?: unknown;
	data?: unknown;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

/** Plain words for why a Socket.IO connection failed (refused, wrong path, HTTP status, TLS, middleware). */
export function describeConnectError(error: EngineIoError): string {
	if (error.message === 'timeout') return 'the server did not answer in time';
	if (error.type !== 'TransportError') {
		const detail = typeof error.data === 'object' && error.data !== null ? (error.data as { message?: unknown }).message : undefined;
		return `the server refused the connection (${typeof detail === 'string' ? detail : error.message})`;
	}
	const status = typeof error.description === 'number' ? error.description : undefined;
	if (status !== undefined && status >= 400) {
		const hint = status === 404 ? ' (is the Socket.IO path right?)' : status === 401 || status === 403 ? ' (check the extra headers, query parameters or auth)' : '';
		return `the server answered HTTP ${status}${hint}`;
	}
	const detail = failureIn(error.description) ?? failureIn((error.context as { responseText?: unknown } | undefined)?.responseText);
	if (detail && (TLS_CODES.test(detail.code ?? '') || /certificate/i.test(detail.text))) {
		return `the TLS certificate was not accepted (${detail.code ?? detail.text}); for a self-signed certificate turn on "Ignore SSL Issues" in the credential`;
	}
	if (detail?.code) return describeNetworkError({ code: detail.code } as NodeJS.ErrnoException, `the connection failed (${detail.code})`);
	return `the connection failed (${detail?.text || error.message})`;
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
