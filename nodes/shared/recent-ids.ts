import type { IDataObject } from 'n8n-workflow';

/**
 * Remembers the most recent `capacity` ids and forgets the oldest first, so de-duplication works for as
 * long as a trigger runs without its memory growing. Eviction is O(1): a ring of the ids in arrival
 * order beside the set. It can start from ids kept elsewhere (for example a workflow's static data,
 * which n8n persists) and hand them back with `toArray`.
 */
export class RecentIds<T extends string | number = string> {
	private readonly ids = new Set<T>();
	private readonly ring: T[] = [];
	private next = 0;

	constructor(
		readonly capacity: number,
		initial: Iterable<unknown> = [],
	) {
		for (const id of initial) if (typeof id === 'string' || typeof id === 'number') this.remember(id as T);
	}

	has(id: T): boolean {
		return this.ids.has(id);
	}

	get size(): number {
		return this.ids.size;
	}

	/** Records `id`; returns false when it was already there (a duplicate). */
	remember(id: T): boolean {
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

	/** The remembered ids, oldest first. */
	toArray(): T[] {
		return [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
	}
}

/**
 * Records `id` among the ids kept under `field` of a workflow's static data (the newest `capacity`);
 * false when it was there already. n8n saves static data with the workflow after a webhook call, so a
 * re-delivery is recognised by every n8n process that loads the workflow after that save, and after
 * restarts; two copies handled at the same moment in two processes can both pass (static data has no
 * lock: last writer wins).
 */
export function rememberInStaticData(staticData: IDataObject, field: string, id: string, capacity: number): boolean {
	const saved = staticData[field];
	const ids = new RecentIds<string>(capacity, Array.isArray(saved) ? saved : []);
	if (!ids.remember(id)) return false;
	staticData[field] = ids.toArray();
	return true;
}
