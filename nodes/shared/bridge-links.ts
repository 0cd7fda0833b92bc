import type { IDataObject, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ChatProvider, ReplyAddress } from './chat-event';
import { DataTables, whereEquals, type Row, type TableSpec } from './data-tables';

/** A bridged chat's state: with the bot, with a human desk, or over. */
export type LinkState = 'bot' | 'desk' | 'ended';

/**
 * One customer chat as the Chat Bridge links it: the front end's chat, the bot's conversation, and
 * the desk's conversation once handed over. Kept in a Data Table, shared by every n8n process.
 */
export interface BridgeLink {
	rowId?: number;
	chatId: string;
	replyUrl: string;
	customerName: string;
	bot: ChatProvider;
	botConversationId: string;
	state: LinkState;
	desk?: ChatProvider;
	deskConversationId?: string;
	/** The desk's reply address (what its send operation needs), once handed over. */
	deskAddress?: ReplyAddress;
	/** Where the desk triggers start reading the desk conversation (its first message id or time), when known. */
	deskStartAfter?: string;
}

/** The links table of a bridge: `<bridge>_links`. */
export function linksTable(bridge: string): TableSpec {
	return {
		name: `${bridge}_links`,
		columns: [
			{ name: 'chatId', type: 'string' },
			{ name: 'replyUrl', type: 'string' },
			{ name: 'customerName', type: 'string' },
			{ name: 'bot', type: 'string' },
			{ name: 'botConversationId', type: 'string' },
			{ name: 'state', type: 'string' },
			{ name: 'desk', type: 'string' },
			{ name: 'deskConversationId', type: 'string' },
			{ name: 'deskAddress', type: 'string' },
			{ name: 'deskStartAfter', type: 'string' },
		],
	};
}

export const DEFAULT_BRIDGE_NAME = 'chat_bridge';

/**
 * A node's Bridge Name (the default when it has none), which names the bridge's tables: letters, digits
 * and `_`, starting with a letter. Anything else is refused, with `description` saying what to set.
 */
export function checkedBridgeName(node: INode, value: unknown, description: string): string {
	if (value === undefined) return DEFAULT_BRIDGE_NAME;
	const name = String(value).trim();
	if (!/^[a-zA-Z][a-zA-Z0-9_]{0,40}$/.test(name)) {
		throw new NodeOperationError(node, `Bridge Name "${String(value)}" cannot name a data table`, { description });
	}
	return name;
}

function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value);
}

export function linkFromRow(row: Row): BridgeLink {
	let deskAddress: ReplyAddress | undefined;
	if (text(row.deskAddress) !== '') {
		try {
			deskAddress = JSON.parse(text(row.deskAddress)) as ReplyAddress;
		} catch {
			deskAddress = undefined;
		}
	}
	const link: BridgeLink = {
		rowId: typeof row.id === 'number' ? row.id : undefined,
		chatId: text(row.chatId),
		replyUrl: text(row.replyUrl),
		customerName: text(row.customerName),
		bot: text(row.bot) as ChatProvider,
		botConversationId: text(row.botConversationId),
		state: (text(row.state) || 'bot') as LinkState,
	};
	if (text(row.desk)) link.desk = text(row.desk) as ChatProvider;
	if (text(row.deskConversationId)) link.deskConversationId = text(row.deskConversationId);
	if (deskAddress) link.deskAddress = deskAddress;
	if (text(row.deskStartAfter)) link.deskStartAfter = text(row.deskStartAfter);
	return link;
}

export function linkToRow(link: Partial<BridgeLink>): IDataObject {
	const row: IDataObject = {};
	for (const key of ['chatId', 'replyUrl', 'customerName', 'bot', 'botConversationId', 'state', 'desk', 'deskConversationId', 'deskStartAfter'] as const) {
		if (link[key] !== undefined) row[key] = link[key];
	}
	if (link.deskAddress !== undefined) row.deskAddress = JSON.stringify(link.deskAddress);
	return row;
}

/**
 * The links of one bridge. Concurrent first writes of one chat can make two rows on Postgres (n8n's
 * upsert is not atomic there): reads take the oldest row, so every process agrees on one link.
 */
export class BridgeLinks {
	readonly table: TableSpec;

	constructor(
		private readonly tables: DataTables,
		bridge: string,
	) {
		this.table = linksTable(bridge);
	}

	async findBy(values: Record<string, string>): Promise<BridgeLink | undefined> {
		const rows = await this.tables.rows(this.table, whereEquals(values), { limit: 5, sortBy: 'id:asc' });
		const live = rows.find((row) => row.state !== 'ended');
		return live ? linkFromRow(live) : undefined;
	}

	async create(link: BridgeLink): Promise<BridgeLink> {
		const row = await this.tables.insert(this.table, linkToRow(link));
		return { ...link, rowId: typeof row.id === 'number' ? row.id : undefined };
	}

	async update(link: BridgeLink, changes: Partial<BridgeLink>): Promise<BridgeLink> {
		const filter = link.rowId !== undefined ? whereEquals({ id: link.rowId }) : whereEquals({ chatId: link.chatId, botConversationId: link.botConversationId });
		await this.tables.update(this.table, filter, linkToRow(changes));
		return { ...link, ...changes };
	}

	/** Open links handed over to one desk provider: what a desk trigger follows. */
	async handedOverTo(desk: ChatProvider): Promise<BridgeLink[]> {
		const rows = await this.tables.rows(this.table, whereEquals({ desk, state: 'desk' }), { limit: 10_000, sortBy: 'id:asc' });
		return rows.map(linkFromRow);
	}
}
