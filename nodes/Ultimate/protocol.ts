import type { IDataObject } from 'n8n-workflow';

import { buildChatEvent, flattenButtons, mapAttachments, type ChatEvent } from '../shared/chat-event';

// ---------------------------------------------------------------------------------------------
// Requests n8n sends: POST <baseUrl>/converse/chat
// ---------------------------------------------------------------------------------------------

export const CONVERSE_PATH = '/converse/chat';

export type ConverseEventType = 'startSession' | 'message' | 'metadata' | 'endSession';

/** One session parameter; Ultimate stores string values only, `sanitize` marks personal data. */
export interface MetadataEntry {
	key: string;
	value: string;
	sanitize?: boolean;
}

export interface ConverseRequest {
	platformConversationId: string;
	eventType: ConverseEventType;
	text?: string;
	cardIndex?: number;
	metaData?: MetadataEntry[];
}

export interface UltimateCredentials {
	apiKey: string;
	botId: string;
	baseUrl: string;
	webhookSecret?: string;
}

export function converseUrl(baseUrl: string): string {
	return `${baseUrl.trim().replace(/\/+$/, '')}${CONVERSE_PATH}`;
}

// ---------------------------------------------------------------------------------------------
// Webhooks Ultimate calls: the chat webhook and the actions webhook
// ---------------------------------------------------------------------------------------------

export const CHAT_EVENT_TYPES = [
	'sendMessage',
	'escalate',
	'isTeamOnline',
	'widgetMessage',
	'widgetEscalate',
	'widgetEndSession',
] as const;

export type ChatEventType = (typeof CHAT_EVENT_TYPES)[number];

/** What the trigger can be told to listen for: the chat events plus `action`. */
export type UltimateEventName = ChatEventType | 'action';

export interface BotButton {
	text: string;
	/** `button` (its text is sent back) or `link` (opened by the visitor). */
	type?: string;
	url?: string;
	link?: string;
}

export interface CarouselCard {
	title?: string;
	description?: string;
	imageUrl?: string;
	buttons?: BotButton[];
}

export interface ChatWebhookData extends IDataObject {
	eventType: ChatEventType;
	platformConversationId?: string;
}

export interface SendMessageData extends ChatWebhookData {
	eventType: 'sendMessage';
	platformConversationId: string;
	type?: string;
	messageId?: string;
	replyId?: string;
	text?: string;
	buttons?: BotButton[];
	carouselCards?: CarouselCard[];
}

/** The chat webhook's body: `{botId, channel: "chat", data: {eventType, …}}`. */
export interface ChatWebhookBody extends IDataObject {
	botId: string;
	channel?: string;
	data: ChatWebhookData;
}

