import { io, type Socket } from 'socket.io-client';

import { redactText } from '../shared/redact';
import { describeConnectError, type ConnectFailure } from './connect-errors';
import { ackFailure } from './protocol';

/** Where the Socket.IO server is and what the handshake carries. */
export interface SocketConfig {
	origin: string;
	path: string;
	headers: Record<string, string>;
	query: Record<string, string>;
	auth?: Record<string, unknown>;
	rejectUnauthorized: boolean;
	transports: Array<'polling' | 'websocket'>;
}

/** socket.io-client's own reconnection: bounded attempts, exponential delay with jitter. */
export interface ReconnectPolicy {
	maxAttempts: number;
	initialDelayMs: number;
	maxDelayMs: number;
	/** 0..1: how much of each delay is random (0.5 = ±50 %). */
	jitter: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { maxAttempts: 10, initialDelayMs: 200, maxDelayMs: 30_000, jitter: 0.5 };

/**
 * A Socket.IO server ignores events that arrive together with the client's disconnect, so after an
 * unconfirmed emit the connection stays open this long before it is closed.
 */
const UNCONFIRMED_FLUSH_MS = 300;

export interface Logger {
	debug(message: string): void;
	warn(message: string): void;
}

export interface ClientOptions {
	config: SocketConfig;
	connectTimeoutMs: number;
	/** Omit to never reconnect (a dropped connection stays down). */
	reconnect?: ReconnectPolicy;
	/** Values masked in every error and log line. */
	secrets?: string[];
	/** Runs after every (re)connect, before other requests go out: join, register here. */
	onConnect?: (connection: OpenConnection, info: { reconnect: boolean }) => Promise<void> | void;
	/** Every event the server sends. */
	onEvent?: (event: string, payload: unknown) => void;
	onDisconnect?: (reason: string) => void;
	/** The client gave up: reconnects exhausted, the server closed the session, or re-joining failed. */
	onFatal?: (error: Error) => void;
	logger?: Logger;
}

export interface RequestOptions {
	/** Bounds the whole request: waiting for the connection and for the confirmation. */
	timeoutMs: number;
	/** Names the request in errors, e.g. "joinConversation". */
	label: string;
	/** Wait for a confirmation (default true); false sends and returns. */
	confirm?: boolean;
	/** Besides an acknowledgement, an incoming event this accepts confirms the request too. */
	confirmedBy?: (event: string, payload: unknown) => boolean;
}

/** The connection as `onConnect` sees it: requests go out at once, not after `onConnect`. */
export interface OpenConnection {
	request(event: string, payload: unknown, options: RequestOptions): Promise<Confirmation>;
}

export interface Confirmation {
	via: 'ack' | 'event' | 'none';
	reply?: unknown;
}

/**
 * `connect`: the connection never opened (`failure` says why); `timeout`: an event was not confirmed in time;
 * `dropped`: the connection went away; `refused`: a negative acknowledgement; `closed`: used after close.
 */
export type SocketErrorKind = 'connect' | 'timeout' | 'dropped' | 'refused' | 'closed';

export class ExpertflowSocketError extends Error {
	constructor(
		message: string,
		readonly kind: SocketErrorKind,
		readonly failure?: ConnectFailure,
	) {
		super(message);
		this.name = 'ExpertflowSocketError';
	}
}

interface Waiter {
	match: (event: string, payload: unknown) => boolean;
	done: (payload: unknown) => void;
}

/**
 * One Socket.IO connection to the Expertflow chat server. socket.io-client does the protocol,
 * heartbeats and reconnection; this adds requests confirmed by an acknowledgement or by an event
 * (bounded by a timeout), a hook that re-joins after every reconnect, and a close that leaves
 * nothing running.
 */
export class ExpertflowClient {
	private readonly socket: Socket;
	private readonly waiters = new Set<Waiter>();
	private readonly readyWaiters = new Set<{ resolve: () => void; reject: (error: Error) => void }>();
	private ready = false;
	private connectedOnce = false;
	private closed = false;
	private flushUntil = 0;

