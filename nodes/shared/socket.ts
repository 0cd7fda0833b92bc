import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';

import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { redactText } from './redact';

export interface SocketLogger {
	debug(message: string): void;
	warn(message: string): void;
}

/** Direct access to the socket while `onOpen` runs (before queued frames are flushed). */
export interface OpenSocket {
	send(frame: unknown): void;
	request<T = unknown>(frame: unknown, match: ReplyMatcher, options?: RequestOptions): Promise<T>;
}

export type ReplyMatcher = (message: unknown) => boolean;

export interface RequestOptions {
	/** Overrides the session's request timeout. */
	timeoutMs?: number;
	/** Names the request in errors, e.g. the route. */
	label?: string;
}

export interface SocketSessionOptions {
	/** Where to connect; a function is called anew for every (re)connect. */
	url: string | (() => string | Promise<string>);
	headers?: Record<string, string>;
	/** Values masked in every error and log line (tokens in the URL). */
	secrets?: Array<string | undefined>;
	backoff?: Partial<BackoffOptions>;
	/** Reconnect after an unexpected close (default true). */
	reconnect?: boolean;
	/** Consecutive failed reconnects before giving up with `onFatal` (default: never give up). */
	maxReconnectAttempts?: number;
	handshakeTimeoutMs?: number;
	/** Protocol ping interval; a ping left without pong by the next one drops the connection. 0 disables. */
	pingIntervalMs?: number;
	/** Application-level keepalive frame, sent every `intervalMs` while open. */
	keepalive?: { intervalMs: number; frame: () => unknown };
	requestTimeoutMs?: number;
	/** Frames kept while disconnected; one more is an error. */
	maxQueuedFrames?: number;
	/** Frames larger than this are refused before sending. */
	maxFrameBytes?: number;
	/**
	 * Messages longer than this many bytes go out as several WebSocket frames of at most this size
	 * (continuation frames), for servers that limit the frame rather than the message (AWS API Gateway: 32 KB).
	 */
	maxFragmentBytes?: number;
	rejectUnauthorized?: boolean;
	/** Runs after every open, before queued frames are sent: subscribe, join, register here. */
	onOpen?: (socket: OpenSocket, info: { reconnect: boolean }) => Promise<void> | void;
	/** Every parsed frame that is not the reply to a pending request. */
	onMessage?: (message: unknown) => void;
	/** A frame that could not be parsed; it is skipped. */
	onMalformed?: (raw: string, error: Error) => void;
	onDisconnect?: (info: { code: number; reason: string }) => void;
	/** The session gave up (refused credentials, or `maxReconnectAttempts` exceeded). */
	onFatal?: (error: Error) => void;
	logger?: SocketLogger;
	/** Turns a text frame into a message (default JSON.parse). */
	parse?: (raw: string) => unknown;
}

/** What the server answered instead of switching protocols: status line, error type header, body excerpt. */
export interface UpgradeAnswer {
	status: number;
	statusText: string;
	/** `x-amzn-errortype` and the like, where the server sends one. */
	errorType?: string;
	/** The body's `message` (or `Message`) if it is JSON with one, else its first characters; secrets masked. */
	message?: string;
}

export class SocketError extends Error {
	constructor(
		message: string,
		readonly fatal = false,
		readonly httpStatus?: number,
		readonly upgradeAnswer?: UpgradeAnswer,
	) {
		super(message);
		this.name = 'SocketError';
	}
}

interface PendingRequest {
	match: ReplyMatcher;
	label: string;
	resolve: (message: unknown) => void;
	reject: (error: Error) => void;
	timer: NodeJS.Timeout;
}

type State = 'idle' | 'connecting' | 'opening' | 'open' | 'waiting' | 'closed';

const FATAL_UPGRADE_STATUS = new Set([401, 403]);

