import type { IDataObject } from 'n8n-workflow';

import type { ChatAttachment, ChatEvent, ChatProvider } from '../shared/chat-event';

const PROVIDERS: readonly ChatProvider[] = ['novatalks', 'ultimate', 'expertflow', 'concierge', 'jaicp'];

/** A message the customer's front end posted (the front-end contract's request side). */
export interface CustomerPost {
	chatId: string;
	text: string;
	attachments: ChatAttachment[];
	replyUrl?: string;
	customerName?: string;
	messageId?: string;
	/** The customer closed the chat. */
	end: boolean;
}

export type Incoming = { kind: 'customer'; post: CustomerPost } | { kind: 'event'; event: ChatEvent };

const isRecord = (value: unknown): value is IDataObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/**
 * Reads what the bridge was given: a ChatEvent from any trigger of this package, the front end's JSON,
 * or a Webhook node's item carrying that JSON under `body`. Answers why not when it is neither.
 */
export function readIncoming(value: unknown): Incoming | { problem: string } {
	if (!isRecord(value)) return { problem: 'it is not a JSON object' };
	if (PROVIDERS.includes(value.provider as ChatProvider)) {
		if (text(value.conversationId) === '' || typeof value.type !== 'string') {
			return { problem: `the ${String(value.provider)} event has no conversationId or type` };
		}
		return { kind: 'event', event: value as unknown as ChatEvent };
	}
	const body = isRecord(value.body) && text(value.body.conversationId) !== '' ? value.body : value;
	const chatId = text(body.conversationId).trim();
	if (chatId === '') {
		return { problem: 'it is neither a ChatEvent (no provider) nor a front-end message (no conversationId)' };
	}
	const button = isRecord(body.button) ? body.button : undefined;
	const customer = isRecord(body.customer) ? body.customer : undefined;
	const post: CustomerPost = {
		chatId,
		text: text(body.text) || text(button?.title) || text(button?.value),
		attachments: attachmentsOf(body.attachments),
		end: body.end === true || body.type === 'end',
	};
	if (text(body.replyUrl)) post.replyUrl = text(body.replyUrl);
	if (text(customer?.name)) post.customerName = text(customer?.name);
	if (text(body.messageId)) post.messageId = text(body.messageId);
	if (!post.end && post.text.trim() === '' && post.attachments.length === 0) {
		return { problem: `the front-end message for chat ${chatId} has no text and no attachments` };
	}
	return { kind: 'customer', post };
}

function attachmentsOf(value: unknown): ChatAttachment[] {
	if (!Array.isArray(value)) return [];
	return value
		.filter(isRecord)
		.filter((entry) => /^https?:\/\//i.test(text(entry.url)))
		.map((entry) => {
			const attachment: ChatAttachment = { url: text(entry.url) };
			if (text(entry.name)) attachment.name = text(entry.name);
			if (text(entry.mimeType)) attachment.mimeType = text(entry.mimeType);
			return attachment;
		});
}