	constructor(private readonly options: ClientOptions) {
		const { config, reconnect } = options;
		this.socket = io(config.origin, {
			path: config.path,
			forceNew: true,
			autoConnect: false,
			transports: config.transports,
			extraHeaders: config.headers,
			query: config.query,
			auth: config.auth,
			rejectUnauthorized: config.rejectUnauthorized,
			timeout: options.connectTimeoutMs,
			reconnection: reconnect !== undefined,
			reconnectionAttempts: reconnect?.maxAttempts,
			reconnectionDelay: reconnect?.initialDelayMs,
			reconnectionDelayMax: reconnect?.maxDelayMs,
			randomizationFactor: reconnect?.jitter,
		});
		this.socket.onAny((event: string, payload: unknown) => this.receive(event, payload));
		this.socket.on('connect', () => this.onConnected());
		this.socket.on('disconnect', (reason) => this.onDisconnected(reason));
		this.socket.on('connect_error', (error) => this.onConnectError(error));
		this.socket.io.on('reconnect_failed', () =>
			this.fatal(
				new ExpertflowSocketError(
					`Lost the connection to the Expertflow server at ${this.target()}: gave up after ${reconnect?.maxAttempts ?? 0} reconnect attempts`,
					'connect',
				),
			),
		);
	}

	/** Opens the first connection and runs `onConnect`; rejects with a clear error, leaving nothing open. */
	async connect(): Promise<void> {
		const timeoutMs = this.options.connectTimeoutMs;
		try {
			await new Promise<void>((resolve, reject) => {
				const timer = setTimeout(
					() =>
						finish(
							new ExpertflowSocketError(
								`Could not connect to the Expertflow server at ${this.target()}: no answer within ${timeoutMs} ms`,
								'connect',
								'timeout',
							),
						),
					timeoutMs,
				);
				const onConnect = () => finish();
				const onError = (error: Error) => finish(this.connectError(error));
				const finish = (error?: Error) => {
					clearTimeout(timer);
					this.socket.off('connect', onConnect);
					this.socket.off('connect_error', onError);
					if (error) reject(error);
					else resolve();
				};
				this.socket.once('connect', onConnect);
				this.socket.on('connect_error', onError);
				this.socket.connect();
			});
			await this.options.onConnect?.(this.openConnection(), { reconnect: false });
		} catch (error) {
			await this.close();
			throw asError(error);
		}
		this.markReady();
	}

	/**
	 * Emits an event and waits (bounded) for the server's acknowledgement or a confirming event.
	 * A negative acknowledgement, a drop or the timeout rejects with an error naming the request.
	 */
	async request(event: string, payload: unknown, options: RequestOptions): Promise<Confirmation> {
		const deadline = Date.now() + options.timeoutMs;
		await this.whenReady(options);
		return await this.emitNow(event, payload, options, deadline);
	}

	private emitNow(
		event: string,
		payload: unknown,
		options: RequestOptions,
		deadline = Date.now() + options.timeoutMs,
	): Promise<Confirmation> {
		if (this.closed) return Promise.reject(new ExpertflowSocketError(`The connection is closed; ${options.label} was not sent`, 'closed'));
		if (!this.socket.connected) {
			return Promise.reject(new ExpertflowSocketError(`The connection dropped before ${options.label} was sent`, 'dropped'));
		}
		if (options.confirm === false) {
			this.socket.emit(event, payload);
			this.flushUntil = Date.now() + UNCONFIRMED_FLUSH_MS;
			return Promise.resolve({ via: 'none' });
		}
		return new Promise<Confirmation>((resolve, reject) => {
			let settled = false;
			const finish = (error: Error | undefined, confirmation?: Confirmation) => {
				if (settled) return;
				settled = true;
				if (waiter) this.waiters.delete(waiter);
				if (error) reject(error);
				else resolve(confirmation as Confirmation);
			};
			const confirmedBy = options.confirmedBy;
			const waiter: Waiter | undefined = confirmedBy
				? { match: confirmedBy, done: (reply) => finish(undefined, { via: 'event', reply }) }
				: undefined;
			if (waiter) this.waiters.add(waiter);
			const remaining = Math.max(1, deadline - Date.now());
			this.socket.timeout(remaining).emit(event, payload, (error: Error | null, reply: unknown) => {
				if (error) {
					finish(
						/disconnected/.test(error.message)
							? new ExpertflowSocketError(`The connection dropped before ${options.label} was confirmed`, 'dropped')
							: new ExpertflowSocketError(
									`No confirmation of ${options.label} within ${options.timeoutMs} ms (no acknowledgement from the server)`,
									'timeout',
								),
					);
					return;
				}
				const failure = ackFailure(reply);
				if (failure) finish(new ExpertflowSocketError(`The server refused ${options.label}: ${failure}`, 'refused'));
				else finish(undefined, { via: 'ack', reply });
			});
		});
	}

