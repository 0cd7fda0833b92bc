import {
	buildChatEvent,
	fileNameFromUrl,
	flattenButtons,
	mapAttachments,
	type ChatEvent,
	type ChatEventType,
	type ChatRole,
} from '../shared/chat-event';
import { REDACTED } from '../shared/redact';

/** NovaTalks SDK API: routes, WebSocket frames and the mapping of its payloads to ChatEvents. */

export const ROUTES = {
	conversations: '/api/v1/sdk/conversations',
	messages: '/api/v1/sdk/conversations/messages',
	messageStatus: '/api/v1/sdk/conversations/messages/status',
	message: (id: string | number) => `/api/v1/sdk/conversations/messages/${encodeURIComponent(String(id))}`,
	interactiveAttribute: (id: string | number) =>
		`/api/v1/sdk/conversations/messages/${encodeURIComponent(String(id))}/interactive-attribute`,
	reactions: (id: string | number) => `/api/v1/sdk/conversations/messages/${encodeURIComponent(String(id))}/reactions`,
	pushToken: (token: string) => `/api/v1/sdk/notifications/${encodeURIComponent(token)}`,
	settings: '/api/v1/sdk/settings',
} as const;

/** Header that carries the contact's pubsub token on every SDK request. */
export const TOKEN_HEADER = 'access_token';

