import type { IHttpRequestMethods } from 'n8n-workflow';

/** Redirects followed at most, on the same origin. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);

export function isRedirect(statusCode: number): boolean {
	return REDIRECT_STATUS.has(statusCode);
}

export type RedirectVerdict =
	| { follow: true; url: string; method: IHttpRequestMethods; keepBody: boolean }
	| { follow: false; reason: 'no-location' }
	| { follow: false; reason: 'other-origin'; origin: string };

/**
 * Where a redirect leads and whether the request may go there with its credentials: only on the
 * same origin, or from http to https on the same host and port rules. Anything else is refused, so
 * a header, a query parameter or a path carrying a secret never reaches another host.
 * 307/308 keep the method and body; 301/302/303 turn into a GET without body, as browsers do.
 */
export function redirectVerdict(
	currentUrl: string,
	location: unknown,
	statusCode: number,
	method: IHttpRequestMethods,
): RedirectVerdict {
	if (typeof location !== 'string' || location.trim() === '') return { follow: false, reason: 'no-location' };
	let current: URL;
	let next: URL;
	try {
		current = new URL(currentUrl);
		next = new URL(location, current);
	} catch {
		return { follow: false, reason: 'no-location' };
	}
	const upgrade = current.protocol === 'http:' && next.protocol === 'https:' && current.hostname === next.hostname;
	if (next.origin !== current.origin && !upgrade) return { follow: false, reason: 'other-origin', origin: next.origin };
	const keepBody = statusCode === 307 || statusCode === 308;
	return { follow: true, url: next.href, method: keepBody || method === 'HEAD' ? method : 'GET', keepBody };
}
