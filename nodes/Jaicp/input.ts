import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** A required text parameter, trimmed; an empty one fails naming the field and the item. */
export function requiredString(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (value === '') {
		throw new NodeOperationError(ctx.getNode(), `${label} is required`, {
			itemIndex,
			description: `Set "${label}" (item ${itemIndex}).`,
		});
	}
	return value;
}

/** A JSON parameter that must hold an object (n8n hands it over as text or already parsed). */
export function jsonObject(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): IDataObject {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		if (value.trim() === '') return {};
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), `${label} is not valid JSON: ${(error as Error).message}`, {
				itemIndex,
			});
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be a JSON object`, { itemIndex });
	}
	return parsed as IDataObject;
}

/** The client's query or event, as the send operations take it. */
export function queryOrEvent(ctx: IExecuteFunctions, itemIndex: number): { query: string } | { event: string } {
	const inputType = ctx.getNodeParameter('inputType', itemIndex, 'query') as string;
	if (inputType === 'event') return { event: requiredString(ctx, 'event', 'Event Name', itemIndex) };
	return { query: requiredString(ctx, 'query', 'Query', itemIndex) };
}

/** A time given as epoch milliseconds or a date, as epoch milliseconds. */
export function epochMs(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	const text = String(value).trim();
	if (/^\d+$/.test(text)) return Number(text);
	const parsed = Date.parse(text);
	if (Number.isNaN(parsed)) {
		throw new NodeOperationError(ctx.getNode(), `${label} is neither epoch milliseconds nor a date: "${text}"`, {
			itemIndex,
		});
	}
	return parsed;
}
