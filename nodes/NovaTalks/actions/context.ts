import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { randomBytes } from 'node:crypto';

import type { NovaTalksConnection } from '../client';
import type { TypingChannel } from '../typing-channel';

/** What every operation gets besides n8n's context: the connection and the execution's shared WebSocket. */
export interface OperationScope {
	connection: NovaTalksConnection;
	/** One WebSocket per execution, opened on first use and closed when the node finishes. */
	typingChannel(): TypingChannel;
}

export type Operation = (
	this: IExecuteFunctions,
	itemIndex: number,
	scope: OperationScope,
) => Promise<INodeExecutionData[]>;

/** A string parameter that must not be empty; the error names the field and the item. */
export function requiredString(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (value === '') {
		throw new NodeOperationError(ctx.getNode(), `${label} is empty`, {
			description: `Set "${label}" for item ${itemIndex}`,
			itemIndex,
		});
	}
	return value;
}

export const contactToken = (ctx: IExecuteFunctions, itemIndex: number) =>
	requiredString(ctx, 'contactToken', 'Contact Token', itemIndex);

/** A positive integer ID from a parameter (numbers and numeric strings). */
export function requiredId(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): number {
	const value = requiredString(ctx, name, label, itemIndex);
	return toId(ctx, value, label, itemIndex);
}

export function toId(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): number {
	const id = typeof value === 'number' ? value : Number(String(value).trim());
	if (!Number.isInteger(id) || id <= 0) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be a positive whole number, got "${String(value)}"`, {
			itemIndex,
		});
	}
	return id;
}

/** A JSON-object parameter given as an object or as JSON text. */
export function jsonObject(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			throw new NodeOperationError(ctx.getNode(), `${label} is not valid JSON`, { itemIndex });
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be a JSON object`, { itemIndex });
	}
	return parsed as IDataObject;
}

export const withItem = (json: IDataObject, itemIndex: number): INodeExecutionData => ({
	json,
	pairedItem: { item: itemIndex },
});

/** A fresh echo ID: 12 hex characters, like the ones the vendor's widget sends. */
export function newEchoId(): string {
	return randomBytes(6).toString('hex');
}