/** The actions webhook's body: `{botId, conversationId, platformConversationId, name, data: [{key, value, saveAs?}]}`. */
export interface ActionWebhookBody extends IDataObject {
	botId: string;
	conversationId?: string;
	platformConversationId: string;
	name: string;
	data: Array<{ key: string; value?: unknown; saveAs?: string }>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const isText = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Events whose data must name the conversation (isTeamOnline may come without one). */
const NEEDS_CONVERSATION: ReadonlySet<ChatEventType> = new Set(CHAT_EVENT_TYPES.filter((type) => type !== 'isTeamOnline'));

/** Checks that a chat webhook body is an Ultimate chat event; the reason says what is wrong. */
export function parseChatWebhook(body: unknown): Parsed<ChatWebhookBody> {
	if (!isRecord(body)) return fail('the body is not a JSON object');
	if (looksLikeAction(body)) {
		return fail('this is an action event: configure the trigger\'s Actions URL as the actions webhook in Ultimate');
	}
	if (!isText(body.botId)) return fail('"botId" is missing');
	const data = body.data;
	if (!isRecord(data)) return fail('"data" must be an object');
	const eventType = data.eventType;
	if (!isText(eventType)) return fail('"data.eventType" is missing');
	if (!(CHAT_EVENT_TYPES as readonly string[]).includes(eventType)) {
		return fail(`"data.eventType" "${eventType}" is not one of ${CHAT_EVENT_TYPES.join(', ')}`);
	}
	const type = eventType as ChatEventType;
	if (NEEDS_CONVERSATION.has(type) && !isText(data.platformConversationId)) {
		return fail(`"data.platformConversationId" is missing in the ${type} event`);
	}
	if (data.platformConversationId !== undefined && typeof data.platformConversationId !== 'string') {
		return fail('"data.platformConversationId" must be a string');
	}
	const problem = CONTENT_PROBLEMS[type]?.(data);
	if (problem) return fail(problem);
	return { ok: true, value: body as ChatWebhookBody };
}

function sendMessageProblem(data: Record<string, unknown>): string | undefined {
	if (data.text !== undefined && data.text !== null && typeof data.text !== 'string') return '"data.text" must be a string';
	if (data.buttons !== undefined && data.buttons !== null) {
		if (!Array.isArray(data.buttons)) return '"data.buttons" must be an array';
		if (!data.buttons.every(isButton)) return 'every entry of "data.buttons" needs a "text"';
	}
	if (data.carouselCards !== undefined && data.carouselCards !== null) {
		if (!Array.isArray(data.carouselCards)) return '"data.carouselCards" must be an array';
		for (const [index, card] of data.carouselCards.entries()) {
			if (!isRecord(card)) return `"data.carouselCards[${index}]" must be an object`;
			if (card.buttons !== undefined && (!Array.isArray(card.buttons) || !card.buttons.every(isButton))) {
				return `every button of "data.carouselCards[${index}]" needs a "text"`;
			}
		}
	}
	return undefined;
}

function widgetMessageProblem(data: Record<string, unknown>): string | undefined {
	return typeof data.text === 'string' ? undefined : '"data.text" is missing in the widgetMessage event';
}

const isButton = (value: unknown): boolean => isRecord(value) && typeof value.text === 'string';

/** Content checks of the events that carry content. */
const CONTENT_PROBLEMS: Partial<Record<ChatEventType, (data: Record<string, unknown>) => string | undefined>> = {
	sendMessage: sendMessageProblem,
	widgetMessage: widgetMessageProblem,
};

function looksLikeAction(body: Record<string, unknown>): boolean {
	return typeof body.name === 'string' && Array.isArray(body.data);
}

/** Checks that an actions webhook body is an Ultimate action. */
export function parseActionWebhook(body: unknown): Parsed<ActionWebhookBody> {
	if (!isRecord(body)) return fail('the body is not a JSON object');
	if (isRecord(body.data) && typeof body.data.eventType === 'string') {
		return fail(`this is a chat event (${body.data.eventType}): configure the trigger's Chat URL as the chat webhook in Ultimate`);
	}
	if (!isText(body.botId)) return fail('"botId" is missing');
	if (!isText(body.name)) return fail('"name" (the action\'s name) is missing');
	if (!isText(body.platformConversationId)) return fail('"platformConversationId" is missing');
	if (!Array.isArray(body.data)) return fail('"data" must be an array of {key, value}');
	const badEntry = body.data.findIndex((entry) => !isRecord(entry) || typeof entry.key !== 'string');
	if (badEntry >= 0) return fail(`"data[${badEntry}]" needs a "key"`);
	return { ok: true, value: body as ActionWebhookBody };
}

// ---------------------------------------------------------------------------------------------
// Webhook payload -> ChatEvent
// ---------------------------------------------------------------------------------------------

/** Maps a chat webhook body to the ChatEvent (bot messages, escalations, team queries, widget events). */
export function chatWebhookToEvent(body: ChatWebhookBody): ChatEvent {
	const { data } = body;
	const conversationId = data.platformConversationId ?? '';
	const bot = { role: 'bot' as const, id: body.botId };
	const customer = { role: 'customer' as const };
	switch (data.eventType) {
		case 'sendMessage':
			return sendMessageEvent(body, data as SendMessageData);
		case 'escalate':
		case 'widgetEscalate':
			return buildChatEvent({ provider: 'ultimate', type: 'escalation', conversationId, from: bot, raw: body });
		case 'isTeamOnline':
			return buildChatEvent({ provider: 'ultimate', type: 'team_online_query', conversationId, from: bot, raw: body });
		case 'widgetMessage':
			return buildChatEvent({
				provider: 'ultimate',
				type: 'message',
				conversationId,
				from: customer,
				text: String(data.text),
				raw: body,
			});
		case 'widgetEndSession':
			return buildChatEvent({ provider: 'ultimate', type: 'session_ended', conversationId, from: customer, raw: body });
	}
}

function sendMessageEvent(body: ChatWebhookBody, data: SendMessageData): ChatEvent {
	const cards = data.carouselCards ?? [];
	return buildChatEvent({
		provider: 'ultimate',
		type: 'message',
		conversationId: data.platformConversationId,
		messageId: data.messageId,
		from: { role: 'bot', id: body.botId },
		text: data.text ?? undefined,
		// Card images become attachments; every button (cards' buttons included) becomes a ChatButton.
		attachments: mapAttachments(cards, (card) => ({ url: card.imageUrl, name: card.title })),
		buttons: flattenButtons<BotButton>([data.buttons ?? [], ...cards.map((card) => card.buttons ?? [])], toChatButton),
		raw: body,
	});
}

/** A button's value is what Click Button / Select Card sends back; link buttons are opened, not sent. */
function toChatButton(button: BotButton) {
	if (button.type === 'link') return { title: button.text, url: button.url ?? button.link };
	return { title: button.text, value: button.text };
}

/** Maps an actions webhook body to a ChatEvent of type `action`; name and data stay in `raw`. */
export function actionWebhookToEvent(body: ActionWebhookBody): ChatEvent {
	return buildChatEvent({
		provider: 'ultimate',
		type: 'action',
		conversationId: body.platformConversationId,
		from: { role: 'bot', id: body.botId },
		raw: body,
	});
}

// ---------------------------------------------------------------------------------------------
// Replies Ultimate expects
// ---------------------------------------------------------------------------------------------

export interface ActionResult {
	key: string;
	value: unknown;
	sanitize?: boolean;
}

export const teamOnlineReply = (isOnline: boolean) => ({ isOnline });

export const actionResultsReply = (results: ActionResult[]) => ({ results });
