import type { SocketConfig } from './client';

/** The credential as n8n hands it over. */
export interface ExpertflowCredentialData {
	serverUrl?: string;
	socketUrl?: string;
	socketPath?: string;
	transport?: 'pollingThenWebsocket' | 'websocket';
	extraHeaders?: string;
	extraQuery?: string;
	socketAuth?: string;
	ignoreSslIssues?: boolean;
}

/** Where and how to reach one Expertflow deployment, checked and ready to use. */
export interface ExpertflowSettings {
	/** REST base: the server URL without a trailing slash. */
	restBaseUrl: string;
	socket: SocketConfig;
	skipSslCertificateValidation: boolean;
	/** Header, query and auth values: masked in every error message. */
	secrets: string[];
}

/** A credential field that cannot be used; the message names the field, never its value. */
export class SettingsError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SettingsError';
	}
}

export const DEFAULT_SOCKET_PATH = '/socket.io';

export function readSettings(data: ExpertflowCredentialData): ExpertflowSettings {
	const server = parseUrl(data.serverUrl, 'Server URL', ['http:', 'https:']);
	const socketOrigin = data.socketUrl?.trim() ? parseUrl(data.socketUrl, 'Socket.IO URL', ['http:', 'https:', 'ws:', 'wss:']) : server;
	const path = (data.socketPath ?? '').trim() || DEFAULT_SOCKET_PATH;
	if (!path.startsWith('/')) throw new SettingsError('Socket.IO Path must start with "/", for example /socket.io');
	const { headers, query } = extraRequestParts(data);
	const auth = parseJsonObject(data.socketAuth, 'Socket.IO Auth');
	return {
		restBaseUrl: server.href.replace(/\/+$/, ''),
		socket: {
			origin: socketOrigin.origin.replace(/^ws/, 'http'),
			path,
			headers,
			query,
			auth: Object.keys(auth).length > 0 ? auth : undefined,
			rejectUnauthorized: data.ignoreSslIssues !== true,
			transports: data.transport === 'websocket' ? ['websocket'] : ['polling', 'websocket'],
		},
		skipSslCertificateValidation: data.ignoreSslIssues === true,
		secrets: [...Object.values(headers), ...Object.values(query), ...Object.values(auth).map(String)],
	};
}

/** The extra headers and query parameters every REST call and the Socket.IO handshake carry. */
export function extraRequestParts(data: ExpertflowCredentialData): {
	headers: Record<string, string>;
	query: Record<string, string>;
} {
	return {
		headers: stringValues(parseJsonObject(data.extraHeaders, 'Extra Headers'), 'Extra Headers'),
		query: stringValues(parseJsonObject(data.extraQuery, 'Extra Query Parameters'), 'Extra Query Parameters'),
	};
}

function parseUrl(value: string | undefined, field: string, protocols: string[]): URL {
	const text = (value ?? '').trim();
	if (text === '') throw new SettingsError(`${field} is empty: enter the address of the Expertflow chat server`);
	const url = URL.canParse(text) ? new URL(text) : undefined;
	if (!url) throw new SettingsError(`${field} "${text}" is not a valid URL (expected something like https://chat.example.com)`);
	if (!protocols.includes(url.protocol)) {
		throw new SettingsError(`${field} must start with ${protocols.map((protocol) => `${protocol}//`).join(' or ')}`);
	}
	return url;
}

function parseJsonObject(value: string | undefined, field: string): Record<string, unknown> {
	const text = (value ?? '').trim();
	if (text === '') return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new SettingsError(`${field} must be a JSON object, for example {"X-Api-Key": "…"}`);
	}
	return parsed as Record<string, unknown>;
}

function stringValues(record: Record<string, unknown>, field: string): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [key, value] of Object.entries(record)) {
		if (value !== null && typeof value === 'object') {
			throw new SettingsError(`${field}: the value of "${key}" must be a string or a number`);
		}
		if (value !== undefined && value !== null) result[key] = String(value);
	}
	return result;
}
