import { randomUUID } from 'node:crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BridgeLinks, BridgeLink } from '../shared/bridge-links';
import type { ChatEvent, ChatRole, ReplyAddress } from '../shared/chat-event';
import { asNodeError } from '../shared/errors';
import { deliverToCustomer, type CustomerMessage } from './customer';
import type { CustomerPost, Incoming } from './incoming';
import { BOT_PROVIDERS, DESK_PROVIDERS, openBot, openDesk, type BotProvider, type DeskProvider } from './parties';
import type { BotParty, DeskParty, OutgoingMessage } from './parties/party';
import { renderTranscript, type Transcripts } from './transcript';

export interface BridgeSettings {
	bot: BotProvider;
	desk: DeskProvider;
	handOverOnEscalation: boolean;
	endOnSessionEnd: boolean;
	handOverNotice: string;
	endNotice: string;
	transcriptHeader: string;
	defaultCustomerName: string;
	expertflowChannel: string;
	unknownConversation: 'error' | 'notRelayed';
}

/** What one input item came to: where it went (first output), or why it was not relayed (second output). */
export type Outcome = { relayed: IDataObject } | { notRelayed: string };

const PARTY_NAMES: Record<string, string> = {
	ultimate: 'the Ultimate bot',
	jaicp: 'the JAICP bot',
	novatalks: 'the NovaTalks desk',
	expertflow: 'the Expertflow desk',
	concierge: 'the Concierge desk',
	customer: "the customer's front end",
};

/**
 * Routes one customer chat between the front end, a bot and a human desk: finds the chat's link for
 * whatever it is given, delivers there, hands over on escalation and ends the link when a side ends.
 * Each party is reached through its provider's own client code, opened once per execution.
 */
