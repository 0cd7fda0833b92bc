/**
 * A bounded memory of IDs already handled: the oldest are forgotten first once `capacity` is reached.
 * It is kept as a plain array so it can live in the workflow's static data, which n8n persists.
 */
export class SeenIds {
	private readonly order: string[];
	private readonly lookup: Set<string>;

	constructor(
		initial: unknown,
		private readonly capacity: number,
	) {
		const ids = Array.isArray(initial) ? initial.filter((id): id is string => typeof id === 'string') : [];
		this.order = ids.slice(-capacity);
		this.lookup = new Set(this.order);
	}

	has(id: string): boolean {
		return this.lookup.has(id);
	}

	/** Remembers an ID; returns false when it had been seen already. */
	add(id: string): boolean {
		if (this.lookup.has(id)) return false;
		this.order.push(id);
		this.lookup.add(id);
		while (this.order.length > this.capacity) this.lookup.delete(this.order.shift() as string);
		return true;
	}

	toArray(): string[] {
		return [...this.order];
	}

	get size(): number {
		return this.order.length;
	}
}
