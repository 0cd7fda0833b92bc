import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * The ServiceMind concierge API as the tenant side sees it, behaving like AWS API Gateway:
 * `?Auth=<token>&deviceId=<id>` checked on upgrade (401 otherwise), request frames
 * `{action: "api", data: {route, body}}` answered `{channel: <route>, status, body}`, pushed frames
 * `chat-message-<id>`, `chat-session-update-<id>`, `chat-message-delete` under `payload` (or `body`),
 * an idle timeout and a maximum connection time (closing with 1001), 1009 for a frame over 32 KB or a
 * message over 128 KB. Plus the REST route that hands out upload URLs and the "S3" target they point to.
 */

export interface ConciergeEmulatorOptions {
	/** Access token -> tenant id. */
	tokens?: Record<string, string>;
	/** Closes a connection that sent nothing for this long (API Gateway: 10 min). */
	idleTimeoutMs?: number;
	/** Closes every connection this long after it opened (API Gateway: 2 h). */
	maxConnectionMs?: number;
	maxFrameBytes?: number;
	maxMessageBytes?: number;
	/** Where pushed frames carry their data. */
	pushKey?: 'payload' | 'body';
	/** Who hears a session's events: connections that started/resumed it, or every connection of its tenant. */
	pushScope?: 'session' | 'tenant';
	/** get-chat-messages order. */
	messageOrder?: 'asc' | 'desc';
	/** Largest page get-chat-messages hands out, whatever limit is asked for. */
	maxPageSize?: number;
	/**
	 * How the gateway's authorizer refuses a token: 401 `Unauthorized`, or 403 with an explicit deny (as a
	 * Lambda authorizer's Deny policy does). A stage that does not exist is a bare 403 `Forbidden` either way.
	 */
	tokenRefusal?: 'unauthorized' | 'denied';
	/** The REST server expects the token in this header ... */
	restAuthHeader?: string;
	/** ... as `Bearer <token>` (true) or as it is (false). */
	restAuthBearer?: boolean;
}

export interface EmulatedMessage {
	id: string;
	orgId: string;
	chatSessionId: string;
	senderEntityType: 'TENANT' | 'BACKEND_USER';
	senderEntityId: string;
	messageContent: string;
	sentAt: string;
	status: number;
	seenAt: string | null;
	deliveredAt: string;
	contentType: string;
	metadata: unknown;
}

export interface EmulatedSession {
	id: string;
	orgId: string;
	chatSessionId: string;
	chatInitiatedByEntityType: 'TENANT';
	chatInitiatedByEntityId: string;
	lastPingedByChatInitiator: string;
	chatJoinedByEntityType: 'BACKEND_USER' | null;
	chatJoinedByEntityId: string | null;
	lastPingedByChatJoiner: string | null;
	isSessionClosed: boolean;
}

interface Connection {
	connectionId: string;
	ws: WebSocket;
	tenantId: string;
	deviceId: string;
	openedAt: number;
	/** When the client last sent a message (the idle timer counts from here). */
	lastActivity: number;
	sessions: Set<string>;
	idleTimer?: NodeJS.Timeout;
	maxTimer?: NodeJS.Timeout;
}

export interface ReceivedFrame {
	connectionId: string;
	route: string;
	body: Record<string, unknown>;
}

export interface RestCall {
	method: string;
	path: string;
	headers: IncomingMessage['headers'];
	body: Buffer;
}

/** Why the emulator closed a connection: idle timeout, maximum connection time, frame or message too big, or a test. */
export type CloseCause = 'idle' | 'max-duration' | 'frame-too-big' | 'test';

interface Reply {
	status: number;
	body: unknown;
}

type Handler = (connection: Connection, body: Record<string, unknown>, query: URLSearchParams) => Reply;

const ORG_ID = '367';
const STAGE = '/uat';
const REST_PREFIX = '/api';