	/** Stops reconnecting, fails what is pending and closes the connection. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.ready = false;
		const flushMs = this.flushUntil - Date.now();
		if (flushMs > 0 && this.socket.connected) await new Promise((resolve) => setTimeout(resolve, flushMs));
		for (const waiter of this.readyWaiters) waiter.reject(new ExpertflowSocketError('The connection was closed', 'closed'));
		this.readyWaiters.clear();
		const engine = this.socket.io.engine;
		this.socket.disconnect();
		this.socket.removeAllListeners();
		this.socket.offAny();
		this.socket.io.removeAllListeners();
		if (engine && engine.readyState !== 'closed') {
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, 1000);
				engine.once('close', () => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	private whenReady(options: RequestOptions): Promise<void> {
		if (this.closed) return Promise.reject(new ExpertflowSocketError(`The connection is closed; ${options.label} was not sent`, 'closed'));
		if (this.ready) return Promise.resolve();
		return new Promise<void>((resolve, reject) => {
			const entry = {
				resolve: () => {
					clearTimeout(timer);
					this.readyWaiters.delete(entry);
					resolve();
				},
				reject: (error: Error) => {
					clearTimeout(timer);
					this.readyWaiters.delete(entry);
					reject(error);
				},
			};
			const timer = setTimeout(
				() =>
					entry.reject(
						new ExpertflowSocketError(
							`Not connected to the server within ${options.timeoutMs} ms; ${options.label} was not sent`,
							'connect',
							'timeout',
						),
					),
				options.timeoutMs,
			);
			this.readyWaiters.add(entry);
		});
	}

	private openConnection(): OpenConnection {
		return { request: (event, payload, options) => this.emitNow(event, payload, options) };
	}

	private markReady(): void {
		if (this.closed) return;
		this.ready = true;
		for (const waiter of [...this.readyWaiters]) waiter.resolve();
	}

	private receive(event: string, payload: unknown): void {
		for (const waiter of [...this.waiters]) {
			let matched = false;
			try {
				matched = waiter.match(event, payload);
			} catch {
				matched = false;
			}
			if (matched) waiter.done(payload);
		}
		try {
			this.options.onEvent?.(event, payload);
		} catch (error) {
			this.log('warn', `Handling the ${event} event failed: ${asError(error).message}`);
		}
	}

	private onConnected(): void {
		if (!this.connectedOnce) {
			this.connectedOnce = true;
			return;
		}
		this.log('debug', 'Reconnected');
		Promise.resolve()
			.then(() => this.options.onConnect?.(this.openConnection(), { reconnect: true }))
			.then(
				() => this.markReady(),
				(error) => this.fatal(asError(error)),
			);
	}

	private onDisconnected(reason: string): void {
		this.ready = false;
		if (this.closed) return;
		this.log('debug', `Disconnected: ${reason}`);
		this.options.onDisconnect?.(reason);
		if (reason === 'io server disconnect') {
			// socket.io-client does not reconnect after the server ends the session on purpose.
			this.fatal(new ExpertflowSocketError(`The Expertflow server at ${this.target()} closed the session`, 'dropped'));
		} else if (!this.options.reconnect) {
			this.fatal(new ExpertflowSocketError(`Lost the connection to the Expertflow server at ${this.target()} (${reason})`, 'dropped'));
		}
	}

	private onConnectError(error: Error): void {
		if (!this.connectedOnce || this.closed) return;
		const reason = this.connectError(error);
		if (this.socket.active) this.log('debug', `Reconnect attempt failed: ${reason.message}`);
		else this.fatal(reason);
	}

	private fatal(error: Error): void {
		if (this.closed) return;
		void this.close().then(() => this.options.onFatal?.(error));
	}

	private connectError(error: Error): ExpertflowSocketError {
		const problem = describeConnectError(error);
		return new ExpertflowSocketError(
			`Could not connect to the Expertflow server at ${this.target()}: ${this.redact(problem.text)}`,
			'connect',
			problem.cause,
		);
	}

	private target(): string {
		return `${this.options.config.origin}${this.options.config.path}`;
	}

	private redact(text: string): string {
		return redactText(text, this.options.secrets ?? []);
	}

	private log(level: keyof Logger, message: string): void {
		this.options.logger?.[level](this.redact(message));
	}
}

function asError(error: unknown): Error {
	return error instanceof Error ? error : new Error(String(error));
}
