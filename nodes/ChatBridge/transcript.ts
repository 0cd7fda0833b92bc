import type { IDataObject } from 'n8n-workflow';

import type { ChatAttachment, ChatRole } from '../shared/chat-event';
import { whereEquals, type DataTables, type Row, type TableSpec } from '../shared/data-tables';

/** One line of a bridged chat, as kept for the hand-over transcript. */
export interface TranscriptEntry {
	chatId: string;
	role: ChatRole;
	name?: string;
	text: string;
	attachments: ChatAttachment[];
	/** Provider time in epoch ms where the provider gives one, arrival time otherwise. */
	at: number;
}

export function messagesTable(bridge: string): TableSpec {
	return {
		name: `${bridge}_messages`,
		columns: [
			{ name: 'chatId', type: 'string' },
			{ name: 'role', type: 'string' },
			{ name: 'name', type: 'string' },
			{ name: 'text', type: 'string' },
			{ name: 'attachments', type: 'string' },
			{ name: 'at', type: 'number' },
		],
	};
}

const LABELS: Record<ChatRole, string> = { customer: 'Customer', bot: 'Bot', agent: 'Agent', system: 'System' };

/** The transcript of every bridged chat, in a Data Table. */
export class Transcripts {
	readonly table: TableSpec;

	constructor(
		private readonly tables: DataTables,
		bridge: string,
	) {
		this.table = messagesTable(bridge);
	}

	async record(entry: TranscriptEntry): Promise<void> {
		const row: IDataObject = {
			chatId: entry.chatId,
			role: entry.role,
			name: entry.name ?? '',
			text: entry.text,
			attachments: JSON.stringify(entry.attachments),
			at: entry.at,
		};
		await this.tables.insert(this.table, row);
	}

	/** The chat's lines in conversation order: by time, then by arrival (row id) for equal times. */
	async entries(chatId: string): Promise<TranscriptEntry[]> {
		const rows = await this.tables.rows(this.table, whereEquals({ chatId }), { limit: 5000, sortBy: 'id:asc' });
		return rows
			.map((row, arrival) => ({ entry: entryOf(row), arrival }))
			.sort((a, b) => a.entry.at - b.entry.at || a.arrival - b.arrival)
			.map(({ entry }) => entry);
	}
}

/** `Customer: text` lines, attachments as links after the text. */
export function renderTranscript(entries: TranscriptEntry[]): string {
	return entries
		.map((entry) => {
			const links = entry.attachments.map((attachment) => ` [${attachment.name ?? 'file'}: ${attachment.url}]`).join('');
			return `${LABELS[entry.role] ?? entry.role}: ${entry.text}${links}`;
		})
		.join('\n');
}

function entryOf(row: Row): TranscriptEntry {
	let attachments: ChatAttachment[] = [];
	try {
		const parsed = JSON.parse(String(row.attachments ?? '[]')) as unknown;
		if (Array.isArray(parsed)) attachments = parsed as ChatAttachment[];
	} catch {
		attachments = [];
	}
	return {
		chatId: String(row.chatId ?? ''),
		role: String(row.role ?? 'system') as ChatRole,
		name: row.name ? String(row.name) : undefined,
		text: String(row.text ?? ''),
		attachments,
		at: Number(row.at) || 0,
	};
}