/**
 * A WebSocket that stays up: reconnects with jittered backoff, re-subscribes through `onOpen`,
 * keeps the line alive, correlates replies with requests, queues frames while disconnected
 * (bounded), and leaves no socket or timer behind after `close()`.
 */
export class SocketSession {
	readonly stats = { connects: 0, reconnects: 0, drops: 0, malformed: 0 };

	private readonly options: SocketSessionOptions;
	private readonly backoff: BackoffOptions;
	private state: State = 'idle';
	private ws?: WebSocket;
	private readonly queue: string[] = [];
	private pending: PendingRequest[] = [];
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly intervals = new Set<NodeJS.Timeout>();
	private attempt = 0;
	private hasConnected = false;

	constructor(options: SocketSessionOptions) {
		this.options = options;
		this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
	}

	get isOpen(): boolean {
		return this.state === 'open';
	}

	get queuedFrames(): number {
		return this.queue.length;
	}

	/** Timers and intervals the session holds (reconnect, request timeouts, pings, keepalive). */
	get activeTimers(): number {
		return this.timers.size + this.intervals.size;
	}

	/** Opens the first connection; rejects with a clear error if it cannot be made. */
	async connect(): Promise<void> {
		if (this.state !== 'idle') throw new SocketError('The session was already started');
		try {
			await this.open();
		} catch (error) {
			await this.close();
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- transport layer without a node: the node that called it wraps the error
			throw error;
		}
	}

	/** Sends now when open, otherwise queues (bounded) until the next open. */
	send(frame: unknown): void {
		const text = this.serialize(frame);
		if (this.state === 'open') {
			this.transmit(text);
			return;
		}
		if (this.state === 'closed') throw new SocketError('The connection is closed; the frame was not sent');
		const limit = this.options.maxQueuedFrames ?? 1000;
		if (this.queue.length >= limit) {
			throw new SocketError(`Send queue is full (${limit} frames waiting for the connection); the frame was not sent`);
		}
		this.queue.push(text);
	}

	/**
	 * Sends now if the socket is connected, even while `onOpen` is still subscribing, ahead of the queue:
	 * for keepalive answers, which a server may demand at any moment. False (and nothing kept) when not
	 * connected: an answer for a connection that is gone has no use.
	 */
	sendAtOnce(frame: unknown): boolean {
		if (this.state !== 'opening' && this.state !== 'open') return false;
		try {
			this.transmit(this.serialize(frame));
			return true;
		} catch (error) {
			this.log('debug', `Frame not sent at once: ${error instanceof Error ? error.message : String(error)}`);
			return false;
		}
	}

	/** Sends a frame and resolves with the first incoming message `match` accepts, or fails on timeout. */
	request<T = unknown>(frame: unknown, match: ReplyMatcher, options: RequestOptions = {}): Promise<T> {
		return this.track<T>(match, options, () => this.send(frame));
	}

	/** Stops reconnecting, fails pending requests, closes the socket and clears every timer. */
	async close(): Promise<void> {
		if (this.state === 'closed') return;
		this.state = 'closed';
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		for (const interval of this.intervals) clearInterval(interval);
		this.intervals.clear();
		this.failPending(new SocketError('The connection was closed before the reply came'));
		if (this.queue.length > 0) {
			this.log('warn', `${this.queue.length} queued frame(s) were not sent before close`);
			this.queue.length = 0;
		}
		const ws = this.ws;
		this.ws = undefined;
		if (ws) await closeSocket(ws);
	}

