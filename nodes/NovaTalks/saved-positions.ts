import type { IDataObject } from 'n8n-workflow';

/**
 * The newest message id handled per conversation, kept in the trigger node's static data (which n8n
 * saves with the workflow on every emit), so a restarted trigger fetches what came meanwhile.
 */
export class SavedPositions {
	constructor(private readonly staticData: IDataObject) {}

	of(conversationId: number): number | undefined {
		const saved = this.all()[String(conversationId)];
		return typeof saved === 'number' && Number.isFinite(saved) ? saved : undefined;
	}

	record(conversationId: number, messageId: number): void {
		const positions = this.all();
		const key = String(conversationId);
		const current = positions[key];
		if (typeof current !== 'number' || messageId > current) this.staticData.lastMessageIds = { ...positions, [key]: messageId };
	}

	/** Forgets conversations the trigger no longer follows. */
	keepOnly(conversationIds: number[]): void {
		const positions = this.all();
		const kept = Object.fromEntries(conversationIds.filter((id) => String(id) in positions).map((id) => [String(id), positions[String(id)]]));
		if (Object.keys(kept).length !== Object.keys(positions).length) this.staticData.lastMessageIds = kept;
	}

	private all(): IDataObject {
		const saved = this.staticData.lastMessageIds;
		return saved && typeof saved === 'object' && !Array.isArray(saved) ? (saved as IDataObject) : {};
	}
}
