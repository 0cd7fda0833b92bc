import type { IDataObject } from 'n8n-workflow';

import {
	buildChatEvent,
	flattenButtons,
	toAttachment,
	type ChatAttachment,
	type ChatButton,
	type ChatEvent,
	type ChatEventType,
	type ChatRole,
} from '../shared/chat-event';
import { REDACTED, redactValue } from '../shared/redact';

/** Routes below `<baseUrl>/<token>`, as the Chat API names them. */
export const routes = {
	send: '',
	sendAsync: '/async',
	events: '/events',
	history: (clientId: string) => `/client/${encodeURIComponent(clientId)}/history`,
	chatState: (clientId: string) => `/client/${encodeURIComponent(clientId)}/state`,
	messageStatus: (clientId: string, questionId: string) =>
		`/client/${encodeURIComponent(clientId)}/message/${encodeURIComponent(questionId)}/status`,
	messageStatuses: (clientId: string) => `/client/${encodeURIComponent(clientId)}/message-statuses`,
	unreadCount: (clientId: string) => `/client/${encodeURIComponent(clientId)}/message-not-read-count`,
};

export const MESSAGE_STATUSES = ['SENT', 'DELIVERED', 'READ', 'NOT_SENT'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** `/events` answers with at most this many events. */
export const MAX_EVENTS_PER_POLL = 250;

/** One bot reply: text, buttons, image, audio, carousel, switch (to an operator), hangup, … */
export interface JaicpReply {
	type?: string;
	text?: string;
	markup?: string;
	tts?: string;
	state?: string;
	buttons?: Array<{ text?: string; transition?: string; url?: string }>;
	imageUrl?: string;
	audioUrl?: string;
	content?: Array<{ title?: string; btnText?: string; description?: string; image?: string; url?: string }>;
	[key: string]: unknown;
}

/** The answer to a client request: what the sync send returns and what the webhook delivers. */
export interface JaicpResponse {
	token?: string;
	clientId: string | number;
	questionId?: string | number;
	query?: string;
	event?: string;
	cid?: string;
	data?: {
		replies?: JaicpReply[];
		answer?: string;
		endSession?: boolean;
		newSessionStarted?: boolean;
		[key: string]: unknown;
	};
	timestamp?: string | number;
	[key: string]: unknown;
}

/** One entry of `/events`: `{ type, event }`, where `event` is a response (bot or operator reply). */
export interface JaicpEventEnvelope {
	type?: string;
	event?: Partial<JaicpResponse> & IDataObject;
	timestamp?: string | number;
	[key: string]: unknown;
}

/** One event per reply, or one per request (all replies of a request folded together). */
export type SplitMode = 'reply' | 'request';

export interface MappingOptions {
	split: SplitMode;
	/** Who wrote the replies (the bot, or an operator). */
	role: ChatRole;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** The object entries of a list that may be missing or hold junk. */
const records = <T>(list: T[] | undefined): T[] => (Array.isArray(list) ? list.filter((entry) => isRecord(entry)) : []);

/** Whether a value looks like a Chat API response (a webhook entry): a client ID and a data object or question ID. */
export function isJaicpResponse(value: unknown): value is JaicpResponse {
	if (!isRecord(value)) return false;
	const clientIdOk = (typeof value.clientId === 'string' && value.clientId !== '') || typeof value.clientId === 'number';
	const dataOk = value.data === undefined || isRecord(value.data);
	const hasContent = isRecord(value.data) || questionIdOf(value) !== undefined;
	return clientIdOk && dataOk && hasContent;
}

/** Why a webhook entry is not a JAICP event, for a 400 answer; undefined when it is one. */
export function whyNotJaicpResponse(value: unknown): string | undefined {
	if (!isRecord(value)) return 'is not a JSON object';
	if (!((typeof value.clientId === 'string' && value.clientId !== '') || typeof value.clientId === 'number')) {
		return 'has no clientId';
	}
	if (value.data !== undefined && !isRecord(value.data)) return 'has a data field that is not an object';
	if (!isRecord(value.data) && questionIdOf(value) === undefined) return 'has neither data nor questionId';
	return undefined;
}

/** An entry's questionId as text: JAICP sends it as a string, some servers as a number; both name the same delivery. */
export function questionIdOf(value: Record<string, unknown>): string | undefined {
	const id = value.questionId;
	if (typeof id === 'string' && id !== '') return id;
	if (typeof id === 'number' && Number.isFinite(id)) return String(id);
	return undefined;
}

/**
 * JAICP times come as ISO strings without a zone ("2022-09-28T12:32:13.262", UTC) or epoch
 * milliseconds. Returns epoch milliseconds, or undefined when unreadable.
 */
export function jaicpTime(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	if (/^\d+$/.test(text)) return Number(text);
	const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text) ? `${text}Z` : text;
	const parsed = Date.parse(zoned);
	return Number.isNaN(parsed) ? undefined : parsed;
}

/** A payload with the channel token masked wherever it appears (JAICP echoes it in `token`). */
export function scrubToken<T>(payload: T, token: string | undefined): T {
	const secrets = [token];
	if (isRecord(payload) && typeof payload.token === 'string') secrets.push(payload.token);
	const copy = redactValue(payload, secrets);
	if (isRecord(copy) && typeof copy.token === 'string') (copy as Record<string, unknown>).token = REDACTED;
	return copy;
}

/** Maps a response (sync answer, webhook entry or event) to ChatEvents, per reply or per request. */
export function responseToEvents(response: JaicpResponse, options: MappingOptions): ChatEvent[] {
	const replies = records(response.data?.replies);
	if (options.split === 'request' || replies.length === 0) return [requestEvent(response, replies, options.role)];

	const events = replies.map((reply) =>
		buildChatEvent({
			...common(response, options.role),
			type: replyEventType(reply),
			text: replyText(reply),
			attachments: replyAttachments(reply),
			buttons: replyButtons(reply),
			raw: reply,
		}),
	);
	const hungUp = replies.some((reply) => reply.type === 'hangup');
	if (response.data?.endSession === true && !hungUp) {
		events.push(buildChatEvent({ ...common(response, 'system'), type: 'session_ended', raw: response }));
	}
	return events;
}

function requestEvent(response: JaicpResponse, replies: JaicpReply[], role: ChatRole): ChatEvent {
	const texts = replies.map(replyText).filter((text): text is string => text !== undefined && text !== '');
	const answer = typeof response.data?.answer === 'string' && response.data.answer !== '' ? response.data.answer : undefined;
	const text = answer ?? (texts.length > 0 ? texts.join('\n') : undefined);
	return buildChatEvent({
		...common(response, role),
		type: requestEventType(response, replies),
		text,
		attachments: replies.flatMap(replyAttachments),
		buttons: replies.flatMap(replyButtons),
		raw: response,
	});
}

function common(response: JaicpResponse, role: ChatRole) {
	const time = jaicpTime(response.timestamp);
	return {
		provider: 'jaicp' as const,
		conversationId: response.clientId ?? '',
		messageId: response.questionId,
		from: { role },
		timestamp: time ?? response.timestamp,
	};
}

function requestEventType(response: JaicpResponse, replies: JaicpReply[]): ChatEventType {
	if (replies.some((reply) => reply.type === 'switch')) return 'escalation';
	if (replies.some((reply) => reply.type === 'hangup') || response.data?.endSession === true) return 'session_ended';
	return 'message';
}

function replyEventType(reply: JaicpReply): ChatEventType {
	if (reply.type === 'switch') return 'escalation';
	if (reply.type === 'hangup') return 'session_ended';
	return 'message';
}

function replyText(reply: JaicpReply): string | undefined {
	return typeof reply.text === 'string' && reply.text !== '' ? reply.text : undefined;
}

function replyAttachments(reply: JaicpReply): ChatAttachment[] {
	const found: Array<ChatAttachment | undefined> = [];
	if (reply.type === 'image') found.push(toAttachment({ url: reply.imageUrl, name: reply.text }));
	if (reply.type === 'audio') found.push(toAttachment({ url: reply.audioUrl, name: reply.text }));
	if (reply.type === 'carousel') {
		for (const card of records(reply.content)) found.push(toAttachment({ url: card.image, name: card.title }));
	}
	return found.filter((attachment): attachment is ChatAttachment => attachment !== undefined);
}

function replyButtons(reply: JaicpReply): ChatButton[] {
	const buttons = records(reply.buttons);
	const cards = reply.type === 'carousel' ? records(reply.content) : [];
	return [
		...flattenButtons(buttons, (button) => ({ title: button.text, value: button.transition, url: button.url })),
		...flattenButtons(cards, (card) => ({ title: card.title ?? card.btnText, value: card.btnText, url: card.url })),
	];
}

/** The entries of an `/events` answer (`{ events: [...] }`, or a bare array). */
export function eventEnvelopes(body: unknown): JaicpEventEnvelope[] {
	const list = isRecord(body) && Array.isArray(body.events) ? body.events : Array.isArray(body) ? body : [];
	return list.filter(isRecord) as JaicpEventEnvelope[];
}

/** When an event happened, in epoch milliseconds (the envelope's time, else its response's). */
export function envelopeTime(envelope: JaicpEventEnvelope): number | undefined {
	return jaicpTime(envelope.timestamp) ?? jaicpTime(envelope.event?.timestamp);
}

/** A key that names one event, to recognise it if the server sends it again (`time`: its envelopeTime). */
export function envelopeKey(envelope: JaicpEventEnvelope, time = envelopeTime(envelope)): string {
	const questionId = isRecord(envelope.event) ? questionIdOf(envelope.event) : undefined;
	if (questionId !== undefined) return `${envelope.type ?? ''}|${questionId}|${time ?? ''}`;
	return JSON.stringify(envelope);
}

/**
 * Maps `/events` entries to ChatEvents. With the default filter JAICP returns operator replies only,
 * so replies come from an agent; with `all`, replies come from the bot unless the event type names an
 * operator, and client requests seen on another page come from the customer.
 */
export function envelopesToEvents(
	envelopes: JaicpEventEnvelope[],
	options: { split: SplitMode; all: boolean; clientId: string },
): ChatEvent[] {
	return envelopes.flatMap((envelope) => {
		const event = isRecord(envelope.event) ? envelope.event : {};
		const response: JaicpResponse = {
			...event,
			clientId: event.clientId ?? options.clientId,
			timestamp: event.timestamp ?? envelope.timestamp,
		};
		const hasReplies = isRecord(response.data) && Array.isArray(response.data.replies) && response.data.replies.length > 0;
		const typeName = String(envelope.type ?? '').toLowerCase();
		if (!hasReplies && (typeof response.query === 'string' || /client|request|query/.test(typeName))) {
			return [
				buildChatEvent({
					...common(response, 'customer'),
					type: 'message',
					text: typeof response.query === 'string' ? response.query : response.event,
					raw: envelope,
				}),
			];
		}
		const role: ChatRole = !options.all || /operator|agent/.test(typeName) ? 'agent' : 'bot';
		return responseToEvents(response, { split: options.split, role });
	});
}

/** The entries of a history page (`{ history: [...] }` or a bare array) and the total, if sent. */
export function historyPage(body: unknown): { entries: JaicpResponse[]; total?: number } {
	const list = Array.isArray(body) ? body : isRecord(body) && Array.isArray(body.history) ? body.history : [];
	const total = isRecord(body) && typeof body.total === 'number' ? body.total : undefined;
	return { entries: list.filter(isRecord) as JaicpResponse[], total };
}

/** A history entry: the client's query or event (from the customer), then the replies to it. */
export function historyEntryToEvents(entry: JaicpResponse, split: SplitMode): ChatEvent[] {
	const events: ChatEvent[] = [];
	const said = typeof entry.query === 'string' && entry.query !== '' ? entry.query : entry.event;
	if (typeof said === 'string' && said !== '') {
		events.push(
			buildChatEvent({
				...common(entry, 'customer'),
				type: 'message',
				text: said,
				raw: { questionId: entry.questionId, query: entry.query, event: entry.event, timestamp: entry.timestamp },
			}),
		);
	}
	if (isRecord(entry.data) && Array.isArray(entry.data.replies) && entry.data.replies.length > 0) {
		events.push(...responseToEvents(entry, { split, role: 'bot' }));
	}
	return events;
}