export class ConciergeEmulator {
	readonly received: ReceivedFrame[] = [];
	readonly restCalls: RestCall[] = [];
	readonly uploads = new Map<string, { bytes: Buffer; contentType: string }>();
	/** Connections the emulator closed itself, with the code it used. */
	readonly serverCloses: Array<{ connectionId: string; code: number; cause: CloseCause }> = [];
	/** Upgrade requests (the URL as sent, token included), refused ones too. */
	readonly upgrades: string[] = [];
	readonly sessions = new Map<string, EmulatedSession & { tenantId: string }>();
	readonly messages: EmulatedMessage[] = [];
	connectionsOpened = 0;

	private readonly connections = new Map<string, Connection>();
	private readonly deleted = new Set<string>();
	private readonly silent = new Set<string>();
	private readonly failures = new Map<string, Reply>();
	private readonly interceptors = new Map<string, (send: (text: string) => void) => void>();
	private readonly restFailures = new Map<string, Reply>();
	private readonly pendingUploads = new Map<string, { signature: string; contentType: string }>();
	private readonly options: Required<ConciergeEmulatorOptions>;
	private messageSeq = 0;
	private sessionSeq = 100;
	private lastNow = 0;
	private frozenAt?: number;
	private stalled = false;
	private readonly stalledSockets = new Set<Duplex>();

	private constructor(
		private readonly server: Server,
		private readonly wss: WebSocketServer,
		options: ConciergeEmulatorOptions,
	) {
		this.options = {
			tokens: { 'tenant-token-34': '34', 'tenant-token-35': '35' },
			idleTimeoutMs: 600_000,
			maxConnectionMs: 7_200_000,
			maxFrameBytes: 32 * 1024,
			maxMessageBytes: 128 * 1024,
			pushKey: 'payload',
			pushScope: 'session',
			messageOrder: 'asc',
			maxPageSize: 100,
			restAuthHeader: 'authorization',
			restAuthBearer: true,
			tokenRefusal: 'unauthorized',
			...options,
		};
	}