	private async open(): Promise<void> {
		this.state = 'connecting';
		const url = typeof this.options.url === 'function' ? await this.options.url() : this.options.url;
		if (this.isClosed()) return;
		const ws = new WebSocket(url, {
			headers: this.options.headers,
			handshakeTimeout: this.options.handshakeTimeoutMs ?? 10_000,
			rejectUnauthorized: this.options.rejectUnauthorized ?? true,
		});
		this.ws = ws;
		await new Promise<void>((resolve, reject) => {
			let settled = false;
			const fail = (error: SocketError) => {
				if (settled) return;
				settled = true;
				ws.removeListener('open', onOpen);
				ws.on('error', () => undefined);
				ws.terminate();
				reject(error);
			};
			const onError = (error: Error) => fail(this.upgradeError(error));
			const onOpen = () => {
				settled = true;
				ws.removeListener('error', onError);
				resolve();
			};
			ws.on('error', onError);
			ws.once('open', onOpen);
			// With this listener ws leaves the refused request to us: read what the server said, then abort.
			ws.once('unexpected-response', (request, response) => {
				void readUpgradeAnswer(response, this.options.secrets ?? []).then((answer) => {
					request.destroy();
					fail(this.refusedUpgrade(answer));
				});
			});
		});
		if (this.isClosed()) {
			await closeSocket(ws);
			return;
		}
		this.attach(ws);
		this.state = 'opening';
		try {
			await this.options.onOpen?.(this.openSocket(), { reconnect: this.hasConnected });
		} catch (error) {
			this.ws = undefined;
			ws.terminate();
			// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- transport layer without a node: the node that called it wraps the error
			throw error;
		}
		if (this.isClosed()) return;
		this.state = 'open';
		this.stats.connects++;
		if (this.hasConnected) this.stats.reconnects++;
		this.hasConnected = true;
		this.attempt = 0;
		this.flushQueue();
	}

	private attach(ws: WebSocket): void {
		let alive = true;
		const pingMs = this.options.pingIntervalMs ?? 30_000;
		const intervals: NodeJS.Timeout[] = [];
		if (pingMs > 0) {
			intervals.push(
				setInterval(() => {
					if (!alive) {
						this.log('debug', 'No pong within the ping interval: dropping the connection');
						ws.terminate();
						return;
					}
					alive = false;
					ws.ping();
				}, pingMs),
			);
		}
		const keepalive = this.options.keepalive;
		if (keepalive) {
			intervals.push(
				setInterval(() => {
					if (this.state === 'open') this.trySend(keepalive.frame());
				}, keepalive.intervalMs),
			);
		}
		ws.on('pong', () => (alive = true));
		ws.on('message', (data: WebSocket.RawData) => this.receive(rawToString(data)));
		ws.on('error', (error) => this.log('debug', `Socket error: ${error.message}`));
		intervals.forEach((interval) => this.intervals.add(interval));
		ws.once('close', (code: number, reason: Buffer) => {
			intervals.forEach((interval) => {
				clearInterval(interval);
				this.intervals.delete(interval);
			});
			if (this.ws !== ws) return;
			this.ws = undefined;
			this.onDropped(code, reason.toString());
		});
	}

	private onDropped(code: number, reason: string): void {
		if (this.isClosed()) return;
		this.stats.drops++;
		this.failPending(new SocketError(`The connection dropped (code ${code}) before the reply came`), true);
		this.options.onDisconnect?.({ code, reason });
		if (this.options.reconnect === false) {
			this.fatal(new SocketError(`The connection closed (code ${code}${reason ? `: ${reason}` : ''})`));
			return;
		}
		this.scheduleReconnect();
	}

	private scheduleReconnect(): void {
		if (this.isClosed()) return;
		this.state = 'waiting';
		const delay = backoffDelay(this.attempt, this.backoff);
		this.attempt++;
		this.later(delay, () => {
			this.open().catch((error: Error) => {
				if (this.isClosed()) return;
				const max = this.options.maxReconnectAttempts ?? Infinity;
				if ((error instanceof SocketError && error.fatal) || this.attempt >= max) {
					this.fatal(error);
					return;
				}
				this.log('debug', `Reconnect attempt ${this.attempt} failed: ${error.message}`);
				this.scheduleReconnect();
			});
		});
	}

	private fatal(error: Error): void {
		void this.close().then(() => this.options.onFatal?.(error));
	}

