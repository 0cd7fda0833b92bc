import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { buildChatEvent, type ChatEvent } from '../shared/chat-event';
import type { SocketLogger, SocketSession } from '../shared/socket';
import { RecentIds } from '../shared/recent-ids';
import type { TriggerSink, TriggerSource } from '../shared/trigger';
import {
	conciergeSession,
	credentialSecrets,
	RouteCaller,
	RouteError,
	type ConciergeCredentials,
	toNodeError,
	type Requester,
} from './connection';
import {
	deletionToChatEvent,
	messagesRoute,
	messageToChatEvent,
	parsePushedFrame,
	ROUTES,
	sessionToChatEvent,
	type ChatMessage,
	type ChatSession,
	type MessagesPage,
} from './protocol';
import { SeenMessages, type SeenMessage } from './seen-messages';

export type FollowMode = 'ids' | 'new' | 'all';
export type ConciergeEventName = 'chatMessage' | 'chatSessionUpdate' | 'chatMessageDelete';

export interface FollowerOptions {
	/** The trigger node, named in errors. */
	node: INode;
	credentials: ConciergeCredentials;
	/** Sessions by ID, a session the trigger starts, or every session whose events reach the connection. */
	mode: FollowMode;
	chatSessionIds: string[];
	events: ConciergeEventName[];
	/** Only messages a concierge (BACKEND_USER) sent. */
	conciergeOnly: boolean;
	pingIntervalMs: number;
	replyTimeoutMs: number;
	logger?: SocketLogger;
	/** Messages per get-chat-messages request when catching up. */
	pageSize?: number;
	/** How many message ids are remembered to drop duplicates. */
	memory?: number;
}

/** What init-chat-with-concierge, get-chat-session and ping-on-chat-session answer. */
interface SessionReply {
	chatSessionId?: string;
	chatSession?: ChatSession;
	connection?: { updatedAt?: string | number };
}

interface FollowedSession {
	id: string;
	/**
	 * Server time (epoch ms) from which messages are new; before it they are history. Inclusive, because the
	 * service stamps a message with the same millisecond as the join or ping that comes with it: a message
	 * at exactly this time is new unless its id was seen. Unknown: the next catch-up sets it.
	 */
	since?: number;
	/** Whether get-chat-messages lists oldest first (`asc`) or newest first; learnt from the first full page. */
	order?: 'asc' | 'desc';
	/** Oldest-first listing: the last page a catch-up read, where the next one starts. */
	lastPage: number;
}

const MAX_CATCH_UP_PAGES = 10_000;

/**
 * Follows concierge chat sessions over one connection. After every reconnect (the gateway's idle close,
 * its 2 h cut, a network drop) it resumes each session and reads get-chat-messages for what came
 * meanwhile; a bounded memory of message ids and a per-session time watermark make every message
 * come out exactly once.
 */
export class SessionFollower implements TriggerSource {
	private readonly followed = new Map<string, FollowedSession>();
	private readonly ended = new RecentIds(1000);
	private readonly deletions = new RecentIds(1000);
	/** Sessions being caught up, with the new messages held back until that is done. */
	private readonly held = new Map<string, ChatMessage[]>();
	private readonly seen: SeenMessages;
	private readonly caller: RouteCaller;
	private readonly session: SocketSession;
	private readonly events: Set<ConciergeEventName>;
	private pingTimer?: NodeJS.Timeout;

	constructor(
		private readonly options: FollowerOptions,
		private readonly sink: TriggerSink,
		onFatal: (error: Error) => void,
	) {
		this.events = new Set(options.events);
		this.seen = new SeenMessages(options.memory ?? 10_000, (_id, entry) => this.passWatermark(entry));
		this.caller = new RouteCaller(options.replyTimeoutMs);
		this.session = conciergeSession(options.credentials, {
			logger: options.logger,
			requestTimeoutMs: options.replyTimeoutMs,
			onOpen: (socket, info) => (info.reconnect ? this.resumeAll(socket) : this.startFollowing(socket)),
			onMessage: (frame) => this.onFrame(frame),
			onMalformed: (_raw, error) => options.logger?.warn(`Skipped a frame that is not JSON: ${error.message}`),
			onFatal,
		});
	}

