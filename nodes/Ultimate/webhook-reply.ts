import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { jsonParse, NodeOperationError } from 'n8n-workflow';

import { keyValueEntries } from './conversation';
import { actionResultsReply, teamOnlineReply, type ActionResult } from './protocol';

export type WebhookReplyOperation = 'answerTeamOnline' | 'answerAction';

/**
 * Builds the JSON the Ultimate Trigger's webhook answers with, when this node is the workflow's
 * last node: `{"isOnline": …}` for isTeamOnline, `{"results": [...]}` for an action.
 */
export function buildWebhookReply(ctx: IExecuteFunctions, operation: WebhookReplyOperation, itemIndex: number): IDataObject {
	if (operation === 'answerTeamOnline') {
		return teamOnlineReply(booleanOf(ctx, ctx.getNodeParameter('isOnline', itemIndex), itemIndex));
	}
	const mode = ctx.getNodeParameter('resultsMode', itemIndex) as 'fields' | 'json';
	const results =
		mode === 'json'
			? resultsFromJson(ctx, ctx.getNodeParameter('resultsJson', itemIndex), itemIndex)
			: keyValueEntries(ctx, ctx.getNodeParameter('results', itemIndex, {}), 'Results', itemIndex);
	return actionResultsReply(results) as unknown as IDataObject;
}

function booleanOf(ctx: IExecuteFunctions, value: unknown, itemIndex: number): boolean {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	throw new NodeOperationError(ctx.getNode(), 'Team Is Online must be true or false', {
		itemIndex,
		description: `Got ${JSON.stringify(value)} for item ${itemIndex}`,
	});
}

function resultsFromJson(ctx: IExecuteFunctions, value: unknown, itemIndex: number): ActionResult[] {
	const invalid = (message: string) => new NodeOperationError(ctx.getNode(), message, { itemIndex });
	let list: unknown = value;
	if (typeof value === 'string') {
		try {
			list = jsonParse(value);
		} catch {
			throw invalid('Results (JSON) is not valid JSON');
		}
	}
	if (!Array.isArray(list)) throw invalid('Results (JSON) must be an array of {key, value, sanitize?}');
	return list.map((entry: unknown, position) => {
		const record = entry as Record<string, unknown> | null;
		if (typeof record !== 'object' || record === null || typeof record.key !== 'string' || record.key.trim() === '') {
			throw invalid(`Results (JSON) entry ${position + 1} needs a "key"`);
		}
		const result: ActionResult = { key: record.key, value: record.value ?? '' };
		if (record.sanitize !== undefined) result.sanitize = record.sanitize === true;
		return result;
	});
}
