import { randomUUID } from 'node:crypto';

import {
	buildChatEvent,
	mapAttachments,
	type ChatAttachment,
	type ChatEvent,
	type ChatEventType,
	type ChatRole,
} from '../shared/chat-event';
import { FALLBACK_PARTICIPANT_NAME } from './participant-names';

/** Expertflow Hybrid Chat, Customer Channel API: REST routes, Socket.IO events and payloads. */

export const ROUTES = {
	init: '/api/customer/init',
	transcript: (conversationId: string, type: TranscriptType) =>
		`/api/customer/transcript/${encodeURIComponent(conversationId)}/${type}`,
};

export const EVENTS = {
	registerConnector: 'registerConnector',
	joinConversation: 'joinConversation',
	messageArrived: 'messageArrived',
	sendMessage: 'sendMessage',
	endConversation: 'endConversation',
	conversationInfo: 'conversationInfo',
} as const;

export type TranscriptType = 'pdf' | 'email';

export const ACTIVITY_TYPES = [
	'greetings',
	'typing',
	'participantAdded',
	'participantRemoved',
	'participantJoined',
	'participantLeft',
	'handOff',
	'noAgentAvailable',
	'endOfConversation',
] as const;

export interface Participant {
	id?: string;
	name?: string;
	/** Not in the schema, but sent by some deployments (customer, agent, bot, system). */
	type?: string;
	role?: string;
	[key: string]: unknown;
}

export interface Attachment {
	type?: string;
	name?: string;
	contentUrl?: string;
	thumbnailUrl?: string;
}

/** The fields ChatMessage and ActivityMessage share; `id` and `timestamp` are sent by the server too. */
export interface MessagePayload {
	id?: string;
	conversationId?: string;
	type?: 'ChatMessage' | 'ActivityMessage' | string;
	from?: Participant;
	to?: Participant[];
	text?: string;
	refId?: string;
	tag?: string;
	attachments?: Attachment[];
	activityType?: string;
	info?: Record<string, unknown>;
	timestamp?: string | number;
	[key: string]: unknown;
}

export interface ConversationInfoPayload {
	conversation?: Record<string, unknown>;
	conversationId?: string;
	messages?: MessagePayload[];
	participant?: Participant[] | Participant;
	participants?: Participant[];
	role?: string;
	[key: string]: unknown;
}

export interface InitResponse {
	conversationId?: string;
	participant?: Participant | string;
	requestId?: string;
	timestamp?: string;
	[key: string]: unknown;
}

export interface ParticipantRef {
	id: string;
	name?: string;
}

/** joinConversation's payload; the spec lists `name`, so it is always there (a fallback when none is known). */
export function joinPayload(conversationId: string, participant: ParticipantRef) {
	return { conversationId, id: participant.id, name: participant.name || FALLBACK_PARTICIPANT_NAME };
}

export function registerConnectorPayload(connector: { id: string; name: string; channel: string }) {
	return { id: connector.id, name: connector.name, channel: connector.channel };
}

export interface ChatMessageInput {
	conversationId: string;
	from: ParticipantRef;
	to?: ParticipantRef[];
	text: string;
	attachments?: Attachment[];
	whisper?: boolean;
	refId?: string;
}

/** A ChatMessage as `sendMessage` takes it; the id lets the sender recognise its own message. */
export function chatMessage(input: ChatMessageInput): MessagePayload {
	const message: MessagePayload = {
		id: randomUUID(),
		conversationId: input.conversationId,
		type: 'ChatMessage',
		from: senderOf(input.from),
		to: (input.to ?? []).map(participantOf),
		text: input.text,
		timestamp: new Date().toISOString(),
	};
	if (input.attachments && input.attachments.length > 0) message.attachments = input.attachments;
	if (input.whisper) message.tag = 'whisper';
	if (input.refId) message.refId = input.refId;
	return message;
}

export interface ActivityMessageInput {
	conversationId: string;
	from: ParticipantRef;
	to?: ParticipantRef[];
	activityType: string;
	info?: Record<string, unknown>;
}

export function activityMessage(input: ActivityMessageInput): MessagePayload {
	const message: MessagePayload = {
		id: randomUUID(),
		conversationId: input.conversationId,
		type: 'ActivityMessage',
		from: senderOf(input.from),
		to: (input.to ?? []).map(participantOf),
		activityType: input.activityType,
		timestamp: new Date().toISOString(),
	};
	if (input.info && Object.keys(input.info).length > 0) message.info = input.info;
	return message;
}