	/** Connects and starts following; rejects, failing the activation, when that cannot be done. */
	async start(): Promise<void> {
		await this.session.connect();
		this.pingTimer = setInterval(() => this.pingAll(), this.options.pingIntervalMs);
	}

	async close(): Promise<void> {
		clearInterval(this.pingTimer);
		await this.session.close();
	}

	get stats() {
		return this.session.stats;
	}

	private async startFollowing(socket: Requester): Promise<void> {
		if (this.options.mode === 'new') {
			const reply = await this.caller.call<SessionReply>(socket, ROUTES.initChat, { newSession: true });
			const id = String(reply.chatSessionId ?? reply.chatSession?.chatSessionId ?? '');
			if (id === '') throw new NodeOperationError(this.options.node, 'Starting a chat session gave no chatSessionId');
			// A new session has no history: every message in it is new.
			this.followed.set(id, { id, since: 0, lastPage: 1 });
			this.emit(
				buildChatEvent({
					provider: 'concierge',
					type: 'session_started',
					conversationId: id,
					from: { role: 'customer' },
					status: 'waiting',
					timestamp: serverTime(reply),
					raw: reply,
				}),
			);
			return;
		}
		if (this.options.mode !== 'ids') return;
		const states = this.options.chatSessionIds.map((id): FollowedSession => ({ id, lastPage: 1 }));
		const closed: string[] = [];
		await this.holdWhile(states, async (state) => {
			if (!(await this.resume(socket, state, true))) {
				closed.push(state.id);
				return;
			}
			this.followed.set(state.id, state);
			await this.catchUp(socket, state);
		});
		if (this.followed.size === 0) {
			throw new NodeOperationError(
				this.options.node,
				`Chat session${closed.length > 1 ? 's' : ''} ${closed.join(', ')} ${closed.length > 1 ? 'are' : 'is'} closed: a closed session cannot be followed`,
			);
		}
		for (const id of closed) this.options.logger?.warn(`Chat session ${id} is closed; following the others`);
	}

	/** After a reconnect: resume every followed session, then fetch what was missed. */
	private async resumeAll(socket: Requester): Promise<void> {
		await this.holdWhile([...this.followed.values()], async (state) => {
			if (!(await this.resume(socket, state, false))) return;
			try {
				await this.catchUp(socket, state);
			} catch (error) {
				if (!(error instanceof RouteError)) throw this.nodeError(error);
				this.options.logger?.warn(`Could not fetch the missed messages of chat session ${state.id}: ${error.message}`);
			}
		});
	}

	/**
	 * Runs `work` for each session in turn while holding back the session's live messages; each
	 * session's held and fetched messages then come out together, oldest first, even if `work` fails.
	 */
	private async holdWhile(states: FollowedSession[], work: (state: FollowedSession) => Promise<void>): Promise<void> {
		for (const state of states) if (!this.held.has(state.id)) this.held.set(state.id, []);
		try {
			for (const state of states) {
				await work(state);
				this.release(state.id);
			}
		} finally {
			for (const state of states) this.release(state.id);
		}
	}

	private release(chatSessionId: string): void {
		const held = this.held.get(chatSessionId);
		if (!held) return;
		this.held.delete(chatSessionId);
		held.sort(chronological).forEach((message) => this.emitMessage(message));
	}

	/**
	 * init-chat-with-concierge `{newSession: false}`, which also makes the service deliver the session's
	 * events to this connection. Undefined when the session is closed (or, after a reconnect, refused).
	 */
	private async resume(socket: Requester, state: FollowedSession, first: boolean): Promise<FollowedSession | undefined> {
		let reply: SessionReply;
		try {
			reply = await this.caller.call<SessionReply>(socket, ROUTES.initChat, { newSession: false, chatSessionId: state.id }, state.id);
		} catch (error) {
			if (!(error instanceof RouteError)) throw this.nodeError(error);
			const current = await this.caller
				.call<SessionReply>(socket, ROUTES.getSession, { chatSessionId: state.id }, state.id)
				.catch(() => undefined);
			if (current?.chatSession?.isSessionClosed === true) {
				if (!first) this.sessionEnded(state.id, current.chatSession);
				return undefined;
			}
			if (first) {
				throw new NodeOperationError(this.options.node, `Chat session ${state.id} could not be resumed: ${error.message}`);
			}
			if (error.status >= 500) throw this.nodeError(error);
			this.options.logger?.warn(`Stopped following chat session ${state.id}: ${error.message}`);
			this.followed.delete(state.id);
			return undefined;
		}
		if (reply.chatSession?.isSessionClosed === true) {
			if (!first) this.sessionEnded(state.id, reply.chatSession);
			return undefined;
		}
		state.since ??= serverTime(reply);
		return state;
	}

