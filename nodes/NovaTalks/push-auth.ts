import type { IncomingHttpHeaders } from 'node:http';

import { sameSecret } from '../shared/secrets';
import type { NovaTalksCredentials } from './client';

export type PushAuthentication = 'none' | 'bearerToken' | 'customHeader';

/** Why a push request is refused, or undefined when it may pass. */
export function pushAuthFailure(
	authentication: PushAuthentication,
	headers: IncomingHttpHeaders,
	credentials: NovaTalksCredentials | undefined,
): string | undefined {
	if (authentication === 'none') return undefined;
	if (authentication === 'bearerToken') {
		const expected = credentials?.pushBearerToken ?? '';
		if (expected === '') return 'The credential has no Push Webhook Bearer Token';
		const match = /^Bearer\s+(.+)$/i.exec(String(headers.authorization ?? '').trim());
		return match && sameSecret(match[1].trim(), expected) ? undefined : 'Missing or wrong bearer token';
	}
	const name = (credentials?.pushHeaderName ?? '').trim().toLowerCase();
	const expected = credentials?.pushHeaderSecret ?? '';
	if (name === '' || expected === '') return 'The credential has no Push Webhook Header Name and Value';
	const given = headers[name];
	return typeof given === 'string' && sameSecret(given, expected) ? undefined : `Missing or wrong ${name} header`;
}
