import type { IDataObject } from 'n8n-workflow';

import { buildChatEvent, fileNameFromUrl, toAttachment, type ChatEvent, type ChatRole } from '../shared/chat-event';

/** The routes of the tenant-side ServiceMind concierge API. */
export const ROUTES = {
	initChat: 'client/init-chat-with-concierge',
	getSession: 'client/get-chat-session',
	getMessages: 'client/get-chat-messages',
	ping: 'client/ping-on-chat-session',
	sendMessage: 'client/send-message',
	deleteMessage: 'client/delete-message',
	markSeen: 'client/update-message-seen-at',
	unreadCount: 'client/get-unread-msg-count',
	endChat: 'client/end-chat-with-concierge',
} as const;

/** Pushed event channels: `chat-message-<chatSessionId>`, `chat-session-update-<chatSessionId>`, `chat-message-delete`. */
const MESSAGE_CHANNEL = 'chat-message-';
const SESSION_UPDATE_CHANNEL = 'chat-session-update-';
const DELETE_CHANNEL = 'chat-message-delete';

/** AWS API Gateway: 128 KB per message (bigger closes the socket with 1009), 32 KB per frame. */
export const MAX_MESSAGE_BYTES = 128 * 1024;
export const MAX_FRAME_BYTES = 32 * 1024;
/** API Gateway's integration timeout: no reply comes later than this. */
export const DEFAULT_REPLY_TIMEOUT_MS = 29_000;

export type ContentType = 'TEXT' | 'FILE' | 'IMAGE';
export type SenderType = 'TENANT' | 'BACKEND_USER';

export interface ChatMessage {
	id: string | number;
	chatSessionId: string;
	senderEntityType?: SenderType | string;
	senderEntityId?: string | number | null;
	messageContent?: string | null;
	contentType?: ContentType | string;
	sentAt?: string | number | null;
	seenAt?: string | number | null;
	deliveredAt?: string | number | null;
	status?: number | string | null;
	metadata?: unknown;
	metdata?: unknown;
	[key: string]: unknown;
}

export interface ChatSession {
	chatSessionId: string;
	isSessionClosed?: boolean;
	chatJoinedByEntityType?: SenderType | string | null;
	chatJoinedByEntityId?: string | number | null;
	lastPingedByChatInitiator?: string | number | null;
	lastPingedByChatJoiner?: string | number | null;
	[key: string]: unknown;
}

/** What the gateway answers to every request frame. */
export interface RouteReply {
	channel: string;
	status: number | string;
	body?: unknown;
}

export interface MessagesPage {
	messages: ChatMessage[];
	paginate?: { per_page?: number | string; offset?: number | string; page?: number | string };
}

/** The request frame every route takes. */
export function apiFrame(route: string, body: IDataObject): IDataObject {
	return { action: 'api', data: { route, body } };
}

