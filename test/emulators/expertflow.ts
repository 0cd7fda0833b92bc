import express, { type NextFunction, type Request, type Response } from 'express';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server as HttpServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';

/**
 * A local Expertflow Hybrid Chat server: the Customer Channel API's two REST routes and its
 * Socket.IO events (the real `socket.io` server), strict on required fields, with handles to act
 * as an agent, end chats, hand a connector a third-party message and drop connections.
 */

export interface EmulatedParticipant {
	id: string;
	name?: string;
	role: 'customer' | 'agent' | 'bot' | 'system';
}

export interface EmulatedMessage {
	id: string;
	conversationId?: string;
	type: 'ChatMessage' | 'ActivityMessage';
	from?: { id?: string; name?: string; type?: string };
	to?: Array<{ id?: string; name?: string }>;
	text?: string;
	tag?: string;
	refId?: string;
	attachments?: Array<Record<string, unknown>>;
	activityType?: string;
	info?: Record<string, unknown>;
	timestamp: string;
	[key: string]: unknown;
}

export interface EmulatedConversation {
	id: string;
	state: 'active' | 'ended';
	channel: string;
	subject?: string;
	request: Record<string, unknown>;
	customer: EmulatedParticipant;
	participants: EmulatedParticipant[];
	messages: EmulatedMessage[];
	createdAt: string;
}

export interface EmulatorOptions {
	/** Socket.IO path (default /socket.io). */
	path?: string;
	/** Headers every REST call and Socket.IO handshake must carry, as an auth proxy would demand. */
	requireHeaders?: Record<string, string>;
	/** Query parameters the Socket.IO handshake must carry. */
	requireQuery?: Record<string, string>;
	/** Socket.IO handshake `auth` fields that must be present. */
	requireAuth?: Record<string, string>;
	/** Serve HTTPS with this key and certificate (a self-signed one in the tests). */
	tls?: { key: string; cert: string };
}

/** What to do with an event before handling it: drop the connection, or ignore it (no answer at all). */
export type Interception = 'drop' | 'ignore' | undefined;

export interface ReceivedEvent {
	event: string;
	payload: unknown;
	socketId: string;
	acked: boolean;
}

type Ack = (reply: unknown) => void;

const WHISPER_TAGS = new Set(['whisper', '']);

export class ExpertflowEmulator {
	readonly initRequests: Array<{ body: unknown; headers: IncomingHttpHeaders }> = [];
	readonly transcriptRequests: Array<{ conversationId: string; type: string; headers: IncomingHttpHeaders }> = [];
	readonly handshakes: Array<{ headers: IncomingHttpHeaders; query: Record<string, unknown>; auth: Record<string, unknown> }> = [];
	readonly received: ReceivedEvent[] = [];
	readonly conversations = new Map<string, EmulatedConversation>();
	readonly connectors = new Map<string, { socketId: string; name: string; channel: string }>();
	readonly emailedTranscripts: string[] = [];

	/** Answer acknowledgement callbacks (a server that never acknowledges when false). */
	acks = true;
	/** Also deliver a conversation's messages back to the socket that sent them. */
	echoToSender = false;
	/** Deliver every messageArrived twice, as a flaky relay would. */
	duplicateDeliveries = false;
	/** Answer joinConversation at all (acknowledgement, conversationInfo, greeting); false: silence. */
	answerJoins = true;
	/** Answer init with the participant as a plain id, as some deployments do. */
	participantAsId = false;
	/** Statuses the next init calls answer with before working normally again. */
	readonly initFailures: number[] = [];
	/** Looks at every client event before it is handled. */
	intercept?: (event: string, payload: unknown, socket: Socket) => Interception;

	private readonly pendingForConnector = new Map<string, EmulatedMessage[]>();
	private held: Array<(error?: Error) => void> | undefined;
	private customers = 0;

	private constructor(
		private readonly http: HttpServer,
		readonly io: Server,
		private readonly options: EmulatorOptions,
	) {}

	static async start(options: EmulatorOptions = {}): Promise<ExpertflowEmulator> {
		const app = express();
		const http = options.tls ? createTlsServer(options.tls, app) : createServer(app);
		const io = new Server(http, { path: options.path ?? '/socket.io', serveClient: false });
		const emulator = new ExpertflowEmulator(http, io, options);
		emulator.routes(app);
		emulator.sockets();
		await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
		return emulator;
	}

