import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

export type ChatProvider = 'novatalks' | 'ultimate' | 'expertflow' | 'concierge' | 'jaicp';

export type ChatEventType =
	| 'message'
	| 'message_updated'
	| 'message_deleted'
	| 'reaction'
	| 'typing'
	| 'status'
	| 'session_started'
	| 'session_ended'
	| 'escalation'
	| 'team_online_query'
	| 'action';

export type ChatRole = 'customer' | 'agent' | 'bot' | 'system';

export interface ChatParticipant {
	role: ChatRole;
	id?: string;
	name?: string;
}

export interface ChatAttachment {
	url: string;
	name?: string;
	mimeType?: string;
	size?: number;
}

export interface ChatButton {
	title: string;
	value?: string;
	url?: string;
}

/**
 * Everything a provider's send operation needs to answer in the conversation an event came from:
 * give it (or the whole ChatEvent) to that provider's Send Message as "Reply To". NovaTalks needs the
 * contact token, Expertflow the participant n8n plays; the others need the conversation only.
 */
export interface ReplyAddress {
	provider: ChatProvider;
	conversationId: string;
	/** NovaTalks: the contact's pubsub token (a secret: it lets its holder write as the contact). */
	contactToken?: string;
	/** Expertflow: the customer participant n8n plays in the conversation. */
	participantId?: string;
	participantName?: string;
}

/** The one event shape every trigger emits and every "get messages" operation returns. */
export interface ChatEvent {
	provider: ChatProvider;
	type: ChatEventType;
	conversationId: string;
	messageId?: string;
	from: ChatParticipant;
	text?: string;
	attachments: ChatAttachment[];
	buttons?: ChatButton[];
	status?: string;
	timestamp: string;
	/** Where to answer: give it to this provider's Send Message (Reply To). */
	replyTo: ReplyAddress;
	raw: object;
}

export type ChatEventInput = Omit<ChatEvent, 'attachments' | 'timestamp' | 'conversationId' | 'messageId' | 'replyTo'> & {
	/** Provider fields the reply address needs besides the conversation (NovaTalks token, Expertflow participant). */
	replyTo?: Omit<ReplyAddress, 'provider' | 'conversationId'>;
	conversationId: string | number;
	messageId?: string | number | null;
	attachments?: Array<ChatAttachment | undefined>;
	timestamp?: unknown;
};

/**
 * Builds a ChatEvent: ids become strings, the timestamp becomes ISO 8601, attachments without a URL
 * and empty optional fields are dropped, so every provider emits the same shape.
 */
export function buildChatEvent(input: ChatEventInput): ChatEvent {
	const event: ChatEvent = {
		provider: input.provider,
		type: input.type,
		conversationId: String(input.conversationId),
		from: compact(input.from) as ChatParticipant,
		attachments: (input.attachments ?? []).filter(isAttachment),
		timestamp: toIsoTimestamp(input.timestamp),
		replyTo: compact({ provider: input.provider, conversationId: String(input.conversationId), ...input.replyTo }) as ReplyAddress,
		raw: input.raw,
	};
	if (input.messageId !== undefined && input.messageId !== null && input.messageId !== '') {
		event.messageId = String(input.messageId);
	}
	if (input.text !== undefined && input.text !== null) event.text = input.text;
	if (input.buttons && input.buttons.length > 0) event.buttons = input.buttons.map((b) => compact(b) as ChatButton);
	if (input.status !== undefined && input.status !== null && input.status !== '') event.status = input.status;
	return event;
}

const SECONDS_THRESHOLD = 1e11; // epoch values below this are seconds (1e11 s is the year 5138)

/**
 * Normalizes provider timestamps to ISO 8601: epoch milliseconds or seconds (numbers or numeric
 * strings) and date strings. Missing or unreadable values become the current time.
 */
