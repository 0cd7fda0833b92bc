import { SeenIds } from '../../nodes/NovaTalks/seen-ids';

describe('SeenIds', () => {
	it('recognises repeats and forgets the oldest ids beyond its capacity', () => {
		const seen = new SeenIds<number>(3);
		expect([1, 2, 3, 2].map((id) => seen.add(id))).toEqual([true, true, true, false]);
		expect(seen.add(4)).toBe(true);
		expect(seen.size).toBe(3);
		expect(seen.has(1)).toBe(false);
		expect(seen.toArray()).toEqual([2, 3, 4]);
		expect(seen.add(5)).toBe(true);
		expect(seen.add(6)).toBe(true);
		expect(seen.toArray()).toEqual([4, 5, 6]);
		expect(seen.add(1)).toBe(true);
		expect(seen.toArray()).toEqual([5, 6, 1]);
	});

	it('stays bounded over a long run', () => {
		const seen = new SeenIds<number>(1000);
		for (let id = 0; id < 100_000; id++) seen.add(id);
		expect(seen.size).toBe(1000);
		expect(seen.has(99_999)).toBe(true);
		expect(seen.has(98_999)).toBe(false);
	});
});