	static async start(options: ConciergeEmulatorOptions = {}): Promise<ConciergeEmulator> {
		const server = createServer();
		const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 128 * 1024 });
		const emulator = new ConciergeEmulator(server, wss, options);
		server.on('request', (req, res) => emulator.onHttp(req, res));
		server.on('upgrade', (req, socket, head) => emulator.onUpgrade(req, socket, head));
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return emulator;
	}

	get origin(): string {
		return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	/** The credential's WebSocket URL. */
	get socketOrigin(): string {
		return `ws://${this.origin}${STAGE}`;
	}

	/** The credential's Server URL. */
	get serverUrl(): string {
		return `http://${this.origin}${REST_PREFIX}`;
	}

	get openConnections(): number {
		return [...this.connections.values()].filter((connection) => connection.ws.readyState === WebSocket.OPEN).length;
	}

	/** The open connections, for failure messages: id, age and the routes each one called. */
	describeOpenConnections(): string {
		const open = [...this.connections.values()].filter((connection) => connection.ws.readyState === WebSocket.OPEN);
		return open
			.map((connection) => {
				const routes = this.received.filter((frame) => frame.connectionId === connection.connectionId).map((frame) => frame.route);
				return `${connection.connectionId} (${Date.now() - connection.openedAt} ms old, device ${connection.deviceId}): ${routes.join(', ') || 'no frames'}`;
			})
			.join('; ');
	}

	/** Frames received for a route (path without query). */
	frames(route: string): ReceivedFrame[] {
		return this.received.filter((frame) => frame.route.split('?')[0] === route);
	}

	/** Changes limits while running; open connections get the new idle timeout and maximum age at once. */
	configure(options: Partial<Pick<ConciergeEmulatorOptions, 'idleTimeoutMs' | 'maxConnectionMs' | 'pushKey' | 'pushScope'>>): void {
		Object.assign(this.options, options);
		for (const connection of this.connections.values()) this.armTimers(connection);
	}

	/** Requests to this route get no reply at all. */
	silence(route: string): void {
		this.silent.add(route);
	}

	/** The next request to this route is answered with this status and body. */
	failNext(route: string, status: number, body: unknown): void {
		this.failures.set(route, { status, body });
	}

	/** Runs before each reply to this route, with a way to send raw frames first (noise, pushes). */
	beforeReply(route: string, action: (send: (text: string) => void) => void): void {
		this.interceptors.set(route, action);
	}

	/** The next REST call to this path (e.g. `/file-new/get-upload-url`) is answered with this status and body. */
	failNextRest(path: string, status: number, body: unknown): void {
		this.restFailures.set(path, { status, body });
	}

	// ---- the concierge's side -------------------------------------------------------------

	/** A session as if the tenant's app had started it. */
	createSession(tenantId = '34'): EmulatedSession {
		const session = {
			id: String(++this.sessionSeq),
			orgId: ORG_ID,
			chatSessionId: randomUUID(),
			chatInitiatedByEntityType: 'TENANT' as const,
			chatInitiatedByEntityId: tenantId,
			lastPingedByChatInitiator: String(this.now()),
			chatJoinedByEntityType: null,
			chatJoinedByEntityId: null,
			lastPingedByChatJoiner: null,
			isSessionClosed: false,
			tenantId,
		};
		this.sessions.set(session.chatSessionId, session);
		return this.publicSession(session);
	}

	/** A concierge writes in a session; the frame goes to whoever hears the session. */
	conciergeSend(
		chatSessionId: string,
		messageContent: string,
		options: { contentType?: string; agentId?: string; metadata?: unknown } = {},
	): EmulatedMessage {
		const session = this.requireSession(chatSessionId);
		session.lastPingedByChatJoiner = String(this.now());
		return this.addMessage(session, 'BACKEND_USER', options.agentId ?? '32314', messageContent, options.contentType ?? 'TEXT', options.metadata ?? null);
	}

	/** The tenant writes from another device (its app). */
	tenantSend(chatSessionId: string, messageContent: string): EmulatedMessage {
		const session = this.requireSession(chatSessionId);
		return this.addMessage(session, 'TENANT', session.tenantId, messageContent, 'TEXT', null);
	}

	conciergeJoin(chatSessionId: string, agentId = '32314'): void {
		const session = this.requireSession(chatSessionId);
		session.chatJoinedByEntityType = 'BACKEND_USER';
		session.chatJoinedByEntityId = agentId;
		session.lastPingedByChatJoiner = String(this.now());
		this.pushSessionUpdate(session);
	}

	conciergeEnd(chatSessionId: string): void {
		const session = this.requireSession(chatSessionId);
		session.isSessionClosed = true;
		this.pushSessionUpdate(session);
	}

	/** Unsends a message (either side); every listener of the session hears `chat-message-delete`. */
	unsend(messageId: string): void {
		const message = this.messages.find((candidate) => candidate.id === messageId);
		if (!message) throw new Error(`No message ${messageId}`);
		this.deleted.add(messageId);
		this.push(this.requireSession(message.chatSessionId), DELETE_CHANNEL, { messageId: Number(messageId) });
	}

	/** Messages of a session that were not unsent, oldest first. */
	messagesOf(chatSessionId: string): EmulatedMessage[] {
		return this.messages.filter((message) => message.chatSessionId === chatSessionId && !this.deleted.has(message.id));
	}

	/** Upgrade requests get no answer at all (a gateway or proxy that hangs), until `resumeUpgrades`. */
	stallUpgrades(): void {
		this.stalled = true;
	}

	resumeUpgrades(): void {
		this.stalled = false;
		for (const socket of this.stalledSockets) socket.destroy();
		this.stalledSockets.clear();
	}

	/** The token is no longer accepted (new connections are refused with 401). */
	revoke(token: string): void {
		delete this.options.tokens[token];
	}

	/** Sends a text frame as it is to every open connection. */
	pushRaw(text: string): void {
		for (const connection of this.connections.values()) connection.ws.send(text);
	}

	/** Cuts every connection without a close frame, as a network failure would. */
	dropAll(): void {
		for (const connection of this.connections.values()) connection.ws.terminate();
	}

	/** Closes every connection as the gateway does (default 1001 Going Away). */
	closeAll(code = 1001): void {
		for (const connection of this.connections.values()) this.closeConnection(connection, code, 'test');
	}

	async close(): Promise<void> {
		this.resumeUpgrades();
		this.dropAll();
		for (const connection of this.connections.values()) this.clearTimers(connection);
		await new Promise<void>((resolve) => this.wss.close(() => resolve()));
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	// ---- WebSocket ------------------------------------------------------------------------

	private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		this.upgrades.push(req.url ?? '');
		const url = new URL(req.url ?? '/', 'http://emulator');
		const tenantId = this.options.tokens[url.searchParams.get('Auth') ?? ''];
		const deviceId = url.searchParams.get('deviceId') ?? '';
		if (this.stalled) {
			this.stalledSockets.add(socket);
			return;
		}
		if (url.pathname !== STAGE) return refuse(socket, 403, 'Forbidden', 'ForbiddenException', { message: 'Forbidden' });
		if (!tenantId || deviceId === '') {
			if (this.options.tokenRefusal === 'denied') {
				return refuse(socket, 403, 'Forbidden', 'AccessDeniedException', {
					Message: 'User is not authorized to access this resource with an explicit deny',
				});
			}
			return refuse(socket, 401, 'Unauthorized', 'UnauthorizedException', { message: 'Unauthorized' });
		}
		this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, socket, tenantId, deviceId));
	}

	private onConnection(ws: WebSocket, socket: Duplex, tenantId: string, deviceId: string): void {
		this.connectionsOpened++;
		const connection: Connection = {
			connectionId: randomBytes(10).toString('base64'),
			ws,
			tenantId,
			deviceId,
			openedAt: Date.now(),
			lastActivity: Date.now(),
			sessions: new Set(),
		};
		this.connections.set(connection.connectionId, connection);
		watchFrameSizes(socket, this.options.maxFrameBytes, () => this.closeConnection(connection, 1009, 'frame-too-big'));
		this.armTimers(connection);
		ws.on('message', (data) => {
			connection.lastActivity = Date.now();
			this.armTimers(connection);
			this.onFrame(connection, data.toString());
		});
		ws.on('error', () => undefined);
		ws.on('close', () => {
			this.clearTimers(connection);
			this.connections.delete(connection.connectionId);
		});
	}

	/** The idle timer restarts with every message from the client; the maximum age counts from the open. */
	private armTimers(connection: Connection): void {
		this.clearTimers(connection);
		const now = Date.now();
		const idleLeft = connection.lastActivity + this.options.idleTimeoutMs - now;
		const ageLeft = connection.openedAt + this.options.maxConnectionMs - now;
		connection.idleTimer = setTimeout(() => this.closeConnection(connection, 1001, 'idle'), Math.max(0, idleLeft));
		connection.maxTimer = setTimeout(() => this.closeConnection(connection, 1001, 'max-duration'), Math.max(0, ageLeft));
	}

	private closeConnection(connection: Connection, code: number, cause: CloseCause): void {
		if (connection.ws.readyState !== WebSocket.OPEN) return;
		this.serverCloses.push({ connectionId: connection.connectionId, code, cause });
		this.clearTimers(connection);
		connection.ws.close(code, code === 1009 ? 'Message too big' : 'Going away');
		// The gateway does not wait for the client's close frame.
		setTimeout(() => connection.ws.terminate(), 50).unref();
	}

	private clearTimers(connection: Connection): void {
		clearTimeout(connection.idleTimer);
		clearTimeout(connection.maxTimer);
	}

	private onFrame(connection: Connection, text: string): void {
		let frame: { action?: unknown; data?: { route?: unknown; body?: unknown } };
		try {
			frame = JSON.parse(text) as typeof frame;
		} catch {
			frame = {};
		}
		const route = frame?.data?.route;
		if (frame?.action !== 'api' || typeof route !== 'string') {
			// No route selected and no $default route: what API Gateway answers.
			connection.ws.send(JSON.stringify({ message: 'Forbidden', connectionId: connection.connectionId, requestId: randomUUID() }));
			return;
		}
		const body = isObject(frame.data?.body) ? (frame.data?.body as Record<string, unknown>) : {};
		this.received.push({ connectionId: connection.connectionId, route, body });
		const [path, query = ''] = route.split('?');
		if (this.silent.has(path)) return;
		this.interceptors.get(path)?.((text) => connection.ws.send(text));
		const failure = this.failures.get(path);
		if (failure) this.failures.delete(path);
		const handler = this.handlers[path];
		const reply = failure ?? (handler ? handler(connection, body, new URLSearchParams(query)) : { status: 404, body: { message: `Route ${path} not found` } });
		connection.ws.send(JSON.stringify({ channel: route, status: reply.status, body: reply.body }));
	}

	private readonly handlers: Record<string, Handler> = {
		'client/init-chat-with-concierge': (connection, body) => {
			let session: (EmulatedSession & { tenantId: string }) | undefined;
			if (body.newSession === true) {
				session = this.sessions.get(this.createSession(connection.tenantId).chatSessionId);
			} else {
				const found = this.sessionFor(connection, body.chatSessionId);
				if ('status' in found) return found;
				session = found;
				if (session.isSessionClosed) return { status: 400, body: { message: 'Chat session is closed' } };
				session.lastPingedByChatInitiator = String(this.now());
			}
			if (!session) return { status: 500, body: { message: 'Internal server error' } };
			connection.sessions.add(session.chatSessionId);
			return ok(this.sessionReply(connection, session, true));
		},
		'client/get-chat-session': (connection, body) => {
			const found = this.sessionFor(connection, body.chatSessionId);
			return 'status' in found ? found : ok(this.sessionReply(connection, found, false));
		},
		'client/ping-on-chat-session': (connection, body) => {
			const found = this.sessionFor(connection, body.chatSessionId);
			if ('status' in found) return found;
			if (found.isSessionClosed) return { status: 400, body: { message: 'Chat session is closed' } };
			found.lastPingedByChatInitiator = String(this.now());
			return ok(this.sessionReply(connection, found, false));
		},
		'client/end-chat-with-concierge': (connection, body) => {
			const found = this.sessionFor(connection, body.chatSessionId);
			if ('status' in found) return found;
			if (found.isSessionClosed) return { status: 400, body: { message: 'Chat session is already closed' } };
			found.isSessionClosed = true;
			this.pushSessionUpdate(found);
			return ok({ chatSessionId: found.chatSessionId, chatSession: this.publicSession(found) });
		},
		'client/get-chat-messages': (connection, body, query) => {
			const found = this.sessionFor(connection, body.chatSessionId);
			if ('status' in found) return found;
			const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
			const limit = Math.min(this.options.maxPageSize, Math.max(1, Number(query.get('limit') ?? 20) || 20));
			const all = this.messagesOf(found.chatSessionId);
			if (this.options.messageOrder === 'desc') all.reverse();
			const offset = (page - 1) * limit;
			return ok({ messages: all.slice(offset, offset + limit), paginate: { per_page: limit, offset, page } });
		},
		'client/send-message': (connection, body) => {
			const found = this.sessionFor(connection, body.chatSessionId);
			if ('status' in found) return found;
			if (found.isSessionClosed) return { status: 400, body: { message: 'Chat session is closed' } };
			if (!['TEXT', 'FILE', 'IMAGE'].includes(String(body.contentType))) {
				return { status: 400, body: { message: 'contentType must be TEXT, FILE or IMAGE' } };
			}
			if (typeof body.messageContent !== 'string' || body.messageContent === '') {
				return { status: 400, body: { message: 'messageContent is required' } };
			}
			const message = this.addMessage(found, 'TENANT', connection.tenantId, body.messageContent, String(body.contentType), body.metdata ?? null);
			const { metadata, ...rest } = message;
			return ok({ chatSessionId: found.chatSessionId, chatMessage: { ...rest, metdata: metadata } });
		},
		'client/delete-message': (connection, body) => {
			const found = this.sessionFor(connection, body.chatSessionId);
			if ('status' in found) return found;
			const message = this.messageIn(found, body.messageId);
			if (!message) return { status: 404, body: { message: 'Message not found' } };
			if (message.senderEntityType !== 'TENANT') return { status: 403, body: { message: 'Only your own messages can be unsent' } };
			this.unsend(message.id);
			return ok({ messageId: body.messageId });
		},
		'client/update-message-seen-at': (connection, body) => {
			const found = this.sessionFor(connection, body.chatSessionId);
			if ('status' in found) return found;
			const message = this.messageIn(found, body.messageId);
			if (!message) return { status: 404, body: { message: 'Message not found' } };
			if (message.senderEntityType !== 'BACKEND_USER') {
				return { status: 400, body: { message: 'Only messages sent by BACKEND_USER can be marked as seen' } };
			}
			message.seenAt ??= String(this.now());
			message.status = 4;
			return ok({ chatSessionId: found.chatSessionId, chatMessage: message });
		},
		'client/get-unread-msg-count': (connection) => {
			const unread = this.messages.filter(
				(message) =>
					message.senderEntityType === 'BACKEND_USER' &&
					message.seenAt === null &&
					!this.deleted.has(message.id) &&
					this.sessions.get(message.chatSessionId)?.tenantId === connection.tenantId,
			);
			return ok({ unreadMsgCount: String(unread.length) });
		},
	};

	private sessionFor(connection: Connection, chatSessionId: unknown): (EmulatedSession & { tenantId: string }) | Reply {
		if (typeof chatSessionId !== 'string' || chatSessionId === '') {
			return { status: 400, body: { message: 'chatSessionId is required' } };
		}
		const session = this.sessions.get(chatSessionId);
		if (!session) return { status: 404, body: { message: 'Chat session not found' } };
		if (session.tenantId !== connection.tenantId) return { status: 403, body: { message: 'Not your chat session' } };
		return session;
	}

	private messageIn(session: EmulatedSession, messageId: unknown): EmulatedMessage | undefined {
		// The API documents `messageId: 133` as a number.
		if (typeof messageId !== 'number') return undefined;
		return this.messagesOf(session.chatSessionId).find((message) => message.id === String(messageId));
	}

	private sessionReply(connection: Connection, session: EmulatedSession & { tenantId: string }, touch: boolean) {
		const now = String(this.now());
		return {
			chatSessionId: session.chatSessionId,
			chatSession: this.publicSession(session),
			connection: {
				id: '2262',
				connectionId: connection.connectionId,
				entityType: 'TENANT',
				entityId: connection.tenantId,
				deviceId: connection.deviceId,
				expiredAt: String(Number(now) + 3_600_000),
				createdAt: String(connection.openedAt),
				updatedAt: touch ? now : String(connection.openedAt),
				orgId: ORG_ID,
			},
			tenant: { id: connection.tenantId, email: 'tenant@example.com', countryId: '99', code: '+66', phoneNumber: '0990000000' },
		};
	}

	private publicSession(session: EmulatedSession & { tenantId?: string }): EmulatedSession {
		// eslint-disable-next-line @typescript-eslint/no-unused-vars
		const { tenantId, ...rest } = session;
		return { ...rest };
	}

	private requireSession(chatSessionId: string): EmulatedSession & { tenantId: string } {
		const session = this.sessions.get(chatSessionId);
		if (!session) throw new Error(`No chat session ${chatSessionId}`);
		return session;
	}

	private addMessage(
		session: EmulatedSession & { tenantId: string },
		senderEntityType: 'TENANT' | 'BACKEND_USER',
		senderEntityId: string,
		messageContent: string,
		contentType: string,
		metadata: unknown,
	): EmulatedMessage {
		const now = String(this.now());
		const message: EmulatedMessage = {
			id: String(++this.messageSeq),
			orgId: ORG_ID,
			chatSessionId: session.chatSessionId,
			senderEntityType,
			senderEntityId,
			messageContent,
			sentAt: now,
			status: 3,
			seenAt: null,
			deliveredAt: now,
			contentType,
			metadata,
		};
		this.messages.push(message);
		this.push(session, `chat-message-${session.chatSessionId}`, { chatSessionId: session.chatSessionId, chatMessage: message }, { senderType: senderEntityType });
		return message;
	}

	private pushSessionUpdate(session: EmulatedSession & { tenantId: string }): void {
		this.push(session, `chat-session-update-${session.chatSessionId}`, { chatSession: this.publicSession(session) });
	}

	private push(session: EmulatedSession & { tenantId: string }, channel: string, data: unknown, extra: Record<string, unknown> = {}): void {
		const frame = JSON.stringify({ channel, [this.options.pushKey]: data, ...extra });
		for (const connection of this.connections.values()) {
			const hears =
				this.options.pushScope === 'tenant' ? connection.tenantId === session.tenantId : connection.sessions.has(session.chatSessionId);
			if (hears && connection.ws.readyState === WebSocket.OPEN) connection.ws.send(frame);
		}
	}

	/**
	 * Stops the clock: until `unfreezeClock`, every time the emulator stamps (sentAt, joins, pings) is this
	 * one, as when a join and the first message land in the same millisecond on the real service.
	 */
	freezeClock(at = Math.max(Date.now(), this.lastNow + 1)): number {
		this.frozenAt = at;
		return at;
	}

	unfreezeClock(): void {
		this.frozenAt = undefined;
	}

	/** Epoch ms, strictly increasing (so every message has its own sentAt) unless the clock is frozen. */
	private now(): number {
		if (this.frozenAt !== undefined) return (this.lastNow = this.frozenAt);
		this.lastNow = Math.max(Date.now(), this.lastNow + 1);
		return this.lastNow;
	}

	// ---- REST -----------------------------------------------------------------------------

	private onHttp(req: IncomingMessage, res: ServerResponse): void {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const url = new URL(req.url ?? '/', 'http://emulator');
			this.restCalls.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body });
			const failure = this.restFailures.get(url.pathname.replace(REST_PREFIX, ''));
			if (failure) {
				this.restFailures.delete(url.pathname.replace(REST_PREFIX, ''));
				return sendJson(res, failure.status, failure.body);
			}
			if (req.method === 'POST' && url.pathname === `${REST_PREFIX}/file-new/get-upload-url`) return this.uploadUrl(req, res, body);
			if (req.method === 'PUT' && url.pathname.startsWith('/s3/')) return this.storeUpload(req, res, url, body);
			if (req.method === 'GET' && url.pathname.startsWith('/s3/')) {
				const stored = this.uploads.get(url.pathname.slice('/s3/'.length));
				if (!stored) return sendJson(res, 404, { message: 'Not found' });
				res.writeHead(200, { 'Content-Type': stored.contentType }).end(stored.bytes);
				return;
			}
			sendJson(res, 404, { message: 'Not found' });
		});
	}

	private uploadUrl(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
		const header = req.headers[this.options.restAuthHeader.toLowerCase()];
		const token = typeof header === 'string' ? (this.options.restAuthBearer ? header.replace(/^Bearer /, '') : header) : '';
		const bearerOk = !this.options.restAuthBearer || (typeof header === 'string' && header.startsWith('Bearer '));
		if (!bearerOk || !this.options.tokens[token]) return sendJson(res, 401, { message: 'Unauthorized' });
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
		} catch {
			return sendJson(res, 400, { message: 'Invalid JSON' });
		}
		const { filename, mimeType, type } = body;
		if (typeof filename !== 'string' || typeof mimeType !== 'string' || typeof type !== 'string') {
			return sendJson(res, 400, { message: 'filename, mimeType and type are required' });
		}
		const extension = filename.includes('.') ? filename.slice(filename.lastIndexOf('.')) : '';
		const key = `${type}/${randomUUID()}${extension}`;
		const signature = randomBytes(32).toString('hex');
		this.pendingUploads.set(key, { signature, contentType: mimeType });
		const resourceUrl = `http://${this.origin}/s3/${key}`;
		sendJson(res, 200, {
			data: {
				uploadUrlData: {
					uploadURL: `${resourceUrl}?Content-Type=${encodeURIComponent(mimeType)}&X-Amz-Signature=${signature}`,
					fileName: filename,
					uploadPath: `/${key}`,
					resourceUrl,
				},
			},
			message: 'Upload Url generated successfully!',
		});
	}

	private storeUpload(req: IncomingMessage, res: ServerResponse, url: URL, bytes: Buffer): void {
		const key = url.pathname.slice('/s3/'.length);
		const pending = this.pendingUploads.get(key);
		const contentType = req.headers['content-type'];
		if (!pending || url.searchParams.get('X-Amz-Signature') !== pending.signature || contentType !== pending.contentType) {
			res.writeHead(403, { 'Content-Type': 'application/xml' });
			res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><SignatureProvided>${url.searchParams.get('X-Amz-Signature') ?? ''}</SignatureProvided></Error>`);
			return;
		}
		this.pendingUploads.delete(key);
		this.uploads.set(key, { bytes, contentType: pending.contentType });
		res.writeHead(200).end();
	}
}

const DELETE_CHANNEL = 'chat-message-delete';

function ok(body: unknown): Reply {
	return { status: 200, body };
}

function isObject(value: unknown): boolean {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function refuse(socket: Duplex, status: number, text: string, errorType: string, body: Record<string, string>): void {
	const json = JSON.stringify(body);
	socket.end(
		`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nx-amzn-ErrorType: ${errorType}\r\n` +
			`Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
	);
}