/** `client/get-chat-messages?page=2&limit=50`: the route carries its paging, and so does the reply's channel. */
export function messagesRoute(page: number, limit: number): string {
	return `${ROUTES.getMessages}?page=${page}&limit=${limit}`;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Accepts the reply to `route`: the same channel (query string included) and, for a route about one
 * chat session, a successful reply about that session (an error reply cannot say which session it is for).
 */
export function replyMatcher(route: string, chatSessionId?: string): (message: unknown) => boolean {
	return (message) => {
		if (!isRecord(message) || message.channel !== route || message.status === undefined) return false;
		if (!chatSessionId || Number(message.status) !== 200 || !isRecord(message.body)) return true;
		const replyId = message.body.chatSessionId;
		return replyId === undefined || replyId === null || String(replyId) === chatSessionId;
	};
}

/** Number when the text is an integer (the API takes `messageId: 133`), the text otherwise. */
export function numericId(id: string | number): string | number {
	const text = String(id).trim();
	return /^\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
}

/** FILE or IMAGE for a MIME type or file name. */
export function contentTypeFor(mimeType: string | undefined, fileName?: string): ContentType {
	if (mimeType && mimeType.toLowerCase().startsWith('image/')) return 'IMAGE';
	if (!mimeType && fileName && IMAGE_EXTENSION.test(fileName)) return 'IMAGE';
	return 'FILE';
}

const IMAGE_EXTENSION = /\.(png|jpe?g|gif|webp|bmp|svg|heic|heif|tiff?)$/i;

/** A pushed frame, read from `payload` (what the service sends) or `body` (what its document shows). */
export type PushedEvent =
	| { kind: 'message'; chatSessionId: string; message: ChatMessage; raw: Record<string, unknown> }
	| { kind: 'sessionUpdate'; chatSessionId: string; session: ChatSession; raw: Record<string, unknown> }
	| { kind: 'messageDeleted'; chatSessionId?: string; messageId: string; raw: Record<string, unknown> };

export function parsePushedFrame(frame: unknown): PushedEvent | undefined {
	if (!isRecord(frame) || typeof frame.channel !== 'string') return undefined;
	const channel = frame.channel;
	const data = isRecord(frame.payload) ? frame.payload : isRecord(frame.body) ? frame.body : undefined;
	if (!data) return undefined;
	if (channel === DELETE_CHANNEL) {
		if (data.messageId === undefined || data.messageId === null) return undefined;
		const chatSessionId = stringOrUndefined(data.chatSessionId);
		return { kind: 'messageDeleted', chatSessionId, messageId: String(data.messageId), raw: frame };
	}
	if (channel.startsWith(SESSION_UPDATE_CHANNEL)) {
		if (!isRecord(data.chatSession)) return undefined;
		const session = data.chatSession as ChatSession;
		const chatSessionId = String(session.chatSessionId ?? channel.slice(SESSION_UPDATE_CHANNEL.length));
		return { kind: 'sessionUpdate', chatSessionId, session, raw: frame };
	}
	if (channel.startsWith(MESSAGE_CHANNEL)) {
		if (!isRecord(data.chatMessage) || data.chatMessage.id === undefined) return undefined;
		const message = data.chatMessage as ChatMessage;
		const chatSessionId = String(message.chatSessionId ?? data.chatSessionId ?? channel.slice(MESSAGE_CHANNEL.length));
		return { kind: 'message', chatSessionId, message, raw: frame };
	}
	return undefined;
}

const MESSAGE_STATUS: Record<string, string> = { '3': 'delivered', '4': 'seen' };

export function roleOf(senderType: unknown): ChatRole {
	if (senderType === 'BACKEND_USER') return 'agent';
	if (senderType === 'TENANT') return 'customer';
	return 'system';
}

/** A chat message as a ChatEvent: ids as strings, epoch-ms strings as ISO time, files as attachments. */
export function messageToChatEvent(message: ChatMessage, raw: object = message): ChatEvent {
	const contentType = String(message.contentType ?? 'TEXT').toUpperCase();
	const content = typeof message.messageContent === 'string' ? message.messageContent : undefined;
	const isFile = contentType === 'FILE' || contentType === 'IMAGE';
	const metadata = isRecord(message.metadata) ? message.metadata : isRecord(message.metdata) ? message.metdata : {};
	return buildChatEvent({
		provider: 'concierge',
		type: 'message',
		conversationId: message.chatSessionId,
		messageId: message.id,
		from: {
			role: roleOf(message.senderEntityType),
			id: message.senderEntityId === undefined || message.senderEntityId === null ? undefined : String(message.senderEntityId),
		},
		text: isFile ? undefined : content,
		attachments: isFile
			? [
					toAttachment({
						url: content,
						name: metadata.fileName ?? fileNameFromUrl(content),
						mimeType: metadata.mimeType,
						size: metadata.size,
					}),
				]
			: [],
		status: message.status === undefined || message.status === null ? undefined : (MESSAGE_STATUS[String(message.status)] ?? String(message.status)),
		timestamp: message.sentAt,
		raw,
	});
}

export function sessionToChatEvent(session: ChatSession, raw: object = session): ChatEvent {
	const joined = session.chatJoinedByEntityType !== undefined && session.chatJoinedByEntityType !== null;
	const closed = session.isSessionClosed === true;
	return buildChatEvent({
		provider: 'concierge',
		type: closed ? 'session_ended' : 'status',
		conversationId: session.chatSessionId,
		from: joined
			? { role: roleOf(session.chatJoinedByEntityType), id: idText(session.chatJoinedByEntityId) }
			: { role: 'system' },
		status: closed ? 'closed' : joined ? 'joined' : 'waiting',
		timestamp: latest(session.lastPingedByChatJoiner, session.lastPingedByChatInitiator),
		raw,
	});
}

export function deletionToChatEvent(chatSessionId: string, messageId: string, raw: object): ChatEvent {
	return buildChatEvent({
		provider: 'concierge',
		type: 'message_deleted',
		conversationId: chatSessionId,
		messageId,
		from: { role: 'system' },
		raw,
	});
}

function idText(value: unknown): string | undefined {
	return value === undefined || value === null || value === '' ? undefined : String(value);
}

function stringOrUndefined(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The later of two epoch-ms values (numbers or numeric strings); undefined when neither is set. */
function latest(...values: unknown[]): number | undefined {
	const numbers = values.map(Number).filter((value) => Number.isFinite(value) && value > 0);
	return numbers.length > 0 ? Math.max(...numbers) : undefined;
}