	private receive(raw: string): void {
		let message: unknown;
		try {
			message = (this.options.parse ?? JSON.parse)(raw);
		} catch (error) {
			this.stats.malformed++;
			const reason = error instanceof Error ? error : new Error(String(error));
			if (this.options.onMalformed) this.options.onMalformed(raw, reason);
			else this.log('warn', `Skipped a malformed frame: ${reason.message}`);
			return;
		}
		const index = this.pending.findIndex((entry) => safeMatch(entry.match, message));
		if (index >= 0) {
			const [entry] = this.pending.splice(index, 1);
			this.clearTimer(entry.timer);
			entry.resolve(message);
			return;
		}
		try {
			this.options.onMessage?.(message);
		} catch (error) {
			this.log('warn', `Handling a frame failed: ${error instanceof Error ? error.message : String(error)}`);
		}
	}

	private track<T>(match: ReplyMatcher, options: RequestOptions, sendFrame: () => void): Promise<T> {
		const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs ?? 30_000;
		const label = options.label ?? 'the request';
		return new Promise<T>((resolve, reject) => {
			const entry: PendingRequest = {
				match,
				label,
				resolve: resolve as (message: unknown) => void,
				reject,
				timer: this.later(timeoutMs, () => {
					this.pending = this.pending.filter((candidate) => candidate !== entry);
					reject(new SocketError(`No reply to ${label} within ${timeoutMs} ms`));
				}),
			};
			this.pending.push(entry);
			try {
				sendFrame();
			} catch (error) {
				this.pending = this.pending.filter((candidate) => candidate !== entry);
				this.clearTimer(entry.timer);
				reject(error);
			}
		});
	}

	private openSocket(): OpenSocket {
		return {
			send: (frame) => this.transmit(this.serialize(frame)),
			request: <T>(frame: unknown, match: ReplyMatcher, options: RequestOptions = {}) =>
				this.track<T>(match, options, () => this.transmit(this.serialize(frame))),
		};
	}

	private flushQueue(): void {
		while (this.queue.length > 0 && this.state === 'open') this.transmit(this.queue.shift() as string);
	}

	private transmit(text: string): void {
		const ws = this.ws;
		if (!ws || ws.readyState !== WebSocket.OPEN) throw new SocketError('The connection is not open; the frame was not sent');
		const fragment = this.options.maxFragmentBytes;
		if (!fragment || Buffer.byteLength(text) <= fragment) {
			ws.send(text);
			return;
		}
		// Sent in one synchronous loop, so no other frame can come between the fragments.
		const bytes = Buffer.from(text);
		for (let start = 0; start < bytes.length; start += fragment) {
			ws.send(bytes.subarray(start, start + fragment), { binary: false, fin: start + fragment >= bytes.length });
		}
	}

	private trySend(frame: unknown): void {
		try {
			this.transmit(this.serialize(frame));
		} catch (error) {
			this.log('debug', `Keepalive not sent: ${error instanceof Error ? error.message : String(error)}`);
		}
	}

	private serialize(frame: unknown): string {
		const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
		const limit = this.options.maxFrameBytes;
		if (limit !== undefined) {
			const size = Buffer.byteLength(text);
			if (size > limit) {
				throw new SocketError(`The frame is ${size} bytes, over the limit of ${limit} bytes; it was not sent`);
			}
		}
		return text;
	}

	private failPending(error: SocketError, onlyAfterDrop = false): void {
		const failing = this.pending;
		this.pending = [];
		for (const entry of failing) {
			this.clearTimer(entry.timer);
			entry.reject(onlyAfterDrop ? new SocketError(`${error.message} (${entry.label})`) : error);
		}
	}

	private upgradeError(error: Error): SocketError {
		const message = redactText(error.message, this.options.secrets ?? []);
		const status = /Unexpected server response: (\d{3})/.exec(message);
		if (status) return this.refusedUpgrade({ status: Number(status[1]), statusText: '' });
		return new SocketError(`Could not open the WebSocket: ${describeNetworkError(error as NodeJS.ErrnoException, message)}`);
	}

