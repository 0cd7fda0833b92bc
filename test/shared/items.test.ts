import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { runForEachItem } from '../../nodes/shared/items';

/** The loop is exercised through every action node's tests; here its rules are pinned down directly. */
describe('runForEachItem', () => {
	const node = { id: '1', name: 'Node', type: 't', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
	const context = (count: number, continueOnFail: boolean) =>
		({
			getInputData: () => Array.from({ length: count }, (_, index) => ({ json: { index } })),
			continueOnFail: () => continueOnFail,
			getNode: () => node,
		}) as unknown as IExecuteFunctions;
	const run = async (itemIndex: number): Promise<INodeExecutionData[]> => {
		if (itemIndex === 1) throw new NodeOperationError(node, 'Item 1 is bad', { itemIndex });
		return [{ json: { a: itemIndex } }, { json: { b: itemIndex }, pairedItem: { item: 99 } }];
	};

	it('pairs every output item with its input item and keeps going on failure with Continue On Fail', async () => {
		expect(await runForEachItem(context(3, true), run)).toEqual([
			{ json: { a: 0 }, pairedItem: { item: 0 } },
			{ json: { b: 0 }, pairedItem: { item: 0 } },
			{ json: { error: 'Item 1 is bad' }, pairedItem: { item: 1 } },
			{ json: { a: 2 }, pairedItem: { item: 2 } },
			{ json: { b: 2 }, pairedItem: { item: 2 } },
		]);
	});

	it('stops at the first failure otherwise, with the error the node maps it to', async () => {
		const mapped = new NodeOperationError(node, 'mapped', { itemIndex: 1 });
		await expect(runForEachItem(context(3, false), run, () => mapped)).rejects.toBe(mapped);
	});
});

