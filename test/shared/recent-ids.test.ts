import { NodeApiError, NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import { asNodeError } from '../../nodes/shared/errors';
import { RecentIds, rememberInStaticData } from '../../nodes/shared/recent-ids';
import { sameSecret } from '../../nodes/shared/secrets';

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

	it('keeps the newest ids in static data, as a copy loaded by another process sees them', () => {
		const staticData: IDataObject = {};
		expect(rememberInStaticData(staticData, 'seen', 'x', 2)).toBe(true);
		const loadedElsewhere = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		expect(rememberInStaticData(loadedElsewhere, 'seen', 'x', 2)).toBe(false);
		expect(rememberInStaticData(loadedElsewhere, 'seen', 'y', 2)).toBe(true);
		expect(rememberInStaticData(loadedElsewhere, 'seen', 'z', 2)).toBe(true);
		expect(loadedElsewhere.seen).toEqual(['y', 'z']);
		expect(rememberInStaticData(loadedElsewhere, 'seen', 'x', 2)).toBe(true);
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

describe('RecentIds over a long run', () => {
	it('keeps arrival order across the ring and stays bounded', () => {
		const seen = new RecentIds<number>(3);
		expect([1, 2, 3, 2].map((id) => seen.remember(id))).toEqual([true, true, true, false]);
		expect(seen.remember(4)).toBe(true);
		expect(seen.toArray()).toEqual([2, 3, 4]);
		expect(seen.remember(5) && seen.remember(6)).toBe(true);
		expect(seen.toArray()).toEqual([4, 5, 6]);

		const long = new RecentIds<number>(1000);
		for (let id = 0; id < 100_000; id++) long.remember(id);
		expect(long.size).toBe(1000);
		expect(long.has(99_999)).toBe(true);
		expect(long.has(98_999)).toBe(false);
	});

	it('starts from saved ids, ignoring entries that are not ids', () => {
		const seen = new RecentIds<string>(5, ['a', 7 as unknown as string, null, 'b']);
		expect(seen.toArray()).toEqual(['a', 7, 'b']);
		expect(seen.remember('a')).toBe(false);
	});
});

describe('sameSecret', () => {
	it('accepts only the exact secret', () => {
		expect(sameSecret('s3cret', 's3cret')).toBe(true);
		expect(sameSecret('s3cret!', 's3cret')).toBe(false);
		expect(sameSecret('', 's3cret')).toBe(false);
		expect(sameSecret(undefined, 's3cret')).toBe(false);
		expect(sameSecret('', '')).toBe(false);
	});
});
