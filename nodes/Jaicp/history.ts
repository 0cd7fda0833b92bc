import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { answers } from './answers';
import { jaicpRequest, type JaicpCredentials } from './client';
import { historyPage, questionIdOf, routes, type JaicpResponse } from './protocol';

const HISTORY_PAGE_SIZE = 100;
export const DEFAULT_MAX_HISTORY_ENTRIES = 10_000;

export interface HistoryQuery {
	clientId: string;
	period: IDataObject;
	/** How many entries are wanted (Infinity: all). */
	limit: number;
	/** With Return All, the most entries read before it is an error. */
	maxEntries: number;
	itemIndex: number;
}

/** What names a history entry, to see a page the server sends again. */
const entryKey = (entry: JaicpResponse): string => {
	const questionId = questionIdOf(entry);
	return questionId !== undefined ? `${questionId}|${String(entry.timestamp ?? '')}` : JSON.stringify(entry);
};

/**
 * Reads the history page by page (`page`/`size`, which the public docs do not list). Stops at a short
 * page, at the total the server gives, or at a page that brings nothing new (a server that ignores
 * `page` sends the same entries again); entries are de-duplicated, and Return All is bounded.
 */
export async function readHistory(ctx: IExecuteFunctions, credentials: JaicpCredentials, query: HistoryQuery): Promise<JaicpResponse[]> {
	const { limit, itemIndex } = query;
	const entries: JaicpResponse[] = [];
	const seen = new Set<string>();
	const size = Math.min(HISTORY_PAGE_SIZE, limit);
	for (let page = 0; entries.length < limit; page++) {
		const body = await jaicpRequest<unknown>(ctx, credentials, {
			operation: 'JAICP Get History',
			answer: answers.history,
			method: 'GET',
			path: routes.history(query.clientId),
			qs: { ...query.period, page, size },
			itemIndex,
		});
		const { entries: found, total } = historyPage(body);
		let fresh = 0;
		for (const entry of found) {
			const key = entryKey(entry);
			if (seen.has(key)) continue;
			seen.add(key);
			entries.push(entry);
			fresh++;
		}
		if (limit === Infinity && entries.length > query.maxEntries) {
			throw new NodeOperationError(ctx.getNode(), `JAICP Get History: the history has more than ${query.maxEntries} entries (Max Entries)`, {
				description: 'Narrow the period with From and To, or raise Max Entries in the options',
				itemIndex,
			});
		}
		if (fresh === 0 && found.length > 0 && total !== undefined && entries.length < total) {
			throw new NodeOperationError(ctx.getNode(), `JAICP Get History: the server sent the same entries again for page ${page}, after ${entries.length} of ${total}`, {
				description: 'It does not seem to page: narrow the period with From and To to get the rest',
				itemIndex,
			});
		}
		if (fresh === 0 || found.length < size || (total !== undefined && entries.length >= total)) break;
	}
	return entries.slice(0, limit);
}
