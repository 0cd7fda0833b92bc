import type { IExecuteFunctions, INodeExecutionData, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { asNodeError } from './errors';


/**
 * Runs an operation for every input item, the way every action node of this package does: each
 * output item is paired with its input item; a failure becomes an n8n error for that item (through
 * `toError`, so a node can map its own error kinds) and stops the node, unless Continue On Fail is
 * on, in which case the item gets `{ error }` and the next items still run.
 */
export async function runForEachItem(
	ctx: IExecuteFunctions,
	run: (itemIndex: number) => Promise<INodeExecutionData | INodeExecutionData[]>,
	toError: (error: unknown, itemIndex: number) => NodeApiError | NodeOperationError = (error, itemIndex) =>
		asNodeError(ctx.getNode(), error, itemIndex),
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const count = ctx.getInputData().length;
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			const result = await run(itemIndex);
			for (const item of Array.isArray(result) ? result : [result]) {
				output.push({ ...item, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			const nodeError = toError(error, itemIndex);
			if (!ctx.continueOnFail()) throw nodeError;
			output.push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
		}
	}
	return output;
}
