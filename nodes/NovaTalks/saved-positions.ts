import type { IDataObject } from 'n8n-workflow';

/**
 * Where a restarted trigger carries on, per conversation, kept in the trigger node's static data (which
 * n8n saves with the workflow on every emit): after the newest message handled with nothing older still
 * waiting for n8n to run it. A message emitted but not confirmed (n8n went down before it ran) is
 * fetched again after a restart; its de-duplication key keeps n8n from running it twice.
 */
export class SavedPositions {
	private readonly pending = new Map<number, Set<number>>();
	private readonly newest = new Map<number, number>();

	constructor(private readonly staticData: IDataObject) {}

	of(conversationId: number): number | undefined {
		const saved = this.all()[String(conversationId)];
		return typeof saved === 'number' && Number.isFinite(saved) ? saved : undefined;
	}

	/** A message was handled without emitting it (filtered out): nothing waits for it. */
	handled(conversationId: number, messageId: number): void {
		this.newest.set(conversationId, Math.max(this.newest.get(conversationId) ?? 0, messageId));
		this.save(conversationId);
	}

	/** A message was emitted; until `executed`, the saved position stays before it. */
	emitted(conversationId: number, messageId: number): void {
		const waiting = this.pending.get(conversationId) ?? new Set<number>();
		waiting.add(messageId);
		this.pending.set(conversationId, waiting);
		this.handled(conversationId, messageId);
	}

	executed(conversationId: number, messageId: number): void {
		this.pending.get(conversationId)?.delete(messageId);
		this.save(conversationId);
	}

	/** Forgets conversations the trigger no longer follows. */
	keepOnly(conversationIds: number[]): void {
		const positions = this.all();
		const kept = Object.fromEntries(conversationIds.filter((id) => String(id) in positions).map((id) => [String(id), positions[String(id)]]));
		if (Object.keys(kept).length !== Object.keys(positions).length) this.staticData.lastMessageIds = kept;
	}

	private save(conversationId: number): void {
		const waiting = [...(this.pending.get(conversationId) ?? [])];
		const position = waiting.length > 0 ? Math.min(...waiting) - 1 : (this.newest.get(conversationId) ?? 0);
		const positions = this.all();
		if (positions[String(conversationId)] !== position) this.staticData.lastMessageIds = { ...positions, [String(conversationId)]: position };
	}

	private all(): IDataObject {
		const saved = this.staticData.lastMessageIds;
		return saved && typeof saved === 'object' && !Array.isArray(saved) ? (saved as IDataObject) : {};
	}
}