export const MESSAGE_STATUSES = ['sent', 'delivered', 'seen', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** The server answers at most this many messages per request. */
export const MESSAGE_PAGE_SIZE = 20;

export interface NovaTalksAttachment {
	id?: number;
	message_id?: number;
	file_type?: string;
	fallback_title?: string | null;
	extension?: string | null;
	data_url?: string | null;
	thumb_url?: string | null;
	file_size?: number | null;
	mime_type?: string | null;
}

export interface NovaTalksSender {
	id?: number;
	name?: string | null;
	display_name?: string | null;
	displayName?: string | null;
	type?: string;
}

export interface NovaTalksButton {
	type?: string;
	title?: string;
	value?: string;
	url?: string;
}

export interface NovaTalksReaction {
	id?: number;
	content?: string;
	created_at?: number;
	sender?: NovaTalksSender;
}

export interface NovaTalksMessage {
	id: number;
	account_id?: number;
	conversation_id: number;
	content?: string | null;
	message_type?: 'incoming' | 'outgoing' | 'activity' | 'template' | string;
	content_type?: string;
	content_attributes?: { buttons?: NovaTalksButton[]; selected_value?: unknown; image_url?: string } & Record<
		string,
		unknown
	>;
	sender_type?: string;
	sender_id?: number;
	sender?: NovaTalksSender | null;
	status?: string;
	echo_id?: string | null;
	dialog_id?: string;
	attachments?: NovaTalksAttachment[];
	reactions?: NovaTalksReaction[];
	created_at?: number;
	updated_at?: number;
	deleted_at?: number | null;
}

export interface NovaTalksConversation {
	id: number;
	status?: string;
	substatus?: string;
	contact_inbox_id?: number;
}

/** POST /conversations answers this. */
export interface CreateConversationResponse {
	payload: {
		contact?: Record<string, unknown>;
		contactInbox: { pubsubToken: string };
		account_id?: number;
		conversation: NovaTalksConversation;
	};
}

/** GET /conversations: `{conversation, messages}` in the OpenAPI, a bare message list in the markdown doc. */
export type GetConversationResponse = { conversation?: NovaTalksConversation | null; messages?: NovaTalksMessage[] } | NovaTalksMessage[];

export function readConversation(body: unknown): { conversation?: NovaTalksConversation; messages: NovaTalksMessage[] } {
	if (Array.isArray(body)) return { messages: body as NovaTalksMessage[] };
	if (body && typeof body === 'object') {
		const record = body as { conversation?: NovaTalksConversation | null; messages?: unknown };
		return {
			conversation: record.conversation ?? undefined,
			messages: Array.isArray(record.messages) ? (record.messages as NovaTalksMessage[]) : [],
		};
	}
	return { messages: [] };
}

/** Message lists come as an array; some deployments wrap them as `{payload: [...]}`. */
export function readMessages(body: unknown): NovaTalksMessage[] {
	if (Array.isArray(body)) return body as NovaTalksMessage[];
	if (body && typeof body === 'object') {
		const record = body as { payload?: unknown; messages?: unknown };
		if (Array.isArray(record.payload)) return record.payload as NovaTalksMessage[];
		if (Array.isArray(record.messages)) return record.messages as NovaTalksMessage[];
	}
	return [];
}

// ---------------------------------------------------------------------------------------------
// WebSocket

export const WS_EVENTS = [
	'message.created',
	'message.updated',
	'message.deleted',
	'message.reaction_updated',
	'conversation.status_changed',
	'typing',
] as const;
export type NovaTalksWsEvent = (typeof WS_EVENTS)[number];

export interface NovaTalksFrame {
	event: string;
	data?: unknown;
}

export const subscribeFrame = (pubsubToken: string, accountId: number) => ({
	event: 'subscribe',
	data: { pubsub_token: pubsubToken, account_id: accountId },
});

/** The client's answer to the server's `presence.update` keepalive. */
export const PRESENCE_ANSWER = { event: 'update_presence' };

export const typingFrame = (conversationId: number, accountId: number) => ({
	event: 'typing',
	data: { conversation_id: conversationId, account_id: accountId },
});

export function isFrame(message: unknown): message is NovaTalksFrame {
	return !!message && typeof message === 'object' && typeof (message as NovaTalksFrame).event === 'string';
}

export const isSubscriptionConfirmed = (message: unknown): boolean =>
	isFrame(message) && message.event === 'confirm_subscription';

/** A subscription the server refused in words (some deployments answer instead of staying silent). */
export const isSubscriptionRejected = (message: unknown): boolean =>
	isFrame(message) && (message.event === 'reject_subscription' || message.event === 'error');

export const isPresenceCheck = (message: unknown): boolean => isFrame(message) && message.event === 'presence.update';

/** `wss://<host>/ws` (or `ws://` for an http base URL) unless the credential names one. */
export function webSocketUrlFor(baseUrl: string, configured?: string): string {
	if (configured && configured.trim() !== '') return configured.trim();
	const url = new URL(baseUrl);
	const scheme = url.protocol === 'http:' ? 'ws:' : 'wss:';
	return `${scheme}//${url.host}/ws`;
}

// ---------------------------------------------------------------------------------------------
// Replies

export interface ReplyTo {
	dialogId: string;
	messageId: string | number;
	content: string;
}

const REPLY_PATTERN =
	/^\[RepliedMessageDialogId:\]([\s\S]*?)\[RepliedMessageId:\]([\s\S]*?)\[RepliedContent:\]([\s\S]*?)\[Content:\]([\s\S]*)$/;

/** The content the SDK expects for a reply: `[RepliedMessageDialogId:]…[RepliedMessageId:]…[RepliedContent:]…[Content:]…`. */
export function buildReplyContent(reply: ReplyTo, content: string): string {
	return `[RepliedMessageDialogId:]${reply.dialogId}[RepliedMessageId:]${reply.messageId}[RepliedContent:]${reply.content}[Content:]${content}`;
}

export function parseReplyContent(content: string): { reply: ReplyTo; content: string } | undefined {
	const match = REPLY_PATTERN.exec(content);
	if (!match) return undefined;
	return { reply: { dialogId: match[1], messageId: match[2], content: match[3] }, content: match[4] };
}

// ---------------------------------------------------------------------------------------------
// ChatEvents

const PROVIDER = 'novatalks';

const MESSAGE_EVENT_TYPES: Record<string, ChatEventType> = {
	'message.created': 'message',
	'message.updated': 'message_updated',
	'message.deleted': 'message_deleted',
	'message.reaction_updated': 'reaction',
};

/** Who wrote a message, seen from the chat: n8n plays the contact (`customer`). */
export function messageRole(message: Pick<NovaTalksMessage, 'message_type' | 'sender_type' | 'sender'>): ChatRole {
	if (message.message_type === 'incoming') return 'customer';
	if (message.message_type === 'outgoing') return senderKind(message) === 'AgentBot' ? 'bot' : 'agent';
	return 'system';
}

/** Agent-side messages: what a human agent or a bot on the NovaTalks desk wrote. */
export const isAgentMessage = (message: NovaTalksMessage): boolean => message.message_type === 'outgoing';

function senderKind(message: Pick<NovaTalksMessage, 'sender_type' | 'sender'>): string | undefined {
	return message.sender_type ?? message.sender?.type;
}

function senderOf(role: ChatRole, sender: NovaTalksSender | null | undefined, fallbackId?: number) {
	const id = sender?.id ?? fallbackId;
	const name = sender?.display_name || sender?.displayName || sender?.name || undefined;
	return { role, id: id === undefined ? undefined : String(id), name: name ?? undefined };
}

function attachmentsOf(list: NovaTalksAttachment[] | undefined) {
	return mapAttachments(list, (attachment) => ({
		url: attachment.data_url,
		name: attachment.fallback_title || fileNameFromUrl(attachment.data_url),
		mimeType: attachment.mime_type,
		size: attachment.file_size,
	}));
}

/** Text of a message as a person reads it: replies lose their quoting prefix (raw keeps it). */
function textOf(content: string | null | undefined): string | undefined {
	if (content === null || content === undefined) return undefined;
	if (!content.startsWith('[RepliedMessageDialogId:]')) return content;
	return parseReplyContent(content)?.content ?? content;
}

/** A message (REST or `message.*` frame data) as a ChatEvent. */
export function messageToChatEvent(
	message: NovaTalksMessage,
	type: ChatEventType = 'message',
	raw: object = message,
): ChatEvent {
	return buildChatEvent({
		provider: PROVIDER,
		type,
		conversationId: message.conversation_id,
		messageId: message.id,
		from: senderOf(messageRole(message), message.sender, message.sender_id),
		text: textOf(message.content),
		attachments: attachmentsOf(message.attachments),
		buttons: flattenButtons(message.content_attributes?.buttons, (button) => ({
			title: button.title,
			value: button.value,
			url: button.url,
		})),
		status: type === 'message_deleted' ? 'deleted' : message.status,
		timestamp: timestampOf(type, message),
		raw,
	});
}

function timestampOf(type: ChatEventType, message: NovaTalksMessage): number | undefined {
	if (type === 'message_deleted') return message.deleted_at ?? message.updated_at ?? message.created_at;
	if (type === 'message_updated' || type === 'reaction') return message.updated_at ?? message.created_at;
	return message.created_at;
}

interface StatusChangedData {
	id: number;
	status?: string;
	timestamp?: number;
	updated_at?: number;
	created_at?: number;
	meta?: { assignee?: NovaTalksSender | null; sender?: NovaTalksSender | null };
}

interface TypingData {
	conversation_id: number;
	sender?: NovaTalksSender;
	sender_type?: string;
}

interface ReactionData {
	id: number;
	conversation_id: number;
	reactions?: NovaTalksReaction[];
	updated_at?: number;
}

/** Any WebSocket event frame as a ChatEvent; undefined for frames that carry no chat event. */
export function frameToChatEvent(frame: NovaTalksFrame): ChatEvent | undefined {
	const data = frame.data;
	if (!data || typeof data !== 'object') return undefined;
	const messageType = MESSAGE_EVENT_TYPES[frame.event];
	if (frame.event === 'message.reaction_updated') return reactionToChatEvent(data as ReactionData, frame);
	if (messageType) return messageToChatEvent(data as NovaTalksMessage, messageType, frame);
	if (frame.event === 'conversation.status_changed') {
		const conversation = data as StatusChangedData;
		return buildChatEvent({
			provider: PROVIDER,
			type: 'status',
			conversationId: conversation.id,
			from: { role: 'system' },
			status: conversation.status,
			timestamp: conversation.timestamp ?? conversation.updated_at ?? conversation.created_at,
			raw: withContactIdentifierMasked(frame, conversation),
		});
	}
	if (frame.event === 'typing') {
		const typing = data as TypingData;
		const role: ChatRole = typing.sender_type === 'Contact' ? 'customer' : 'agent';
		return buildChatEvent({
			provider: PROVIDER,
			type: 'typing',
			conversationId: typing.conversation_id,
			from: senderOf(role, typing.sender),
			raw: frame,
		});
	}
	return undefined;
}

/**
 * The frame with `meta.sender.identifier` masked: the vendor's example shows a contact token there, and a
 * contact token is a secret (it reads and writes the conversation).
 */
function withContactIdentifierMasked(frame: NovaTalksFrame, conversation: StatusChangedData): NovaTalksFrame {
	const meta = conversation.meta;
	const sender = meta?.sender as (NovaTalksSender & { identifier?: unknown }) | null | undefined;
	if (!meta || !sender || sender.identifier === undefined || sender.identifier === null) return frame;
	return { ...frame, data: { ...conversation, meta: { ...meta, sender: { ...sender, identifier: REDACTED } } } };
}

function reactionToChatEvent(data: ReactionData, frame: NovaTalksFrame): ChatEvent {
	const reactions = data.reactions ?? [];
	const latest = reactions.reduce<NovaTalksReaction | undefined>(
		(newest, reaction) => ((reaction.created_at ?? 0) >= (newest?.created_at ?? 0) ? reaction : newest),
		undefined,
	);
	const role: ChatRole = latest?.sender?.type === 'Contact' ? 'customer' : latest ? 'agent' : 'system';
	return buildChatEvent({
		provider: PROVIDER,
		type: 'reaction',
		conversationId: data.conversation_id,
		messageId: data.id,
		from: senderOf(role, latest?.sender),
		text: reactions.map((reaction) => reaction.content).filter(Boolean).join(''),
		timestamp: data.updated_at ?? latest?.created_at,
		raw: frame,
	});
}

// ---------------------------------------------------------------------------------------------
// Push notification webhook

export const PUSH_EVENTS = ['conversation_new_message', 'conversation_status_change'] as const;
export type PushEvent = (typeof PUSH_EVENTS)[number];

export interface PushNotification {
	type: string;
	event_name: string;
	push_tokens?: string[];
	payload: {
		account_id?: number;
		conversation_id: number;
		message_id?: number;
		ts?: number;
		sender?: NovaTalksSender;
		title?: string;
		body?: string | null;
		message_type?: string;
		content_type?: string;
		dialog_id?: string;
		status?: string;
		created_at?: number;
		attachments?: NovaTalksAttachment[];
		additional_params?: Record<string, unknown>;
	};
}

export const PUSH_TYPE = 'ntk.sdk.chat';

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const isAbsent = (value: unknown) => value === undefined || value === null;
const isId = (value: unknown) =>
	(typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && /^\d+$/.test(value));

/** The field of a push payload that breaks the documented shape, or undefined for one that follows it. */
function payloadProblem(payload: Record<string, unknown>): string | undefined {
	if (!isId(payload.conversation_id)) return 'payload.conversation_id must be a number';
	if (!isAbsent(payload.message_id) && !isId(payload.message_id)) return 'payload.message_id must be a number';
	for (const field of ['body', 'title', 'status', 'message_type', 'content_type', 'dialog_id']) {
		if (!isAbsent(payload[field]) && typeof payload[field] !== 'string') return `payload.${field} must be a string or null`;
	}
	for (const field of ['ts', 'created_at']) {
		if (!isAbsent(payload[field]) && typeof payload[field] !== 'number') return `payload.${field} must be epoch milliseconds`;
	}
	const sender = payload.sender;
	if (!isAbsent(sender)) {
		if (!isRecord(sender)) return 'payload.sender must be an object';
		for (const field of ['name', 'display_name', 'type']) {
			if (!isAbsent(sender[field]) && typeof sender[field] !== 'string') return `payload.sender.${field} must be a string`;
		}
	}
	const attachments = payload.attachments;
	if (!isAbsent(attachments)) {
		if (!Array.isArray(attachments)) return 'payload.attachments must be an array';
		const index = attachments.findIndex((attachment) => !isRecord(attachment) || typeof attachment.data_url !== 'string');
		if (index >= 0) return `payload.attachments[${index}] must be an object with a data_url string`;
	}
	return undefined;
}

/** Why a webhook body is not a NovaTalks push notification as documented; undefined when it is one. */
export function pushNotificationProblem(body: unknown): string | undefined {
	if (!isRecord(body)) return 'the body must be a JSON object';
	if (body.type !== PUSH_TYPE) return `type must be "${PUSH_TYPE}"`;
	if (typeof body.event_name !== 'string') return 'event_name must be a string';
	if (!isRecord(body.payload)) return 'payload must be an object';
	return payloadProblem(body.payload);
}

export function isPushNotification(body: unknown): body is PushNotification {
	return pushNotificationProblem(body) === undefined;
}

/** Identifies one notification, so a repeated delivery can be recognised. */
export function pushNotificationKey(notification: PushNotification): string {
	const { payload } = notification;
	const what = payload.message_id ?? `${payload.status ?? ''}@${payload.ts ?? payload.created_at ?? ''}`;
	return `${notification.event_name}:${payload.conversation_id}:${what}`;
}

export function pushToChatEvent(notification: PushNotification): ChatEvent {
	const { payload } = notification;
	if (notification.event_name === 'conversation_status_change') {
		return buildChatEvent({
			provider: PROVIDER,
			type: 'status',
			conversationId: payload.conversation_id,
			from: { role: 'system' },
			status: payload.status,
			text: payload.title,
			timestamp: payload.ts,
			raw: notification,
		});
	}
	const role: ChatRole =
		payload.message_type === 'incoming' ? 'customer' : payload.sender?.type === 'AgentBot' ? 'bot' : 'agent';
	return buildChatEvent({
		provider: PROVIDER,
		type: 'message',
		conversationId: payload.conversation_id,
		messageId: payload.message_id,
		from: senderOf(role, payload.sender),
		text: textOf(payload.body),
		attachments: attachmentsOf(payload.attachments),
		status: payload.status,
		timestamp: payload.created_at ?? payload.ts,
		raw: notification,
	});
}