	/**
	 * Reads get-chat-messages and delivers each message that is newer than the session's watermark and
	 * not yet seen. Without a watermark (nothing known of the session yet) everything
	 * read is history: remembered, not emitted.
	 */
	private async catchUp(socket: Requester, state: FollowedSession): Promise<void> {
		const pageSize = this.options.pageSize ?? 50;
		const baseline = state.since === undefined;
		let latest = 0;
		let page = state.order === 'desc' ? 1 : Math.max(1, state.lastPage - 1);
		let previousFirstId: string | undefined;
		for (let read = 0; read < MAX_CATCH_UP_PAGES; read++, page++) {
			const body = await this.caller.call<MessagesPage>(socket, messagesRoute(page, pageSize), { chatSessionId: state.id }, state.id);
			const messages = Array.isArray(body?.messages) ? body.messages : [];
			const firstId = messages.length > 0 ? String(messages[0].id) : undefined;
			if (firstId !== undefined && firstId === previousFirstId) break; // the service ignores paging
			previousFirstId = firstId;
			state.order ??= listingOrder(messages);
			if (state.order !== 'desc') state.lastPage = page;
			for (const message of messages) {
				if (baseline) {
					const sentAt = epochMs(message.sentAt);
					this.seen.add(String(message.id), { chatSessionId: state.id, sentAt });
					latest = Math.max(latest, sentAt ?? 0);
				} else if (this.isNew(message, state)) this.deliver(message, state);
			}
			const perPage = Number(body?.paginate?.per_page) || pageSize;
			if (messages.length < perPage) break;
			if (state.order === 'desc' && reachedHistory(messages, state)) break;
		}
		if (baseline) state.since = latest;
	}

	private onFrame(frame: unknown): void {
		const event = parsePushedFrame(frame);
		if (!event) return; // replies that came too late, acknowledgements, other channels
		if (event.kind === 'message') {
			const sentAt = epochMs(event.message.sentAt);
			const state = this.stateFor(event.chatSessionId, sentAt);
			if (state && this.isNew(event.message, state)) this.deliver(event.message, state);
			return;
		}
		if (event.kind === 'sessionUpdate') {
			const state = this.stateFor(event.chatSessionId, serverTime({ chatSession: event.session }));
			if (!state) return;
			if (event.session.isSessionClosed === true) this.sessionEnded(state.id, event.session);
			else if (this.events.has('chatSessionUpdate')) this.emit(sessionToChatEvent(event.session));
			return;
		}
		const chatSessionId =
			event.chatSessionId ??
			this.seen.get(event.messageId)?.chatSessionId ??
			(this.followed.size === 1 ? [...this.followed.keys()][0] : undefined);
		if (chatSessionId === undefined || !this.stateFor(chatSessionId, undefined)) return;
		if (this.deletions.remember(event.messageId) && this.events.has('chatMessageDelete')) {
			this.emit(deletionToChatEvent(chatSessionId, event.messageId, event.raw));
		}
	}

	/** The followed session, or (following every session) a session heard of for the first time. */
	private stateFor(chatSessionId: string, since: number | undefined): FollowedSession | undefined {
		const known = this.followed.get(chatSessionId);
		if (known || this.options.mode !== 'all' || this.ended.has(chatSessionId)) return known;
		const state: FollowedSession = { id: chatSessionId, since, lastPage: 1 };
		this.followed.set(chatSessionId, state);
		return state;
	}

	/** New: not before the session's watermark and not seen before (then it is remembered). */
	private isNew(message: ChatMessage, state: FollowedSession): boolean {
		const sentAt = epochMs(message.sentAt);
		if (state.since !== undefined && sentAt !== undefined && sentAt < state.since) return false;
		return this.seen.add(String(message.id), { chatSessionId: state.id, sentAt });
	}