function participantOf(ref: ParticipantRef): Participant {
	return ref.name ? { id: ref.id, name: ref.name } : { id: ref.id };
}

/** A message's `from`, with the name the spec lists (a fallback when none is known). */
function senderOf(ref: ParticipantRef): Participant {
	return { id: ref.id, name: ref.name || FALLBACK_PARTICIPANT_NAME };
}

/** The participant id from an init answer, which some deployments send as an object and some as a string. */
export function participantIdOf(participant: InitResponse['participant']): string | undefined {
	if (typeof participant === 'string') return participant;
	return typeof participant?.id === 'string' ? participant.id : undefined;
}

/** An acknowledgement that reports a failure, in the shapes Socket.IO servers commonly use. */
export function ackFailure(reply: unknown): string | undefined {
	if (reply === false) return 'the server refused the request';
	if (!isRecord(reply)) return undefined;
	const status = typeof reply.status === 'string' ? reply.status.toLowerCase() : undefined;
	const failed = status === 'error' || status === 'failed' || status === 'failure' || reply.success === false;
	const message = textOf(reply.message) ?? textOf(reply.error) ?? textOf(reply.reason);
	if (failed) return message ?? 'the server refused the request';
	if (reply.error !== undefined && reply.error !== null && reply.error !== false) return message ?? 'the server reported an error';
	return undefined;
}

