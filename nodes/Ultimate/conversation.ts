import { randomUUID } from 'node:crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { replyAddressOf } from '../shared/reply-address';
import type { ConverseRequest, MetadataEntry } from './protocol';

export type ConversationOperation =
	| 'startSession'
	| 'sendMessage'
	| 'clickButton'
	| 'selectCard'
	| 'sendMetadata'
	| 'endSession';

interface KeyValueEntry {
	key?: unknown;
	value?: unknown;
	sanitize?: unknown;
}

/**
 * Reads one item's parameters and builds the converse request for an operation, refusing bad input
 * before anything is sent (the error names the field and the item).
 */
export function buildConverseRequest(
	ctx: IExecuteFunctions,
	operation: ConversationOperation,
	itemIndex: number,
): ConverseRequest {
	const param = (name: string, fallback?: unknown) => ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	const optionalMetadata = () => {
		const options = param('options', {}) as IDataObject;
		return keyValueEntries(ctx, options.metadata, 'Options > Metadata', itemIndex);
	};

	if (operation === 'startSession') {
		const given = String(param('conversationId', '') ?? '').trim();
		return withMetadata({ platformConversationId: given || randomUUID(), eventType: 'startSession' }, optionalMetadata());
	}

	const platformConversationId =
		replyAddressOf(ctx, itemIndex, 'ultimate')?.conversationId ?? requiredText(ctx, param('conversationId'), 'Conversation ID', itemIndex);
	const message = (fields: Pick<ConverseRequest, 'text' | 'cardIndex'>): ConverseRequest =>
		withMetadata({ platformConversationId, eventType: 'message', ...fields }, optionalMetadata());
	switch (operation) {
		case 'sendMessage':
			return message({ text: requiredText(ctx, param('text'), 'Text', itemIndex) });
		case 'clickButton':
			return message({ text: requiredText(ctx, param('buttonText'), 'Button Text', itemIndex) });
		case 'selectCard':
			return message({
				text: requiredText(ctx, param('buttonText'), 'Button Text', itemIndex),
				cardIndex: cardIndexOf(ctx, param('cardIndex'), itemIndex),
			});
		case 'sendMetadata': {
			const metaData = keyValueEntries(ctx, param('metadata', {}), 'Metadata', itemIndex);
			if (metaData.length === 0) {
				throw new NodeOperationError(ctx.getNode(), 'Metadata needs at least one entry', { itemIndex });
			}
			return { platformConversationId, eventType: 'metadata', metaData };
		}
		case 'endSession':
			return { platformConversationId, eventType: 'endSession' };
	}
}

function withMetadata(request: ConverseRequest, metaData: MetadataEntry[]): ConverseRequest {
	return metaData.length > 0 ? { ...request, metaData } : request;
}

function requiredText(ctx: IExecuteFunctions, value: unknown, field: string, itemIndex: number): string {
	const text = value === undefined || value === null ? '' : String(value);
	if (text.trim() === '') {
		throw new NodeOperationError(ctx.getNode(), `${field} is required`, {
			itemIndex,
			description: `The "${field}" field is empty for item ${itemIndex}`,
		});
	}
	return text;
}

function cardIndexOf(ctx: IExecuteFunctions, value: unknown, itemIndex: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < 0) {
		throw new NodeOperationError(ctx.getNode(), 'Card Index must be a non-negative whole number', {
			itemIndex,
			description: `Got ${JSON.stringify(value)} for item ${itemIndex}; cards are counted from 0`,
		});
	}
	return number;
}

/** A key/value fixedCollection as `{key, value, sanitize}` entries; values become text, as Ultimate wants. */
export function keyValueEntries(
	ctx: IExecuteFunctions,
	collection: unknown,
	field: string,
	itemIndex: number,
): MetadataEntry[] {
	const entries = ((collection as { entries?: KeyValueEntry[] } | undefined)?.entries ?? []) as KeyValueEntry[];
	return entries.map((entry, position) => {
		const key = entry.key === undefined || entry.key === null ? '' : String(entry.key).trim();
		if (key === '') {
			throw new NodeOperationError(ctx.getNode(), `${field} entry ${position + 1} has no key`, { itemIndex });
		}
		const value = entry.value === undefined || entry.value === null ? '' : textOf(entry.value);
		return { key, value, sanitize: entry.sanitize === true };
	});
}

function textOf(value: unknown): string {
	return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