	/** Emits a new message now, or holds it back while its session is being caught up. */
	private deliver(message: ChatMessage, state: FollowedSession): void {
		const held = this.held.get(state.id);
		if (held) held.push(message);
		else this.emitMessage(message);
	}

	private emitMessage(message: ChatMessage): void {
		if (!this.events.has('chatMessage')) return;
		if (this.options.conciergeOnly && message.senderEntityType !== 'BACKEND_USER') return;
		this.emit(messageToChatEvent(message));
	}

	private sessionEnded(chatSessionId: string, session: ChatSession): void {
		this.followed.delete(chatSessionId);
		if (!this.ended.remember(chatSessionId)) return;
		if (this.events.has('chatSessionUpdate')) this.emit(sessionToChatEvent({ ...session, chatSessionId }));
	}

	private emit(event: ChatEvent): void {
		this.sink.emitEvents([event]);
	}

	/** Keeps followed sessions alive; with none, keeps the connection from idling out. */
	private pingAll(): void {
		if (!this.session.isOpen) return;
		if (this.followed.size === 0) {
			this.caller.call(this.session, ROUTES.unreadCount, {}).catch((error: Error) => this.debug(`Keepalive failed: ${error.message}`));
			return;
		}
		for (const id of this.followed.keys()) {
			this.caller
				.call<SessionReply>(this.session, ROUTES.ping, { chatSessionId: id }, id)
				.then((reply) => {
					if (reply?.chatSession?.isSessionClosed === true) this.sessionEnded(id, reply.chatSession);
				})
				.catch((error: Error) => this.pingFailed(id, error));
		}
	}

	private pingFailed(id: string, error: Error): void {
		this.debug(`Ping on chat session ${id} failed: ${error.message}`);
		if (!(error instanceof RouteError) || !this.session.isOpen) return;
		this.caller
			.call<SessionReply>(this.session, ROUTES.getSession, { chatSessionId: id }, id)
			.then((reply) => {
				if (reply?.chatSession?.isSessionClosed === true) this.sessionEnded(id, reply.chatSession);
			})
			.catch((failure: Error) => this.debug(`Checking chat session ${id} failed: ${failure.message}`));
	}

	/** A forgotten message id moves its session's watermark past it, so it cannot come back. */
	private passWatermark(entry: SeenMessage): void {
		const state = this.followed.get(entry.chatSessionId);
		if (state && entry.sentAt !== undefined) state.since = Math.max(state.since ?? 0, entry.sentAt + 1);
	}

	private nodeError(error: unknown): Error {
		return toNodeError(this.options.node, error, credentialSecrets(this.options.credentials));
	}

	private debug(message: string): void {
		this.options.logger?.debug(message);
	}
}

/** Epoch ms from a number or numeric string; undefined otherwise. */
function epochMs(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = Number(value);
	return Number.isFinite(number) ? number : undefined;
}

/** The service's clock as a reply shows it: when the session was last pinged, or the connection updated. */
function serverTime(reply: SessionReply): number | undefined {
	const times = [
		epochMs(reply.chatSession?.lastPingedByChatInitiator),
		epochMs(reply.chatSession?.lastPingedByChatJoiner),
		epochMs(reply.connection?.updatedAt),
	].filter((time): time is number => time !== undefined);
	return times.length > 0 ? Math.max(...times) : undefined;
}

function listingOrder(messages: ChatMessage[]): 'asc' | 'desc' | undefined {
	if (messages.length < 2) return undefined;
	return chronological(messages[0], messages[messages.length - 1]) > 0 ? 'desc' : 'asc';
}

/** Newest-first listing: this page reaches messages before the watermark. */
function reachedHistory(messages: ChatMessage[], state: FollowedSession): boolean {
	const oldest = epochMs(messages[messages.length - 1].sentAt);
	return state.since !== undefined && oldest !== undefined && oldest < state.since;
}

function chronological(a: ChatMessage, b: ChatMessage): number {
	const byTime = (epochMs(a.sentAt) ?? 0) - (epochMs(b.sentAt) ?? 0);
	if (byTime !== 0) return byTime;
	const [idA, idB] = [Number(a.id), Number(b.id)];
	return Number.isFinite(idA) && Number.isFinite(idB) ? idA - idB : String(a.id).localeCompare(String(b.id));
}
