import { WebSocket } from 'ws';

import { SocketSession } from '../../nodes/shared/socket';
import { backoffDelay, DEFAULT_BACKOFF } from '../../nodes/shared/backoff';
import { closedPort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';
import { TestWsServer } from '../helpers/ws-server';

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
};

describe('SocketSession against a real ws server', () => {
	let server: TestWsServer;
	let session: SocketSession | undefined;

	beforeEach(async () => {
		server = await TestWsServer.start();
		// The server confirms subscriptions and echoes requests with their id.
		server.handle((socket, message) => {
			const frame = message as { type?: string; id?: number; topic?: string };
			if (frame.type === 'subscribe') socket.send(JSON.stringify({ type: 'confirmed', topic: frame.topic }));
			if (frame.type === 'ask') socket.send(JSON.stringify({ type: 'answer', id: frame.id }));
		});
	});

	afterEach(async () => {
		await session?.close();
		session = undefined;
		await server.close();
	});

	it('reconnects and re-subscribes after 20 forced drops in a row (median under 500 ms)', async () => {
		const subscriptions: Array<{ reconnect: boolean; at: number }> = [];
		session = new SocketSession({
			url: server.url,
			onOpen: async (socket, info) => {
				await socket.request({ type: 'subscribe', topic: 'chat' }, (m) => (m as { type: string }).type === 'confirmed', {
					label: 'subscribe',
				});
				subscriptions.push({ reconnect: info.reconnect, at: Date.now() });
			},
		});
		await session.connect();
		expect(subscriptions).toHaveLength(1);

		const reconnectMs: number[] = [];
		for (let drop = 1; drop <= 20; drop++) {
			const droppedAt = Date.now();
			server.dropAll();
			await waitFor(() => subscriptions.length === drop + 1, 3000, () => `re-subscribe after drop ${drop}`);
			reconnectMs.push(subscriptions[drop].at - droppedAt);
			expect(subscriptions[drop].reconnect).toBe(true);
		}

		const subscribeFrames = server.received.filter((m) => (m as { type: string }).type === 'subscribe');
		expect(subscribeFrames).toHaveLength(21);
		expect(session.stats.reconnects).toBe(20);
		const middle = median(reconnectMs);
		console.log(
			`socket reconnect after forced drop: median ${middle} ms, max ${Math.max(...reconnectMs)} ms over 20 drops`,
		);
		expect(middle).toBeLessThan(500);
	});

	it('correlates replies with requests and fails a request whose reply never comes', async () => {
		session = new SocketSession({ url: server.url, requestTimeoutMs: 150 });
		await session.connect();

		const reply = await session.request({ type: 'ask', id: 7 }, (m) => (m as { id?: number }).id === 7);
		expect(reply).toEqual({ type: 'answer', id: 7 });

		const started = Date.now();
		await expect(
			session.request({ type: 'silence' }, () => false, { label: 'route client/get-unread-msg-count' }),
		).rejects.toThrow('No reply to route client/get-unread-msg-count within 150 ms');
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
	});

	it('queues frames while disconnected, sends them after re-subscribing, and raises when the queue is full', async () => {
		const order: string[] = [];
		server.handle((socket, message) => order.push((message as { type: string }).type));
		let allowOpen = true;
		session = new SocketSession({
			url: server.url,
			maxQueuedFrames: 2,
			backoff: { initialDelayMs: 50 },
			onOpen: (socket) => {
				if (!allowOpen) throw new Error('not yet');
				socket.send({ type: 'subscribe' });
			},
		});
		await session.connect();
		await waitFor(() => order.length === 1, 1000, () => 'the first subscribe');
		allowOpen = false;
		server.dropAll();
		await waitFor(() => !session!.isOpen, 1000, () => 'the drop to be noticed');

		session.send({ type: 'queued-1' });
		session.send({ type: 'queued-2' });
		expect(() => session!.send({ type: 'queued-3' })).toThrow(
			'Send queue is full (2 frames waiting for the connection); the frame was not sent',
		);
		expect(session.queuedFrames).toBe(2);

		allowOpen = true;
		await waitFor(() => order.length === 4, 3000, () => `queued frames to arrive (got ${JSON.stringify(order)})`);
		expect(order).toEqual(['subscribe', 'subscribe', 'queued-1', 'queued-2']);
	});

	it('refuses frames over the size limit before sending', async () => {
		session = new SocketSession({ url: server.url, maxFrameBytes: 100 });
		await session.connect();
		expect(() => session!.send({ text: 'x'.repeat(200) })).toThrow(/over the limit of 100 bytes; it was not sent/);
		expect(server.received).toHaveLength(0);
	});

	it('splits long messages into continuation frames of at most maxFragmentBytes', async () => {
		const send = jest.spyOn(WebSocket.prototype, 'send');
		try {
			session = new SocketSession({ url: server.url, maxFragmentBytes: 1000 });
			await session.connect();
			const text = 'é'.repeat(1200); // 2400 bytes: three fragments, one cutting a character in two
			session.send({ text });
			session.send({ short: true });
			await waitFor(() => server.received.length === 2, 2000, () => 'both messages');
			expect(server.received).toEqual([{ text }, { short: true }]);
			const calls = send.mock.calls.map(([data, options]) => ({
				size: Buffer.byteLength(data as Buffer | string),
				fin: (options as { fin?: boolean } | undefined)?.fin,
			}));
			expect(calls.slice(0, 3).map((call) => call.fin)).toEqual([false, false, true]);
			expect(Math.max(...calls.map((call) => call.size))).toBeLessThanOrEqual(1000);
			expect(calls).toHaveLength(4);
		} finally {
			send.mockRestore();
		}
	});

	it('skips malformed frames and keeps delivering the rest', async () => {
		const messages: unknown[] = [];
		const malformed: string[] = [];
		session = new SocketSession({
			url: server.url,
			onMessage: (m) => messages.push(m),
			onMalformed: (raw) => malformed.push(raw),
		});
		await session.connect();
		server.broadcast('{not json');
		server.broadcast({ ok: 1 });
		await waitFor(() => messages.length === 1, 2000, () => 'the good frame');
		expect(malformed).toEqual(['{not json']);
		expect(messages).toEqual([{ ok: 1 }]);
		expect(session.stats.malformed).toBe(1);
	});

	it('sends the application keepalive and answers protocol pings', async () => {
		session = new SocketSession({
			url: server.url,
			keepalive: { intervalMs: 40, frame: () => ({ type: 'keepalive' }) },
			pingIntervalMs: 30,
		});
		await session.connect();
		let pongs = 0;
		server.openClients[0].on('pong', () => pongs++);
		server.openClients[0].ping();
		await waitFor(() => server.received.filter((m) => (m as { type: string }).type === 'keepalive').length >= 2, 2000, () => 'two keepalives');
		await waitFor(() => pongs === 1, 1000, () => 'a pong');
		expect(session.isOpen).toBe(true);
	});

	it('drops and reconnects a connection whose pings go unanswered', async () => {
		let opens = 0;
		session = new SocketSession({ url: server.url, pingIntervalMs: 40, onOpen: () => void opens++ });
		await session.connect();
		// A peer that stops answering pings: pause the server side's socket.
		(server.connections[0].socket as unknown as { _socket: { pause(): void } })._socket.pause();
		await waitFor(() => opens === 2, 3000, () => 'a reconnect after missed pongs');
		expect(session.stats.drops).toBeGreaterThanOrEqual(1);
	});

	it('passes URL and headers, and reports a refused upgrade as a fatal error without retrying', async () => {
		await server.close();
		server = await TestWsServer.start({
			verifyClient: (request) => (request.url === '/ws?token=good' && request.headers['x-team'] === 'a' ? true : 401),
		});
		session = new SocketSession({ url: `${server.url}/ws?token=good`, headers: { 'x-team': 'a' } });
		await session.connect();
		expect(session.isOpen).toBe(true);
		await session.close();

		session = new SocketSession({ url: `${server.url}/ws?token=secret-token-123`, secrets: ['secret-token-123'] });
		const error = await session.connect().then(
			() => undefined,
			(failure: Error) => failure,
		);
		expect(error?.message).toBe('WebSocket upgrade refused with HTTP 401 (the credentials were refused)');
		expect(error?.message).not.toContain('secret-token-123');
	});

	it('reports a refused connection clearly and promptly', async () => {
		const port = await closedPort();
		session = new SocketSession({ url: `ws://127.0.0.1:${port}/ws` });
		const started = Date.now();
		await expect(session.connect()).rejects.toThrow('Could not open the WebSocket: the connection was refused (is the server running?)');
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it('gives up after maxReconnectAttempts and reports it as fatal', async () => {
		const fatal: Error[] = [];
		session = new SocketSession({
			url: server.url,
			maxReconnectAttempts: 2,
			backoff: { initialDelayMs: 20 },
			onFatal: (error) => fatal.push(error),
		});
		await session.connect();
		await server.close();
		await waitFor(() => fatal.length === 1, 3000, () => 'the fatal error');
		expect(fatal[0].message).toMatch(/Could not open the WebSocket/);
		server = await TestWsServer.start();
	});

	it('fails pending requests on close and leaves no socket or timer behind', async () => {
		session = new SocketSession({
			url: server.url,
			pingIntervalMs: 20,
			keepalive: { intervalMs: 20, frame: () => ({ type: 'k' }) },
			requestTimeoutMs: 60_000,
		});
		await session.connect();
		const pending = expect(session.request({ type: 'silence' }, () => false, { label: 'never' })).rejects.toThrow(
			'The connection was closed before the reply came',
		);
		expect(session.activeTimers).toBe(3); // ping, keepalive, request timeout
		await session.close();
		await pending;
		expect(session.activeTimers).toBe(0);
		expect(() => session!.send({})).toThrow('The connection is closed');
		await waitFor(() => server.openClients.length === 0, 1000, () => 'the server to see the close');
		// A socket or timer left behind would also keep jest from exiting, which `npm test` reports as a failure.
	});
});

describe('backoffDelay', () => {
	it('retries first within the initial delay and never beyond the cap', () => {
		for (let i = 0; i < 100; i++) expect(backoffDelay(0, DEFAULT_BACKOFF)).toBeLessThanOrEqual(200);
		expect(backoffDelay(0, DEFAULT_BACKOFF, () => 0)).toBe(100);
		expect(backoffDelay(3, DEFAULT_BACKOFF, () => 1)).toBe(1600);
		expect(backoffDelay(50, DEFAULT_BACKOFF, () => 1)).toBe(30_000);
	});
});