/**
 * Reads the header of every frame the client sends and calls `onTooBig` for a data frame whose
 * payload is over `limit` bytes (API Gateway closes with 1009 then, even inside the message limit).
 */
function watchFrameSizes(socket: Duplex, limit: number, onTooBig: () => void): void {
	let header = Buffer.alloc(0);
	let skip = 0;
	socket.on('data', (chunk: Buffer) => {
		let offset = 0;
		while (offset < chunk.length) {
			if (skip > 0) {
				const taken = Math.min(skip, chunk.length - offset);
				skip -= taken;
				offset += taken;
				continue;
			}
			const carried = header.length;
			header = Buffer.concat([header, chunk.subarray(offset)]);
			const frame = frameHeader(header);
			if (!frame) {
				offset = chunk.length;
				break;
			}
			if (frame.opcode < 0x8 && frame.payloadLength > limit) onTooBig();
			offset += frame.headerLength - carried;
			header = Buffer.alloc(0);
			skip = frame.payloadLength;
		}
	});
}

function frameHeader(bytes: Buffer): { opcode: number; headerLength: number; payloadLength: number } | undefined {
	if (bytes.length < 2) return undefined;
	const opcode = bytes[0] & 0x0f;
	const masked = (bytes[1] & 0x80) !== 0;
	let payloadLength = bytes[1] & 0x7f;
	let headerLength = 2;
	if (payloadLength === 126) {
		if (bytes.length < 4) return undefined;
		payloadLength = bytes.readUInt16BE(2);
		headerLength = 4;
	} else if (payloadLength === 127) {
		if (bytes.length < 10) return undefined;
		payloadLength = Number(bytes.readBigUInt64BE(2));
		headerLength = 10;
	}
	if (masked) headerLength += 4;
	return bytes.length < headerLength ? undefined : { opcode, headerLength, payloadLength };
}
