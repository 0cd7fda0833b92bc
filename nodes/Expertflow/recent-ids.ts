/** The last `capacity` ids seen, oldest forgotten first: de-duplication with bounded memory. */
export class RecentIds {
	private readonly ids = new Set<string>();

	constructor(readonly capacity: number) {}

	get size(): number {
		return this.ids.size;
	}

	/** Remembers the id; false if it was seen already. */
	remember(id: string): boolean {
		if (this.ids.has(id)) return false;
		this.ids.add(id);
		if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
		return true;
	}
}
