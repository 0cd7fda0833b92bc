import type { ChatEvent } from '../shared/chat-event';
import { RecentIds } from '../shared/recent-ids';
import type { TriggerSink } from '../shared/trigger';
import type { Logger, OpenConnection } from './client';
import {
	activitySubject,
	conversationIdOfInfo,
	conversationInfoToChatEvent,
	conversationState,
	EVENTS,
	isMessagePayload,
	isRecord,
	joinConfirmation,
	joinPayload,
	messageKey,
	messageToChatEvent,
	ParticipantRoles,
	participantsOfInfo,
	registerConnectorPayload,
	type ConversationInfoPayload,
	type MessagePayload,
} from './protocol';

/** Messages remembered for de-duplication (ids are short, so this stays well under a few MB). */
const SEEN_CAPACITY = 10_000;

export interface ConversationTarget {
	conversationId: string;
	participantId: string;
	participantName?: string;
}

export interface ConversationFilter {
	chatMessages: boolean;
	activities: boolean;
	/** Empty: every activity type. */
	activityTypes: ReadonlySet<string>;
	conversationInfo: boolean;
	includeOwnMessages: boolean;
	/** Emit the messages conversationInfo lists on the first join (otherwise only later ones). */
	emitHistory: boolean;
}

/** What a listener needs from the trigger around it. */
export interface ListenerContext {
	sink: TriggerSink;
	logger: Logger;
	timeoutMs: number;
}

/**
 * Conversation mode: joins every conversation as its participant after every (re)connect. After
 * a reconnect, the messages conversationInfo lists that were not seen yet are emitted, so nothing
 * sent during the drop is lost; message ids (bounded memory) keep anything from being emitted twice.
 */
export class ConversationListener {
	private readonly seen = new RecentIds(SEEN_CAPACITY);
	private readonly roles: ParticipantRoles;
	private readonly ids: ReadonlySet<string>;
	private readonly baseline = new Set<string>();
	private readonly ended = new Set<string>();
	private readonly reportedStates = new Map<string, string>();

	constructor(
		private readonly targets: ConversationTarget[],
		private readonly filter: ConversationFilter,
		private readonly context: ListenerContext,
	) {
		this.roles = new ParticipantRoles(new Set(targets.map((target) => target.participantId)));
		this.ids = new Set(targets.map((target) => target.conversationId));
	}

	async onConnect(connection: OpenConnection, info: { reconnect: boolean }): Promise<void> {
		const open = this.targets.filter((target) => !this.ended.has(target.conversationId));
		if (!info.reconnect && !this.filter.emitHistory) open.forEach((target) => this.baseline.add(target.conversationId));
		await Promise.all(
			open.map((target) =>
				connection.request(
					EVENTS.joinConversation,
					joinPayload(target.conversationId, { id: target.participantId, name: target.participantName }),
					{
						timeoutMs: this.context.timeoutMs,
						label: `joinConversation (conversation ${target.conversationId})`,
						confirmedBy: joinConfirmation(target.conversationId),
					},
				),
			),
		);
	}

	onEvent(event: string, payload: unknown): void {
		if (event === EVENTS.messageArrived) this.onMessage(payload);
		else if (event === EVENTS.conversationInfo) this.onConversationInfo(payload);
	}

	private onMessage(payload: unknown): void {
		if (!isMessagePayload(payload)) {
			this.context.logger.warn('Skipped a messageArrived event that is neither a ChatMessage nor an ActivityMessage');
			return;
		}
		const conversationId = payload.conversationId;
		if (typeof conversationId !== 'string' || !this.ids.has(conversationId)) return;
		if (payload.activityType === 'endOfConversation') this.ended.add(conversationId);
		const subject = activitySubject(payload);
		if (subject) this.roles.learn([subject]);
		if (!this.isNew(payload) || !this.accepts(payload)) return;
		this.emit(messageToChatEvent(payload, this.roles));
	}

	private onConversationInfo(payload: unknown): void {
		if (!isRecord(payload)) return;
		const info = payload as ConversationInfoPayload;
		const conversationId = conversationIdOfInfo(info);
		if (!conversationId || !this.ids.has(conversationId)) return;
		this.roles.learn(participantsOfInfo(info));
		const messages = (Array.isArray(info.messages) ? info.messages : [])
			.filter(isMessagePayload)
			.map((message) => ({ ...message, conversationId: message.conversationId ?? conversationId }));
		if (this.baseline.delete(conversationId)) {
			messages.forEach((message) => this.isNew(message));
		} else {
			messages.forEach((message) => this.onMessage(message));
		}
		if (!this.filter.conversationInfo) return;
		const state = conversationState(info);
		if (this.reportedStates.get(conversationId) === state) return;
		this.reportedStates.set(conversationId, state);
		this.emit(conversationInfoToChatEvent(info, conversationId));
	}

	private accepts(message: MessagePayload): boolean {
		if (!this.filter.includeOwnMessages && this.roles.isOwn(message.from)) return false;
		if (message.type === 'ChatMessage') return this.filter.chatMessages;
		if (!this.filter.activities) return false;
		return this.filter.activityTypes.size === 0 || this.filter.activityTypes.has(String(message.activityType));
	}

	private isNew(message: MessagePayload): boolean {
		const key = messageKey(message);
		return key === undefined || this.seen.remember(key);
	}

	private emit(event: ChatEvent): void {
		// The reply address names the participant n8n plays, so Expertflow > Send Message can answer.
		const target = this.targets.find((candidate) => candidate.conversationId === event.conversationId);
		if (target) {
			event.replyTo = { ...event.replyTo, participantId: target.participantId };
			if (target.participantName) event.replyTo.participantName = target.participantName;
		}
		this.context.sink.emitEvents([event]);
	}
}

export interface ConnectorIdentity {
	id: string;
	name: string;
	channel: string;
}

/**
 * Connector mode: registers the connector after every (re)connect and emits the third-party
 * messages the server hands it (a campaign SMS with the customer's number in `refId`).
 */
export class ConnectorListener {
	private readonly seen = new RecentIds(SEEN_CAPACITY);
	private readonly roles = new ParticipantRoles(new Set());

	constructor(
		private readonly connector: ConnectorIdentity,
		private readonly events: ReadonlySet<string>,
		private readonly context: ListenerContext,
	) {}

	/**
	 * registerConnector has no documented reply: a negative acknowledgement fails the trigger, while
	 * silence is fine, so activation does not wait for it.
	 */
	onConnect(connection: OpenConnection): void {
		connection
			.request(EVENTS.registerConnector, registerConnectorPayload(this.connector), {
				timeoutMs: this.context.timeoutMs,
				label: `registerConnector (${this.connector.id})`,
			})
			.catch((error: Error & { kind?: string }) => {
				if (error.kind === 'refused') this.context.sink.fail(error);
				else this.context.logger.debug(`registerConnector was not acknowledged: ${error.message}`);
			});
	}

	onEvent(event: string, payload: unknown): void {
		if (!this.events.has(event)) return;
		if (!isRecord(payload)) {
			this.context.logger.warn(`Skipped a ${event} event whose payload is not an object`);
			return;
		}
		const message = { type: 'ChatMessage', ...payload } as MessagePayload;
		const key = messageKey(message);
		if (key !== undefined && !this.seen.remember(key)) return;
		const fallbackId = typeof message.refId === 'string' ? message.refId : '';
		this.context.sink.emitEvents([messageToChatEvent(message, this.roles, fallbackId)]);
	}
}
