/**
 * Remembers the most recent `capacity` ids and forgets the oldest first, so de-duplication works
 * for as long as a trigger runs without its memory growing.
 */
export class SeenIds<T = number | string> {
	private readonly ids = new Set<T>();

	constructor(readonly capacity = 10_000) {}

	has(id: T): boolean {
		return this.ids.has(id);
	}

	/** Records the id; false when it was already there. */
	add(id: T): boolean {
		if (this.ids.has(id)) return false;
		this.ids.add(id);
		if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as T);
		return true;
	}

	get size(): number {
		return this.ids.size;
	}

	/** The ids, oldest first (for keeping them in workflow static data). */
	toArray(): T[] {
		return [...this.ids];
	}
}