	get url(): string {
		return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${(this.http.address() as AddressInfo).port}`;
	}

	get port(): number {
		return (this.http.address() as AddressInfo).port;
	}

	/** Sockets connected right now. */
	get connectedSockets(): number {
		return this.io.of('/').sockets.size;
	}

	/** Sockets that joined a conversation's room. */
	socketsIn(conversationId: string): number {
		return this.io.of('/').adapter.rooms.get(conversationId)?.size ?? 0;
	}

	/** Events of one name the clients sent, in order. */
	eventsNamed(event: string): ReceivedEvent[] {
		return this.received.filter((entry) => entry.event === event);
	}

	/** Opens a conversation as POST /api/customer/init would. */
	createConversation(fields: { firstName?: string; lastName?: string; channel?: string; subject?: string; refId?: string } = {}) {
		return this.openConversation({ channel: 'web', refId: '+10000000000', ...fields });
	}

	/** An agent joins: participantJoined goes to the room and the agent appears in conversationInfo. */
	agentJoins(conversationId: string, agent: Omit<EmulatedParticipant, 'role'> & { role?: EmulatedParticipant['role'] } = { id: 'agent-1', name: 'Alice' }) {
		const conversation = this.conversation(conversationId);
		const participant: EmulatedParticipant = { role: 'agent', ...agent };
		conversation.participants.push(participant);
		return this.activity(conversationId, 'participantJoined', { info: { participant } });
	}

	/** A message from an agent (or bot) to the conversation; stored in its history. */
	agentSays(
		conversationId: string,
		text: string,
		options: { from?: EmulatedMessage['from']; attachments?: EmulatedMessage['attachments']; id?: string } = {},
	): EmulatedMessage {
		const message = this.message(conversationId, {
			type: 'ChatMessage',
			from: options.from ?? { id: 'agent-1', name: 'Alice' },
			to: [],
			text,
			...(options.attachments ? { attachments: options.attachments } : {}),
			...(options.id ? { id: options.id } : {}),
		});
		this.deliver(conversationId, message);
		return message;
	}

	/** An ActivityMessage (typing, handOff, noAgentAvailable, …) to the conversation. */
	activity(
		conversationId: string,
		activityType: string,
		options: { from?: EmulatedMessage['from']; info?: Record<string, unknown> } = {},
	): EmulatedMessage {
		const message = this.message(conversationId, {
			type: 'ActivityMessage',
			from: options.from ?? { id: 'system', name: 'System' },
			to: [],
			activityType,
			...(options.info ? { info: options.info } : {}),
		});
		if (activityType !== 'typing') this.conversation(conversationId).messages.push(message);
		this.deliver(conversationId, message, false);
		return message;
	}

	/** Ends a chat (as the agent would): endOfConversation goes to the room; the transcript becomes available. */
	endChat(conversationId: string): EmulatedMessage {
		const conversation = this.conversation(conversationId);
		const message = this.activity(conversationId, 'endOfConversation', { info: { reason: 'agent ended the chat' } });
		conversation.state = 'ended';
		return message;
	}

	/** A third-party message (a campaign SMS) the server hands to a connector; kept until it registers. */
	handToConnector(connectorId: string, fields: { text: string; refId: string; id?: string }): EmulatedMessage {
		const message: EmulatedMessage = {
			id: fields.id ?? randomUUID(),
			type: 'ChatMessage',
			from: { id: 'campaign-manager', name: 'Campaigns', type: 'system' },
			to: [],
			text: fields.text,
			refId: fields.refId,
			channel: connectorId,
			timestamp: new Date().toISOString(),
		};
		const connector = this.connectors.get(connectorId);
		const socket = connector ? this.io.of('/').sockets.get(connector.socketId) : undefined;
		if (socket?.connected) this.emitTwiceIfFlaky(socket, 'messageArrived', message);
		else this.pendingForConnector.set(connectorId, [...(this.pendingForConnector.get(connectorId) ?? []), message]);
		return message;
	}

	/** Sends any event with any payload to every connected client (malformed frames included). */
	sendRaw(event: string, payload: unknown): void {
		this.io.emit(event, payload);
	}

	/** Cuts every connection at the transport, as a network failure would; clients reconnect. */
	dropConnections(): void {
		// `true` discards the transport at once; otherwise a polling transport in the middle of its upgrade
		// waits 30 s for a poll that never comes before it really closes.
		for (const socket of this.io.of('/').sockets.values()) socket.conn.close(true);
	}

	/** Ends every session on purpose (the server's disconnect, which clients do not retry). */
	kickAll(): void {
		this.io.disconnectSockets(true);
	}

	/** New connections wait in the handshake until `resume()`. */
	suspend(): void {
		this.held ??= [];
	}

	resume(): void {
		const held = this.held ?? [];
		this.held = undefined;
		held.forEach((next) => next());
	}

	async close(): Promise<void> {
		this.held?.forEach((next) => next(new Error('server shutting down')));
		this.held = undefined;
		// Like a server going down: connections end without Socket.IO's disconnect, so clients try to reconnect.
		await new Promise<void>((resolve) => {
			this.io.close(() => resolve());
			this.http.closeAllConnections();
		});
	}

	private routes(app: express.Express): void {
		app.use((request: Request, response: Response, next: NextFunction) => {
			const missing = missingHeaders(request.headers, this.options.requireHeaders);
			if (missing) {
				response.status(401).json({ message: `Unauthorized: missing header ${missing}` });
				return;
			}
			next();
		});
		app.post('/api/customer/init', express.json({ type: () => true }), (request, response) => {
			this.initRequests.push({ body: request.body, headers: request.headers });
			const failure = this.initFailures.shift();
			if (failure) {
				response.status(failure).json({ message: failure === 503 ? 'Service Unavailable' : 'Internal Server Error' });
				return;
			}
			const problem = initProblem(request.body);
			if (problem) {
				response.status(400).json({ message: problem });
				return;
			}
			const body = request.body as Record<string, unknown>;
			const conversation = this.openConversation(body);
			response.json({
				conversationId: conversation.id,
				participant: this.participantAsId ? conversation.customer.id : { id: conversation.customer.id, name: conversation.customer.name },
				...(body.requestId ? { requestId: body.requestId } : {}),
				timestamp: new Date().toISOString(),
			});
		});
		app.get('/api/customer/transcript/:id/:type', (request, response) => {
			const { id, type } = request.params as { id: string; type: string };
			this.transcriptRequests.push({ conversationId: id, type, headers: request.headers });
			if (type !== 'pdf' && type !== 'email') {
				response.status(400).json({ message: `Unknown transcript type ${type}` });
				return;
			}
			const conversation = this.conversations.get(id);
			if (!conversation || conversation.state !== 'ended') {
				response.status(404).json({ message: conversation ? 'Conversation is still active' : 'Conversation not found' });
				return;
			}
			if (type === 'email') {
				this.emailedTranscripts.push(id);
				response.status(200).end();
				return;
			}
			response
				.status(200)
				.type('application/pdf')
				.set('Content-Disposition', `attachment; filename="transcript-${id}.pdf"`)
				.send(transcriptPdf(conversation));
		});
	}

	private sockets(): void {
		this.io.use((socket, next) => {
			const { headers, query, auth } = socket.handshake;
			this.handshakes.push({ headers, query: query as Record<string, unknown>, auth });
			const problem =
				missingHeaders(headers, this.options.requireHeaders) ??
				missingField(query as Record<string, unknown>, this.options.requireQuery) ??
				missingField(auth, this.options.requireAuth);
			if (problem) {
				next(new Error(`unauthorized (${problem})`));
				return;
			}
			if (this.held) this.held.push((error) => next(error));
			else next();
		});
		this.io.on('connection', (socket) => {
			socket.onAny((event: string, ...args: unknown[]) => {
				const ack = typeof args[args.length - 1] === 'function' ? (args[args.length - 1] as Ack) : undefined;
				this.received.push({ event, payload: args[0], socketId: socket.id, acked: ack !== undefined });
			});
			const handle = (event: string, run: (payload: Record<string, unknown>) => unknown) =>
				socket.on(event, (payload: unknown, ack?: Ack) => {
					const interception = this.intercept?.(event, payload, socket);
					if (interception === 'drop') socket.conn.close(true);
					if (interception) return;
					if (event === 'joinConversation' && !this.answerJoins) return;
					let reply: unknown;
					try {
						if (!isRecord(payload)) throw new Refusal(`${event} needs a JSON object`);
						reply = { status: 'ok', ...(run(payload) as object | undefined) };
					} catch (error) {
						if (!(error instanceof Refusal)) throw error;
						reply = { status: 'error', message: error.message };
					}
					if (this.acks && typeof ack === 'function') ack(reply);
				});
			handle('registerConnector', (payload) => this.registerConnector(socket, payload));
			handle('joinConversation', (payload) => this.join(socket, payload));
			handle('sendMessage', (payload) => this.send(socket, payload));
			handle('endConversation', (payload) => this.end(payload));
			socket.on('disconnect', () => {
				for (const [id, connector] of this.connectors) if (connector.socketId === socket.id) this.connectors.delete(id);
			});
		});
	}

	private registerConnector(socket: Socket, payload: Record<string, unknown>) {
		const { id, name, channel } = payload;
		if (!isText(id) || !isText(name) || !isText(channel)) throw new Refusal('registerConnector needs id, name and channel');
		if (id !== channel) throw new Refusal('The connector id must be the channel name');
		this.connectors.set(id, { socketId: socket.id, name, channel });
		const pending = this.pendingForConnector.get(id) ?? [];
		this.pendingForConnector.delete(id);
		setImmediate(() => pending.forEach((message) => this.emitTwiceIfFlaky(socket, 'messageArrived', message)));
		return undefined;
	}

	private join(socket: Socket, payload: Record<string, unknown>) {
		const { conversationId, id, name } = payload;
		if (!isText(conversationId) || !isText(id)) throw new Refusal('joinConversation needs conversationId and id');
		// The spec lists name ("Name of participant to display in conversation") among the payload's parameters.
		if (!isText(name)) throw new Refusal('joinConversation needs name, the participant name to display');
		const conversation = this.conversations.get(conversationId);
		if (!conversation) throw new Refusal(`Unknown conversation ${conversationId}`);
		if (conversation.state === 'ended') throw new Refusal(`Conversation ${conversationId} has ended`);
		if (!conversation.participants.some((participant) => participant.id === id)) {
			throw new Refusal(`${id} is not a participant of conversation ${conversationId}`);
		}
		void socket.join(conversationId);
		(socket.data as Record<string, string>)[conversationId] = id;
		setImmediate(() => {
			socket.emit('conversationInfo', {
				conversation: {
					id: conversation.id,
					state: conversation.state,
					channel: conversation.channel,
					subject: conversation.subject,
					createdAt: conversation.createdAt,
				},
				messages: conversation.messages,
				participant: conversation.participants,
				role: 'customer',
			});
			socket.emit('messageArrived', {
				id: randomUUID(),
				conversationId,
				type: 'ActivityMessage',
				from: { id: 'system', name: 'System' },
				to: [{ id, name }],
				activityType: 'greetings',
				info: { text: `Welcome ${name ?? ''}`.trim() },
				timestamp: new Date().toISOString(),
			});
		});
		return undefined;
	}

	private send(socket: Socket, payload: Record<string, unknown>) {
		const { conversationId, type, from } = payload;
		if (!isText(conversationId)) throw new Refusal('sendMessage needs conversationId');
		if (type !== 'ChatMessage' && type !== 'ActivityMessage') throw new Refusal('type must be ChatMessage or ActivityMessage');
		if (!isRecord(from) || !isText(from.id)) throw new Refusal('sendMessage needs from.id');
		if (!isText(from.name)) throw new Refusal('sendMessage needs from.name (a Participant has id and name)');
		const conversation = this.conversations.get(conversationId);
		if (!conversation) throw new Refusal(`Unknown conversation ${conversationId}`);
		if (conversation.state === 'ended') throw new Refusal(`Conversation ${conversationId} has ended`);
		if (!socket.rooms.has(conversationId)) throw new Refusal('Join the conversation before sending');
		if ((socket.data as Record<string, string>)[conversationId] !== from.id) throw new Refusal('from.id is not the participant that joined');
		if (payload.to !== undefined && (!Array.isArray(payload.to) || !payload.to.every((to) => isRecord(to) && isText(to.id)))) {
			throw new Refusal('to must be a list of participants with an id');
		}
		if (type === 'ChatMessage') checkChatMessage(payload);
		else if (!isText(payload.activityType)) throw new Refusal('ActivityMessage needs activityType');
		const message = { ...payload, id: isText(payload.id) ? payload.id : randomUUID(), timestamp: new Date().toISOString() } as EmulatedMessage;
		if (type === 'ChatMessage') conversation.messages.push(message);
		const target = this.echoToSender ? this.io.to(conversationId) : socket.to(conversationId);
		target.emit('messageArrived', message);
		return { id: message.id };
	}

	private end(payload: Record<string, unknown>) {
		const { conversationId } = payload;
		if (!isText(conversationId)) throw new Refusal('endConversation needs conversationId');
		const conversation = this.conversations.get(conversationId);
		if (!conversation) throw new Refusal(`Unknown conversation ${conversationId}`);
		if (conversation.state === 'ended') throw new Refusal(`Conversation ${conversationId} has already ended`);
		this.endChat(conversationId);
		return undefined;
	}

	private openConversation(body: Record<string, unknown>): EmulatedConversation {
		const id = randomUUID();
		const name = [body.firstName, body.lastName].filter(isText).join(' ') || String(body.refId ?? body.phone ?? body.email);
		const customer: EmulatedParticipant = { id: `customer-${++this.customers}`, name, role: 'customer' };
		const conversation: EmulatedConversation = {
			id,
			state: 'active',
			channel: String(body.channel),
			subject: isText(body.subject) ? body.subject : undefined,
			request: body,
			customer,
			participants: [customer],
			messages: [],
			createdAt: new Date().toISOString(),
		};
		this.conversations.set(id, conversation);
		return conversation;
	}

	private conversation(id: string): EmulatedConversation {
		const conversation = this.conversations.get(id);
		if (!conversation) throw new Error(`The emulator has no conversation ${id}`);
		return conversation;
	}

	private message(conversationId: string, fields: Partial<EmulatedMessage> & Pick<EmulatedMessage, 'type'>): EmulatedMessage {
		return { id: randomUUID(), conversationId, timestamp: new Date().toISOString(), ...fields };
	}

	private deliver(conversationId: string, message: EmulatedMessage, store = true): void {
		if (store) this.conversation(conversationId).messages.push(message);
		const room = this.io.of('/').adapter.rooms.get(conversationId) ?? new Set<string>();
		for (const socketId of room) {
			const socket = this.io.of('/').sockets.get(socketId);
			if (socket) this.emitTwiceIfFlaky(socket, 'messageArrived', message);
		}
	}

	private emitTwiceIfFlaky(socket: Socket, event: string, payload: unknown): void {
		socket.emit(event, payload);
		if (this.duplicateDeliveries) socket.emit(event, payload);
	}
}

class Refusal extends Error {}

function initProblem(body: unknown): string | undefined {
	if (!isRecord(body)) return 'The request body must be a JSON object';
	if (!isText(body.channel)) return 'channel is required';
	if (![body.refId, body.phone, body.email].some(isText)) return 'At least one identifier (refId, phone or email) is required';
	for (const field of ['firstName', 'lastName', 'email', 'phone', 'language', 'refId', 'url', 'comment', 'subject', 'requestId']) {
		if (body[field] !== undefined && typeof body[field] !== 'string') return `${field} must be a string`;
	}
	if (body.timestamp !== undefined) {
		if (typeof body.timestamp !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(body.timestamp) || Number.isNaN(Date.parse(body.timestamp))) {
			return 'timestamp must be in ISO 8601 format';
		}
	}
	return undefined;
}

function checkChatMessage(payload: Record<string, unknown>): void {
	const attachments = payload.attachments;
	if (attachments !== undefined) {
		if (!Array.isArray(attachments)) throw new Refusal('attachments must be a list');
		for (const attachment of attachments) {
			if (!isRecord(attachment) || !isText(attachment.contentUrl) || !isText(attachment.type)) {
				throw new Refusal('Every attachment needs type and contentUrl');
			}
		}
	}
	if (typeof payload.text !== 'string' || (payload.text === '' && !(Array.isArray(attachments) && attachments.length > 0))) {
		throw new Refusal('ChatMessage needs text (or attachments)');
	}
	if (payload.tag !== undefined && !WHISPER_TAGS.has(payload.tag as string)) throw new Refusal('tag must be "whisper" or ""');
}

function missingHeaders(headers: IncomingHttpHeaders, required: Record<string, string> | undefined): string | undefined {
	for (const [name, value] of Object.entries(required ?? {})) {
		if (headers[name.toLowerCase()] !== value) return name;
	}
	return undefined;
}

function missingField(values: Record<string, unknown>, required: Record<string, string> | undefined): string | undefined {
	for (const [name, value] of Object.entries(required ?? {})) {
		if (values?.[name] !== value) return name;
	}
	return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
	return typeof value === 'string' && value !== '';
}

/** A one-page PDF (real objects, xref table and trailer) listing the chat's messages. */
export function transcriptPdf(conversation: EmulatedConversation): Buffer {
	const lines = [
		`Transcript of conversation ${conversation.id}`,
		...conversation.messages
			.filter((message) => message.type === 'ChatMessage')
			.map((message) => `${message.from?.name ?? message.from?.id ?? 'unknown'}: ${message.text ?? ''}`),
	];
	const escape = (text: string) => text.replace(/[\\()]/g, (match) => `\\${match}`).replace(/[^\x20-\x7e]/g, '?');
	const content = ['BT', '/F1 11 Tf', '14 TL', '50 800 Td', ...lines.map((line) => `(${escape(line)}) Tj T*`), 'ET'].join('\n');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
		`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let pdf = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((body, index) => {
		offsets.push(Buffer.byteLength(pdf, 'latin1'));
		pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(pdf, 'latin1');
	pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	pdf += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
	pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(pdf, 'latin1');
}