export function toIsoTimestamp(value: unknown, now: () => Date = () => new Date()): string {
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
	if (typeof value === 'number' && Number.isFinite(value)) return fromEpoch(value);
	if (typeof value === 'string' && value.trim() !== '') {
		const trimmed = value.trim();
		if (/^-?\d+(\.\d+)?$/.test(trimmed)) return fromEpoch(Number(trimmed));
		const parsed = Date.parse(trimmed);
		if (!Number.isNaN(parsed)) return new Date(parsed).toISOString();
	}
	return now().toISOString();
}

function fromEpoch(value: number): string {
	const ms = Math.abs(value) < SECONDS_THRESHOLD ? value * 1000 : value;
	return new Date(ms).toISOString();
}

/** Makes an attachment from provider fields; returns undefined when there is no URL. */
export function toAttachment(fields: {
	url?: unknown;
	name?: unknown;
	mimeType?: unknown;
	size?: unknown;
}): ChatAttachment | undefined {
	if (typeof fields.url !== 'string' || fields.url === '') return undefined;
	const attachment: ChatAttachment = { url: fields.url };
	if (typeof fields.name === 'string' && fields.name !== '') attachment.name = fields.name;
	if (typeof fields.mimeType === 'string' && fields.mimeType !== '') attachment.mimeType = fields.mimeType;
	const size = typeof fields.size === 'string' ? Number(fields.size) : fields.size;
	if (typeof size === 'number' && Number.isFinite(size)) attachment.size = size;
	return attachment;
}

/** The file name at the end of a URL's path (decoded), or undefined when there is none. */
export function fileNameFromUrl(url: string | null | undefined): string | undefined {
	if (!url) return undefined;
	try {
		const last = new URL(url).pathname.split('/').pop();
		return last ? decodeURIComponent(last) : undefined;
	} catch {
		return undefined;
	}
}

/** Maps a list of provider attachment objects, keeping those that have a URL. */
export function mapAttachments<T>(
	list: T[] | undefined | null,
	pick: (entry: T) => Parameters<typeof toAttachment>[0],
): ChatAttachment[] {
	return (list ?? []).map((entry) => toAttachment(pick(entry))).filter(isAttachment);
}

/**
 * Flattens quick replies, button lists, cards and carousels into one button list. `groups` is any
 * nesting of arrays (for example cards, each with its buttons); `pick` maps one leaf to a button.
 */
export function flattenButtons<T>(
	groups: Array<T | T[] | undefined | null> | undefined | null,
	pick: (entry: T) => { title?: unknown; value?: unknown; url?: unknown } | undefined,
): ChatButton[] {
	const buttons: ChatButton[] = [];
	const visit = (entry: T | T[] | undefined | null) => {
		if (entry === undefined || entry === null) return;
		if (Array.isArray(entry)) {
			entry.forEach(visit);
			return;
		}
		const fields = pick(entry);
		if (!fields || typeof fields.title !== 'string' || fields.title === '') return;
		const button: ChatButton = { title: fields.title };
		if (fields.value !== undefined && fields.value !== null && fields.value !== '') button.value = String(fields.value);
		if (typeof fields.url === 'string' && fields.url !== '') button.url = fields.url;
		buttons.push(button);
	};
	(groups ?? []).forEach(visit);
	return buttons;
}

/** Output items for events: the ChatEvent itself, or only the provider's raw payload. */
export function chatEventsToItems(
	events: ChatEvent[],
	options: { rawOutput?: boolean; itemIndex?: number } = {},
): INodeExecutionData[] {
	return events.map((event) => {
		const json = (options.rawOutput ? event.raw : event) as unknown as IDataObject;
		const item: INodeExecutionData = { json };
		if (options.itemIndex !== undefined) item.pairedItem = { item: options.itemIndex };
		return item;
	});
}

function isAttachment(value: ChatAttachment | undefined): value is ChatAttachment {
	return value !== undefined && typeof value.url === 'string' && value.url !== '';
}

function compact<T extends object>(value: T): T {
	const copy = { ...value } as Record<string, unknown>;
	for (const key of Object.keys(copy)) {
		if (copy[key] === undefined || copy[key] === null || copy[key] === '') delete copy[key];
	}
	return copy as T;
}
