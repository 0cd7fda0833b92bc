import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import { asNodeError } from '../../nodes/shared/errors';
import { RecentIds, RecentIdsByKey } from '../../nodes/shared/recent-ids';

describe('RecentIds', () => {
	it('reports duplicates and forgets the oldest beyond its capacity', () => {
		const ids = new RecentIds(3);
		expect(['a', 'b', 'a', 'c'].map((id) => ids.remember(id))).toEqual([true, true, false, true]);
		expect(ids.remember('d')).toBe(true); // 'a' is forgotten now
		expect(ids.remember('a')).toBe(true);
		expect(ids.remember('d')).toBe(false);
	});

	it('starts from saved ids (strings only, the newest within capacity) and hands them back oldest first', () => {
		const ids = new RecentIds(3, ['a', 7, 'b', 'c', 'd']);
		expect(ids.toArray()).toEqual(['b', 'c', 'd']);
		expect(ids.has('a')).toBe(false);
		expect(ids.remember('c')).toBe(false);
		expect(ids.remember('e')).toBe(true);
		expect(ids.toArray()).toEqual(['c', 'd', 'e']);
	});

	it('keeps one memory per key', () => {
		const byKey = new RecentIdsByKey(10);
		expect(byKey.for('w1').remember('x')).toBe(true);
		expect(byKey.for('w2').remember('x')).toBe(true);
		expect(byKey.for('w1').remember('x')).toBe(false);
	});
});

describe('asNodeError', () => {
	const node = { name: 'Node', type: 't', typeVersion: 1, position: [0, 0], parameters: {}, id: '1' } as INode;

	it('keeps node errors and wraps anything else with its own message and the item', () => {
		const apiError = new NodeApiError(node, { message: 'x' }, { httpCode: '404' });
		expect(asNodeError(node, apiError)).toBe(apiError);
		const wrapped = asNodeError(node, new Error('No reply to subscribe within 5000 ms'), 2);
		expect(wrapped).toBeInstanceOf(NodeOperationError);
		expect(wrapped.message).toBe('No reply to subscribe within 5000 ms');
		expect(wrapped.context.itemIndex).toBe(2);
	});
});
