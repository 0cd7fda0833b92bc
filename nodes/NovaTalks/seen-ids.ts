/**
 * Remembers the most recent `capacity` ids and forgets the oldest first, so de-duplication works
 * for as long as a trigger runs without its memory growing. Eviction is O(1): a ring of the ids in
 * arrival order beside the set.
 */
export class SeenIds<T = number | string> {
	private readonly ids = new Set<T>();
	private readonly ring: T[] = [];
	private next = 0;

	constructor(readonly capacity = 10_000) {}

	has(id: T): boolean {
		return this.ids.has(id);
	}

	/** Records the id; false when it was already there. */
	add(id: T): boolean {
		if (this.ids.has(id)) return false;
		if (this.ring.length < this.capacity) {
			this.ring.push(id);
		} else {
			this.ids.delete(this.ring[this.next]);
			this.ring[this.next] = id;
			this.next = (this.next + 1) % this.capacity;
		}
		this.ids.add(id);
		return true;
	}

	get size(): number {
		return this.ids.size;
	}

	/** The ids, oldest first (for keeping them in workflow static data). */
	toArray(): T[] {
		return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
	}
}
