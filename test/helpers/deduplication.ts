import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

/**
 * The store behind n8n's `checkProcessedAndRecord` helpers, in memory: n8n keeps it in its database;
 * the engine in these tests needs one to run nodes that use those helpers (Remove Duplicates does too).
 */
export class MemoryDeduplicator implements IDataDeduplicator {
	private readonly seen = new Map<string, Set<string>>();

	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
	): Promise<IDeduplicationOutput> {
		const set = this.setFor(scope, context);
		const output: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			const key = String(item);
			if (set.has(key)) output.processed.push(item);
			else {
				set.add(key);
				output.new.push(item);
			}
		}
		return output;
	}

	async removeProcessed(items: DeduplicationItemTypes[], scope: DeduplicationScope, context: ICheckProcessedContextData): Promise<void> {
		const set = this.setFor(scope, context);
		for (const item of items) set.delete(String(item));
	}

	async clearAllProcessedItems(scope: DeduplicationScope, context: ICheckProcessedContextData): Promise<void> {
		this.setFor(scope, context).clear();
	}

	async getProcessedDataCount(scope: DeduplicationScope, context: ICheckProcessedContextData): Promise<number> {
		return this.setFor(scope, context).size;
	}

	private setFor(scope: DeduplicationScope, context: ICheckProcessedContextData): Set<string> {
		const key = `${scope}:${context.workflow.id}:${scope === 'node' ? (context.node?.id ?? context.node?.name ?? '') : ''}`;
		let set = this.seen.get(key);
		if (!set) {
			set = new Set();
			this.seen.set(key, set);
		}
		return set;
	}
}

let ready: Promise<void> | undefined;

/** Gives n8n-core's de-duplication service its store, once per test file. */
export function initDeduplication(): Promise<void> {
	ready ??= DataDeduplicationService.init(new MemoryDeduplicator());
	return ready;
}
