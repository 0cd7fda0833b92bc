// No test ever reaches the network: HTTP goes through nock interceptors, and only the local
// emulators on 127.0.0.1 are reachable.
import http from 'node:http';
import https from 'node:https';
import nock from 'nock';

type RequestFunction = typeof http.request;

/**
 * nock's interceptor (nock 14, through @mswjs/interceptors) puts every request on a mock socket,
 * WebSocket upgrades included, with two HTTP parsers that it frees only when the request finishes
 * and when the socket is destroyed through it. An upgraded connection is closed, never destroyed
 * that way (and a refused handshake may never finish), so every WebSocket a test opened left its
 * parsers behind as open handles at the end of the run. They are freed here once the socket closes.
 */
interface InterceptedSocket {
	requestParser?: Parser;
	responseParser?: Parser;
}
interface Parser {
	remove(): void;
	free(): void;
}
const freed = new WeakSet<Parser>();

function freeParsers(socket: InterceptedSocket): void {
	for (const parser of [socket.requestParser, socket.responseParser]) {
		if (!parser || freed.has(parser)) continue;
		freed.add(parser);
		parser.remove();
		parser.free();
	}
}

function freeingUpgradeParsers(request: RequestFunction): RequestFunction {
	return function (this: unknown, ...args: Parameters<RequestFunction>) {
		const req = (request as (...given: Parameters<RequestFunction>) => http.ClientRequest).apply(this, args);
		const headers = req.getHeader('upgrade');
		if (headers === undefined) return req;
		req.once('socket', (socket) => socket.once('close', () => freeParsers(socket as InterceptedSocket)));
		return req;
	} as RequestFunction;
}

const originalRequests = { http: http.request, https: https.request };

beforeAll(() => {
	nock.disableNetConnect();
	nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
	http.request = freeingUpgradeParsers(originalRequests.http);
	https.request = freeingUpgradeParsers(originalRequests.https);
});

afterAll(() => {
	http.request = originalRequests.http;
	https.request = originalRequests.https;
	nock.cleanAll();
	nock.enableNetConnect();
	// Each test file loads its own nock, which wraps http.ClientRequest again: unwrap this file's layer,
	// or the layers pile up in a jest worker and an aborted request no longer reaches its real socket.
	nock.restore();
});
