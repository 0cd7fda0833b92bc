import type { IExecuteFunctions } from 'n8n-workflow';

import type { ChatAttachment, ChatEvent, ChatProvider, ReplyAddress } from '../../shared/chat-event';

/** What the bridge delivers to a party: text and attachments (by URL). */
export interface OutgoingMessage {
	text: string;
	attachments: ChatAttachment[];
}

/** The customer, as the desk is told about them when the chat is handed over. */
export interface CustomerInfo {
	chatId: string;
	name: string;
}

/** A bot the customer talks to first (Ultimate, JAICP), through that provider's own client code. */
export interface BotParty {
	readonly provider: ChatProvider;
	/** Opens the bot conversation; answers the bot's replies that came with the answer (JAICP), else none. */
	start(conversationId: string): Promise<ChatEvent[]>;
	/** Sends a customer message; answers the bot's replies that came with the answer. */
	send(conversationId: string, message: OutgoingMessage): Promise<ChatEvent[]>;
	end(conversationId: string): Promise<void>;
	close(): Promise<void>;
}

/** A human desk the chat is handed over to (NovaTalks, Expertflow, Concierge). */
export interface DeskParty {
	readonly provider: ChatProvider;
	/** Opens a conversation for the customer; answers its reply address and where its triggers start reading. */
	open(customer: CustomerInfo): Promise<{ address: ReplyAddress; startAfter?: string }>;
	send(address: ReplyAddress, message: OutgoingMessage): Promise<void>;
	end(address: ReplyAddress): Promise<void>;
	close(): Promise<void>;
}

export interface PartyScope {
	ctx: IExecuteFunctions;
	itemIndex: () => number;
}

/** Text for providers that take no files by URL: the text, then one line per attachment. */
export function textWithLinks(message: OutgoingMessage): string {
	const links = message.attachments.map((attachment) => (attachment.name ? `${attachment.name}: ${attachment.url}` : attachment.url));
	return [message.text, ...links].filter((line) => line.trim() !== '').join('\n');
}