function textOf(value: unknown): string | undefined {
	if (typeof value === 'string' && value !== '') return value;
	if (isRecord(value) && typeof value.message === 'string') return value.message;
	return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isMessagePayload(value: unknown): value is MessagePayload {
	return isRecord(value) && (value.type === 'ChatMessage' || value.type === 'ActivityMessage');
}

/** The conversation a conversationInfo payload is about. */
export function conversationIdOfInfo(info: ConversationInfoPayload): string | undefined {
	const conversation = info.conversation;
	const candidates = [
		info.conversationId,
		conversation?.id,
		conversation?._id,
		conversation?.conversationId,
		info.messages?.find((message) => message?.conversationId)?.conversationId,
	];
	const found = candidates.find((value) => typeof value === 'string' && value !== '');
	return found as string | undefined;
}

export function participantsOfInfo(info: ConversationInfoPayload): Participant[] {
	const list = info.participants ?? info.participant;
	if (Array.isArray(list)) return list.filter(isRecord) as Participant[];
	return isRecord(list) ? [list as Participant] : [];
}

/**
 * A key that identifies one message across deliveries: the server's id, or (without one) the
 * fields that make a message unique at its timestamp. Without either there is no safe key.
 */
export function messageKey(message: MessagePayload): string | undefined {
	const id = message.id ?? message._id ?? message.messageId;
	if (typeof id === 'string' || typeof id === 'number') return `id:${id}`;
	if (message.timestamp === undefined || message.timestamp === null || message.timestamp === '') return undefined;
	return [
		'fp',
		message.conversationId,
		message.type,
		message.activityType ?? '',
		message.from?.id ?? '',
		message.text ?? '',
		String(message.timestamp),
	].join('|');
}

/** Roles of the participants of a conversation, and the ids n8n itself joins with. */
export class ParticipantRoles {
	private readonly roles = new Map<string, ChatRole>();

	constructor(private readonly ownIds: ReadonlySet<string>) {}

	learn(participants: Participant[]): void {
		for (const participant of participants) {
			const role = declaredRole(participant);
			if (participant.id && role) this.roles.set(participant.id, role);
		}
	}

	isOwn(participant: Participant | undefined): boolean {
		return typeof participant?.id === 'string' && this.ownIds.has(participant.id);
	}

	/** customer for n8n's own participant, else what the payload or conversationInfo said, else `fallback`. */
	roleOf(participant: Participant | undefined, fallback: ChatRole): ChatRole {
		if (!participant) return fallback;
		if (this.isOwn(participant)) return 'customer';
		return declaredRole(participant) ?? (participant.id ? this.roles.get(participant.id) : undefined) ?? fallback;
	}
}

function declaredRole(participant: Participant): ChatRole | undefined {
	const declared = [participant.role, participant.type, participant.participantType].find(
		(value) => typeof value === 'string' && value !== '',
	) as string | undefined;
	if (!declared) return undefined;
	const text = declared.toLowerCase();
	if (text.includes('customer')) return 'customer';
	if (text.includes('bot')) return 'bot';
	if (text.includes('agent')) return 'agent';
	if (text.includes('system')) return 'system';
	return undefined;
}

const ACTIVITY_EVENT_TYPES: Record<string, ChatEventType> = {
	greetings: 'session_started',
	typing: 'typing',
	handOff: 'escalation',
	endOfConversation: 'session_ended',
};

/** The participant an activity is about (participantJoined and friends carry it in `info`). */
export function activitySubject(message: MessagePayload): Participant | undefined {
	const info = message.info;
	if (!isRecord(info)) return undefined;
	const subject = info.participant ?? info.user ?? info.agent;
	return isRecord(subject) ? (subject as Participant) : undefined;
}

/** A messageArrived payload as a ChatEvent. */
export function messageToChatEvent(message: MessagePayload, roles: ParticipantRoles, fallbackConversationId = ''): ChatEvent {
	const conversationId = message.conversationId ?? fallbackConversationId;
	if (message.type === 'ActivityMessage') {
		const activityType = message.activityType ?? 'unknown';
		return buildChatEvent({
			provider: 'expertflow',
			type: ACTIVITY_EVENT_TYPES[activityType] ?? 'status',
			conversationId,
			messageId: message.id,
			from: { role: roles.roleOf(message.from, 'system'), id: message.from?.id, name: message.from?.name },
			status: activityType,
			timestamp: message.timestamp,
			raw: message,
		});
	}
	return buildChatEvent({
		provider: 'expertflow',
		type: 'message',
		conversationId,
		messageId: message.id,
		from: {
			role: roles.roleOf(message.from, message.from ? 'agent' : 'system'),
			id: message.from?.id,
			name: message.from?.name,
		},
		text: typeof message.text === 'string' ? message.text : undefined,
		attachments: attachmentsOf(message),
		timestamp: message.timestamp,
		raw: message,
	});
}

export function attachmentsOf(message: MessagePayload): ChatAttachment[] {
	const list = Array.isArray(message.attachments) ? message.attachments.filter(isRecord) : [];
	return mapAttachments(list as Attachment[], (attachment) => ({
		url: attachment.contentUrl,
		name: attachment.name,
		mimeType: attachment.type,
	}));
}

/** The state a conversationInfo reports (the conversation's own state or status field, else active). */
export function conversationState(info: ConversationInfoPayload): string {
	const conversation = info.conversation ?? {};
	const state = conversation.state ?? conversation.status ?? info.state ?? info.status;
	return typeof state === 'string' && state !== '' ? state : 'active';
}

export function conversationInfoToChatEvent(info: ConversationInfoPayload, conversationId: string): ChatEvent {
	return buildChatEvent({
		provider: 'expertflow',
		type: 'status',
		conversationId,
		from: { role: 'system' },
		status: conversationState(info),
		timestamp: info.conversation?.updatedAt ?? info.conversation?.timestamp ?? info.timestamp,
		raw: info,
	});
}

/** Events that confirm a join besides an acknowledgement: the conversationInfo or greeting that follow it. */
export function joinConfirmation(conversationId: string) {
	return (event: string, payload: unknown): boolean => {
		if (event === EVENTS.conversationInfo) return isRecord(payload) && conversationIdOfInfo(payload) === conversationId;
		return (
			event === EVENTS.messageArrived &&
			isMessagePayload(payload) &&
			payload.conversationId === conversationId &&
			payload.activityType === 'greetings'
		);
	};
}

/** A server that does not acknowledge may still echo the message back to the room. */
export function echoOf(messageId: string | undefined) {
	return (event: string, payload: unknown): boolean =>
		event === EVENTS.messageArrived && isMessagePayload(payload) && messageId !== undefined && payload.id === messageId;
}

/** endOfConversation for the conversation confirms an endConversation. */
export function endConfirmation(conversationId: string) {
	return (event: string, payload: unknown): boolean =>
		event === EVENTS.messageArrived &&
		isMessagePayload(payload) &&
		payload.conversationId === conversationId &&
		payload.activityType === 'endOfConversation';
}
