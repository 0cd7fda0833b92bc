import type { IExecuteFunctions } from 'n8n-workflow';

import { asNodeError } from '../shared/errors';
import type { Outcome } from './bridge';

const SCOPE = 'node' as const;
const OPTIONS = { mode: 'entries' as const, maxEntries: 100_000 };

/**
 * Runs `work` once per key, across retries and n8n processes: the key is claimed in n8n's own
 * de-duplication store (the one Remove Duplicates uses, in n8n's database) before anything is sent,
 * and released again when the work fails, so a retry can try once more. Without a key, it just runs.
 */
export async function claimOnce(
	ctx: IExecuteFunctions,
	key: string | undefined,
	work: () => Promise<Outcome[]>,
	whySkipped: string,
): Promise<Outcome[]> {
	if (key === undefined) return await work();
	const claim = await ctx.helpers.checkProcessedAndRecord([key], SCOPE, OPTIONS);
	if (claim.new.length === 0) return [{ notRelayed: `Not relayed again: ${whySkipped}` }];
	try {
		return await work();
	} catch (error) {
		await ctx.helpers.removeProcessed([key], SCOPE, OPTIONS);
		throw asNodeError(ctx.getNode(), error);
	}
}
