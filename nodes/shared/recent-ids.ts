/**
 * Remembers the last `capacity` ids seen, forgetting the oldest first. It can start from ids kept
 * elsewhere (for example a workflow's static data, which n8n persists) and hand them back with `toArray`.
 */
export class RecentIds {
	private readonly ids = new Set<string>();

	constructor(
		private readonly capacity: number,
		initial: Iterable<unknown> = [],
	) {
		for (const id of initial) if (typeof id === 'string') this.remember(id);
	}

	has(id: string): boolean {
		return this.ids.has(id);
	}

	/** The remembered ids, oldest first. */
	toArray(): string[] {
		return [...this.ids];
	}

	/** Records `id`; returns false when it was already there (a duplicate). */
	remember(id: string): boolean {
		if (this.ids.has(id)) return false;
		this.ids.add(id);
		if (this.ids.size > this.capacity) {
			const oldest = this.ids.values().next().value as string;
			this.ids.delete(oldest);
		}
		return true;
	}
}

/** One RecentIds per key (for example per workflow and node), created on first use. */
export class RecentIdsByKey {
	private readonly byKey = new Map<string, RecentIds>();

	constructor(private readonly capacity: number) {}

	for(key: string): RecentIds {
		let ids = this.byKey.get(key);
		if (!ids) {
			ids = new RecentIds(this.capacity);
			this.byKey.set(key, ids);
		}
		return ids;
	}
}