	private refusedUpgrade(answer: UpgradeAnswer): SocketError {
		const code = answer.status;
		const hint = code === 401 ? ' (the credentials were refused)' : code === 403 ? ' (forbidden)' : '';
		return new SocketError(`WebSocket upgrade refused with HTTP ${code}${hint}`, FATAL_UPGRADE_STATUS.has(code), code, answer);
	}

	private later(ms: number, run: () => void): NodeJS.Timeout {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			run();
		}, ms);
		this.timers.add(timer);
		return timer;
	}

	private clearTimer(timer: NodeJS.Timeout): void {
		clearTimeout(timer);
		this.timers.delete(timer);
	}

	private isClosed(): boolean {
		return this.state === 'closed';
	}

	private log(level: keyof SocketLogger, message: string): void {
		this.options.logger?.[level](redactText(message, this.options.secrets ?? []));
	}
}

const NETWORK_ERRORS: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused (is the server running?)',
	ECONNRESET: 'the connection was reset',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be resolved',
	ETIMEDOUT: 'the connection timed out',
	EHOSTUNREACH: 'the host is unreachable',
};

/** Plain words for network failures (n8n would otherwise replace messages naming error codes). */
export function describeNetworkError(error: NodeJS.ErrnoException, fallback: string): string {
	return (error.code && NETWORK_ERRORS[error.code]) ?? fallback;
}

const UPGRADE_ANSWER_BYTES = 2048;
const UPGRADE_ANSWER_WAIT_MS = 1000;

/** Reads the start of a refused upgrade's answer (at most 2 KB, at most a second). */
function readUpgradeAnswer(response: IncomingMessage, secrets: Array<string | undefined>): Promise<UpgradeAnswer> {
	return new Promise((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let finished = false;
		const done = () => {
			if (finished) return;
			finished = true;
			clearTimeout(timer);
			response.removeAllListeners('data');
			const text = redactText(Buffer.concat(chunks).toString('utf8').slice(0, UPGRADE_ANSWER_BYTES), secrets);
			const errorType = response.headers['x-amzn-errortype'];
			resolve({
				status: response.statusCode ?? 0,
				statusText: response.statusMessage ?? '',
				errorType: typeof errorType === 'string' ? errorType.split(':')[0] : undefined,
				message: answerMessage(text),
			});
		};
		const timer = setTimeout(done, UPGRADE_ANSWER_WAIT_MS);
		response.on('data', (chunk: Buffer) => {
			chunks.push(chunk);
			size += chunk.length;
			if (size >= UPGRADE_ANSWER_BYTES) done();
		});
		response.once('end', done);
		response.once('error', done);
	});
}

function answerMessage(text: string): string | undefined {
	const trimmed = text.trim();
	if (trimmed === '') return undefined;
	try {
		const body = JSON.parse(trimmed) as { message?: unknown; Message?: unknown };
		const message = body?.message ?? body?.Message;
		if (typeof message === 'string') return message;
	} catch {
		// not JSON: the text itself
	}
	return trimmed.slice(0, 200);
}

function safeMatch(match: ReplyMatcher, message: unknown): boolean {
	try {
		return match(message);
	} catch {
		return false;
	}
}

function rawToString(data: WebSocket.RawData): string {
	if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
	if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
	return data.toString('utf8');
}

/** Closes politely, and forcibly if the peer does not finish the close handshake within a second. */
function closeSocket(ws: WebSocket): Promise<void> {
	return new Promise((resolve) => {
		if (ws.readyState === WebSocket.CLOSED) return resolve();
		const timer = setTimeout(() => ws.terminate(), 1000);
		ws.once('close', () => {
			clearTimeout(timer);
			resolve();
		});
		ws.on('error', () => undefined);
		if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
		else ws.close(1000);
	});
}
