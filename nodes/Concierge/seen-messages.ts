export interface SeenMessage {
	chatSessionId: string;
	/** Epoch ms when the message was sent, if known. */
	sentAt?: number;
}

/**
 * Message ids already handled, in insertion order, at most `capacity` of them. The oldest entry goes
 * when a new one comes; `onEvict` hears about it, so a caller can move a watermark past it.
 */
export class SeenMessages {
	private readonly entries = new Map<string, SeenMessage>();

	constructor(
		private readonly capacity: number,
		private readonly onEvict: (messageId: string, entry: SeenMessage) => void = () => undefined,
	) {}

	get size(): number {
		return this.entries.size;
	}

	has(messageId: string): boolean {
		return this.entries.has(messageId);
	}

	get(messageId: string): SeenMessage | undefined {
		return this.entries.get(messageId);
	}

	/** Records a message; false when it was there already. */
	add(messageId: string, entry: SeenMessage): boolean {
		if (this.entries.has(messageId)) return false;
		this.entries.set(messageId, entry);
		if (this.entries.size > this.capacity) {
			const [oldestId, oldest] = this.entries.entries().next().value as [string, SeenMessage];
			this.entries.delete(oldestId);
			this.onEvict(oldestId, oldest);
		}
		return true;
	}
}