export class Bridge {
	private bot?: Promise<BotParty>;
	private desk?: Promise<DeskParty>;
	private itemIndex = 0;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly settings: BridgeSettings,
		private readonly links: BridgeLinks,
		private readonly transcripts: Transcripts,
	) {}

	async relay(incoming: Incoming, itemIndex: number): Promise<Outcome[]> {
		this.itemIndex = itemIndex;
		return incoming.kind === 'customer' ? await this.fromCustomer(incoming.post) : await this.fromProvider(incoming.event);
	}

	/** Hands the chat over to the desk: opens the desk conversation, sends the transcript, links it. */
	async handOver(chatId: string, itemIndex: number): Promise<Outcome[]> {
		this.itemIndex = itemIndex;
		return [await this.handOverLink(await this.linkOfChat(chatId))];
	}

	async end(chatId: string, itemIndex: number): Promise<Outcome[]> {
		this.itemIndex = itemIndex;
		return [await this.endLink(await this.linkOfChat(chatId), 'customer')];
	}

	async transcript(chatId: string, itemIndex: number): Promise<IDataObject> {
		this.itemIndex = itemIndex;
		const entries = await this.transcripts.entries(chatId);
		return { chatId, transcript: renderTranscript(entries), entries: entries as unknown as IDataObject[] };
	}

	/** Records an event's message in its chat's transcript without relaying it. */
	async record(incoming: Incoming, itemIndex: number): Promise<Outcome[]> {
		this.itemIndex = itemIndex;
		if (incoming.kind === 'customer') {
			const link = await this.linkOfChat(incoming.post.chatId);
			await this.remember(link, 'customer', incoming.post, Date.now());
			return [{ relayed: { chatId: link.chatId, action: 'recorded' } }];
		}
		const event = incoming.event;
		const link = await this.linkOfEvent(event);
		if (!link) return [this.unknown(event)];
		await this.remember(link, event.from.role, messageOf(event), timeOf(event), event.from.name);
		return [{ relayed: { chatId: link.chatId, action: 'recorded' } }];
	}

	async close(): Promise<void> {
		const parties = await Promise.allSettled([this.bot, this.desk].filter((party) => party !== undefined));
		await Promise.allSettled(parties.map(async (party) => party.status === 'fulfilled' && (await party.value.close())));
	}

	private async fromCustomer(post: CustomerPost): Promise<Outcome[]> {
		let link = await this.links.findBy({ chatId: post.chatId });
		const outcomes: Outcome[] = [];
		if (!link) {
			if (post.end) return [{ notRelayed: `Chat ${post.chatId} is not open` }];
			link = await this.startChat(post, outcomes);
		} else if (post.replyUrl && post.replyUrl !== link.replyUrl) {
			link = await this.links.update(link, { replyUrl: post.replyUrl });
		}
		if (post.end) return [await this.endLink(link, 'customer')];

		// The transcript line is written once the message is out, so the hop waits for one store call less.
		const arrivedAt = Date.now();
		if (link.state === 'desk' && link.deskAddress) {
			await this.toDesk(link.deskAddress, post);
			await this.recordSent(link, 'customer', post, arrivedAt);
			outcomes.push({ relayed: relayed(link, 'desk', this.settings.desk, link.deskAddress.conversationId, post.text) });
			return outcomes;
		}
		const replies = await this.withParty(this.settings.bot, link.botConversationId, async () => await (await this.botParty()).send(link.botConversationId, post));
		await this.recordSent(link, 'customer', post, arrivedAt);
		outcomes.push({ relayed: relayed(link, 'bot', this.settings.bot, link.botConversationId, post.text) });
		for (const reply of replies) outcomes.push(...(await this.fromBot(link, reply)));
		return outcomes;
	}

	private async startChat(post: CustomerPost, outcomes: Outcome[]): Promise<BridgeLink> {
		if (!post.replyUrl) {
			throw new NodeOperationError(this.ctx.getNode(), `The first message of chat ${post.chatId} has no replyUrl`, {
				description: "The customer's front end must send replyUrl (where the bridge posts the answers) with a chat's first message",
				itemIndex: this.itemIndex,
			});
		}
		const link = await this.links.create({
			chatId: post.chatId,
			replyUrl: post.replyUrl,
			customerName: post.customerName ?? this.settings.defaultCustomerName,
			bot: this.settings.bot,
			botConversationId: randomUUID(),
			state: 'bot',
		});
		const replies = await this.withParty(this.settings.bot, link.botConversationId, async () => await (await this.botParty()).start(link.botConversationId));
		outcomes.push({ relayed: { ...relayed(link, 'bot', this.settings.bot, link.botConversationId), action: 'started' } });
		for (const reply of replies) outcomes.push(...(await this.fromBot(link, reply)));
		return link;
	}

	private async fromProvider(event: ChatEvent): Promise<Outcome[]> {
		const link = await this.linkOfEvent(event);
		if (!link) return [this.unknown(event)];
		return BOT_PROVIDERS.includes(event.provider) ? await this.fromBot(link, event) : await this.fromDesk(link, event);
	}

	private async fromBot(link: BridgeLink, event: ChatEvent): Promise<Outcome[]> {
		if (event.type === 'escalation' && this.settings.handOverOnEscalation) return [await this.handOverLink(link)];
		if (event.type === 'session_ended' && this.settings.endOnSessionEnd && link.state === 'bot') {
			return [await this.endLink(link, 'bot')];
		}
		if (event.type !== 'message' || event.from.role === 'customer') return [{ notRelayed: `A ${event.type} event from the bot is not a message for the customer` }];
		if (link.state !== 'bot') return [{ notRelayed: `Chat ${link.chatId} is with the desk: the bot's message is not relayed` }];
		return [await this.toCustomer(link, event, 'bot')];
	}

	private async fromDesk(link: BridgeLink, event: ChatEvent): Promise<Outcome[]> {
		if (event.type === 'session_ended' && this.settings.endOnSessionEnd) return [await this.endLink(link, 'desk')];
		if (event.type !== 'message' || event.from.role === 'customer') {
			return [{ notRelayed: `A ${event.type} event from the ${event.from.role} side of the desk is not for the customer` }];
		}
		return [await this.toCustomer(link, event, event.from.role === 'system' ? 'system' : 'agent')];
	}

	private async toCustomer(link: BridgeLink, event: ChatEvent, from: CustomerMessage['from']): Promise<Outcome> {
		const message: CustomerMessage = {
			conversationId: link.chatId,
			from,
			text: event.text ?? '',
			attachments: event.attachments,
			buttons: event.buttons,
			timestamp: event.timestamp,
		};
		if (event.from.name) message.name = event.from.name;
		if (event.messageId) message.messageId = `${event.provider}:${event.messageId}`;
		await this.sendToCustomer(link, message);
		await this.recordSent(link, from, messageOf(event), timeOf(event), event.from.name);
		return { relayed: relayed(link, 'customer', event.provider, link.chatId, event.text) };
	}

	private async handOverLink(link: BridgeLink): Promise<Outcome> {
		if (link.state === 'desk') return { notRelayed: `Chat ${link.chatId} is already with the desk` };
		const desk = this.settings.desk;
		const opened =
			link.deskAddress && link.desk === desk
				? { address: link.deskAddress, startAfter: link.deskStartAfter }
				: await this.withParty(desk, link.chatId, async () => await (await this.deskParty()).open({ chatId: link.chatId, name: link.customerName }));
		// Kept before anything is sent: a retry reuses this desk conversation instead of opening another.
		link = await this.links.update(link, {
			desk,
			deskConversationId: opened.address.conversationId,
			deskAddress: opened.address,
			deskStartAfter: opened.startAfter,
		});
		const transcript = renderTranscript(await this.transcripts.entries(link.chatId));
		const text = [this.settings.transcriptHeader, transcript].filter((part) => part.trim() !== '').join('\n');
		await this.toDesk(opened.address, { text, attachments: [] });
		link = await this.links.update(link, { state: 'desk' });
		if (this.settings.handOverNotice.trim() !== '') await this.notify(link, this.settings.handOverNotice);
		return { relayed: { ...relayed(link, 'desk', desk, opened.address.conversationId), action: 'handedOver' } };
	}

	private async endLink(link: BridgeLink, by: 'customer' | 'bot' | 'desk'): Promise<Outcome> {
		if (by === 'customer') {
			if (link.state === 'desk' && link.deskAddress) {
				const address = link.deskAddress;
				await this.withParty(this.settings.desk, address.conversationId, async () => await (await this.deskParty()).end(address));
			} else {
				await this.withParty(this.settings.bot, link.botConversationId, async () => await (await this.botParty()).end(link.botConversationId));
			}
		}
		link = await this.links.update(link, { state: 'ended' });
		if (by !== 'customer' && this.settings.endNotice.trim() !== '') await this.notify(link, this.settings.endNotice);
		return { relayed: { chatId: link.chatId, action: 'ended', by } };
	}

	private async notify(link: BridgeLink, text: string): Promise<void> {
		await this.remember(link, 'system', { text, attachments: [] }, Date.now());
		await this.sendToCustomer(link, { conversationId: link.chatId, from: 'system', text, timestamp: new Date().toISOString() });
	}

	private async sendToCustomer(link: BridgeLink, message: CustomerMessage): Promise<void> {
		await this.withParty('customer', link.chatId, async () => await deliverToCustomer(this.ctx, link.replyUrl, message, this.itemIndex));
	}

	private async toDesk(address: ReplyAddress, message: OutgoingMessage): Promise<void> {
		await this.withParty(this.settings.desk, address.conversationId, async () => await (await this.deskParty()).send(address, message));
	}

	private async remember(link: BridgeLink, role: ChatRole, message: OutgoingMessage, at: number, name?: string): Promise<void> {
		await this.transcripts.record({ chatId: link.chatId, role, name, text: message.text, attachments: message.attachments, at });
	}

	/**
	 * Records a line already delivered. A failure here must not fail the item: a retry would send the
	 * message a second time; the transcript then lacks the line, and the log says so.
	 */
	private async recordSent(link: BridgeLink, role: ChatRole, message: OutgoingMessage, at: number, name?: string): Promise<void> {
		try {
			await this.remember(link, role, message, at, name);
		} catch (error) {
			this.ctx.logger.warn(`Chat Bridge: a ${role} line of chat ${link.chatId} was delivered but not written to the transcript: ${(error as Error).message}`);
		}
	}

	private async linkOfChat(chatId: string): Promise<BridgeLink> {
		const link = await this.links.findBy({ chatId });
		if (!link) {
			throw new NodeOperationError(this.ctx.getNode(), `No open bridged chat ${chatId}`, {
				description: 'The chat was never started through this bridge, or it has ended',
				itemIndex: this.itemIndex,
			});
		}
		return link;
	}

	private async linkOfEvent(event: ChatEvent): Promise<BridgeLink | undefined> {
		const conversationId = String(event.conversationId);
		if (event.provider === this.settings.bot) return await this.links.findBy({ bot: event.provider, botConversationId: conversationId });
		if (event.provider === this.settings.desk) return await this.links.findBy({ desk: event.provider, deskConversationId: conversationId });
		throw new NodeOperationError(
			this.ctx.getNode(),
			`A ${event.provider} event reached a bridge between ${PARTY_NAMES[this.settings.bot]} and ${PARTY_NAMES[this.settings.desk]}`,
			{ description: `Connect only this bridge's triggers, or set Bot and Desk to the providers in use (item ${this.itemIndex})`, itemIndex: this.itemIndex },
		);
	}

	private unknown(event: ChatEvent): Outcome {
		const party = PARTY_NAMES[event.provider] ?? event.provider;
		const problem = `No bridged chat for conversation ${event.conversationId} of ${party}`;
		if (this.settings.unknownConversation === 'notRelayed' || event.type !== 'message') return { notRelayed: problem };
		throw new NodeOperationError(this.ctx.getNode(), problem, {
			description: 'The conversation was not opened through this bridge, or its chat has ended. Set Options > Unknown Conversations to send such events to the Not Relayed output instead.',
			itemIndex: this.itemIndex,
		});
	}

	/** Runs a call to one party; its failure names the party and the conversation. */
	private async withParty<T>(party: string, conversationId: string, call: () => Promise<T>): Promise<T> {
		try {
			return await call();
		} catch (error) {
			const prefix = `${capitalized(PARTY_NAMES[party] ?? party)} (conversation ${conversationId})`;
			if (error instanceof NodeApiError || error instanceof NodeOperationError) {
				if (!error.message.startsWith(prefix)) error.message = `${prefix}: ${error.message}`;
				throw asNodeError(this.ctx.getNode(), error, this.itemIndex);
			}
			const message = error instanceof Error ? error.message : String(error);
			throw new NodeOperationError(this.ctx.getNode(), `${prefix}: ${message}`, { itemIndex: this.itemIndex });
		}
	}

	private async botParty(): Promise<BotParty> {
		this.bot ??= openBot(this.settings.bot, this.scope());
		return await this.bot;
	}

	private async deskParty(): Promise<DeskParty> {
		if (!DESK_PROVIDERS.includes(this.settings.desk)) throw new Error(`Unknown desk ${this.settings.desk}`);
		this.desk ??= openDesk(this.settings.desk, this.scope(), { expertflowChannel: this.settings.expertflowChannel });
		return await this.desk;
	}

	private scope() {
		return { ctx: this.ctx, itemIndex: () => this.itemIndex };
	}
}

function relayed(link: BridgeLink, to: 'bot' | 'desk' | 'customer', provider: string, conversationId: string, text?: string): IDataObject {
	const json: IDataObject = { chatId: link.chatId, action: 'relayed', to, provider, conversationId };
	if (text !== undefined) json.text = text;
	return json;
}

function messageOf(event: ChatEvent): OutgoingMessage {
	return { text: event.text ?? '', attachments: event.attachments ?? [] };
}

function timeOf(event: ChatEvent): number {
	const at = Date.parse(event.timestamp);
	return Number.isFinite(at) ? at : Date.now();
}

function capitalized(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}
