import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { runJaicp, useEmulator, everything } from './setup';

const emulator = useEmulator();

/** A Chat API host that answers every request with `megabytes` of JSON, streamed in 64 KB chunks. */
async function hugeAnswerServer(megabytes: number, declareLength: boolean) {
	const chunk = Buffer.from(`{"questionId":"q","data":{"answer":"${'x'.repeat(64 * 1024 - 40)}"}},`);
	const total = Math.ceil((megabytes * 1024 * 1024) / chunk.length);
	let sentBytes = 0;
	const server = http.createServer((req, res) => {
		req.resume();
		const head = Buffer.from('{"history":[');
		const length = head.length + chunk.length * total + 2;
		res.writeHead(200, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': length } : {}) });
		res.write(head);
		let written = 0;
		const pump = () => {
			while (written < total) {
				written++;
				sentBytes += chunk.length;
				if (!res.write(chunk)) {
					res.once('drain', pump);
					return;
				}
			}
			res.end('{}]');
		};
		res.on('close', () => (written = total));
		pump();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/chatapi`,
		sent: () => sentBytes,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

describe('JAICP answers: size limit', () => {
	it.each([
		['streamed without a length', false],
		['with a Content-Length', true],
	])('a 40 MB answer (%s) is an error naming the operation and the limit, and is not read into memory', async (_label, declareLength) => {
		const huge = await hugeAnswerServer(40, declareLength);
		try {
			// The engine and the node are loaded and warm before measuring.
			await runJaicp(emulator(), { resource: 'history', operation: 'get', clientId: 'c-1', returnAll: false, limit: 10 }, { continueOnFail: true });
			const before = process.memoryUsage().rss;
			const run = await runJaicp(emulator(), { resource: 'history', operation: 'get', clientId: 'c-1', returnAll: false, limit: 10 }, { baseUrl: huge.baseUrl, continueOnFail: true });
			const grown = (process.memoryUsage().rss - before) / (1024 * 1024);
			const [output] = run.json('Action');
			expect(output.error).toBe('JAICP Get History: the answer is larger than 8 MB, the limit for this call; it was not read');
			expect(everything(run)).not.toContain(emulator().token);
			expect(huge.sent()).toBeLessThan(20 * 1024 * 1024);
			expect(grown).toBeLessThan(40);
		} finally {
			await huge.close();
		}
	}, 90_000);
});

describe('JAICP answers: shape', () => {
	const send = { resource: 'message', operation: 'send', clientId: 'c-1', query: 'hi' };

	it('a truncated JSON answer to Send is an error naming the operation and status, the token masked', async () => {
		emulator().failNext(1, 200, `{"token":"${emulator().token}","clientId":"c-1","questionId":"q-1","data":{"repl`, { headers: { 'content-type': 'application/json' } });
		const run = await runJaicp(emulator(), send);
		const error = run.error as { message?: string; description?: string; httpCode?: string } | undefined;
		expect(error?.message).toBe('JAICP Send: the provider answered 200 with an unexpected body (the body is not JSON)');
		expect(error?.httpCode).toBe('200');
		expect(error?.description).toBe('Start of the body: {"token":"***","clientId":"c-1","questionId":"q-1","data":{"repl');
		expect(everything(run)).not.toContain(emulator().token);
	});

	it('an HTML page with 200 to Unread Count is an error, and so is JSON without a count', async () => {
		emulator().broadcast('c-1', 'Welcome');
		emulator().failNext(1, 200, '<!doctype html><html><body>Maintenance</body></html>', { headers: { 'content-type': 'text/html' } });
		emulator().failNext(1, 200, { unread: 3 });
		const run = await runJaicp(emulator(), { resource: 'unreadCount', operation: 'get', clientId: 'c-1' }, {
			continueOnFail: true,
			items: [{}, {}, {}],
		});
		expect(run.json('Action').map((item) => item.error ?? item.count)).toEqual([
			'JAICP Get Unread Count: the provider answered 200 with an unexpected body (the body is not JSON)',
			'JAICP Get Unread Count: the provider answered 200 with an unexpected body (expected "count" to be a number, got nothing)',
			1,
		]);
	});

	it('a Send answer without clientId or data is an error; a proper one still works', async () => {
		emulator().failNext(1, 200, { ok: true });
		const run = await runJaicp(emulator(), send, { continueOnFail: true, items: [{}, {}] });
		const [wrong, right] = run.json('Action');
		expect(wrong.error).toBe('JAICP Send: the provider answered 200 with an unexpected body (has no clientId)');
		expect(right).toMatchObject({ provider: 'jaicp', conversationId: 'c-1', text: 'You said: hi' });
	});

	it('an empty answer to Get Events (a long poll that ended with nothing) gives no items and no error', async () => {
		emulator().failNext(1, 200, '', { route: /\/events$/ });
		const run = await runJaicp(emulator(), { resource: 'events', operation: 'get', clientId: 'c-1', options: { waitSeconds: 5 } });
		expect(run.status).toBe('success');
		expect(run.json('Action')).toEqual([]);
	});
});
