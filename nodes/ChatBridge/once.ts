import type { IExecuteFunctions } from 'n8n-workflow';

import { asNodeError } from '../shared/errors';
import type { Outcome } from './bridge';

const SCOPE = 'node' as const;
const OPTIONS = { mode: 'entries' as const, maxEntries: 100_000 };
const CLAIM_ATTEMPTS = 4;

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
	const claim = await claimKey(ctx, key);
	if (claim.new.length === 0) return [{ notRelayed: `Not relayed again: ${whySkipped}` }];
	try {
		return await work();
	} catch (error) {
		await ctx.helpers.removeProcessed([key], SCOPE, OPTIONS);
		throw asNodeError(ctx.getNode(), error);
	}
}

/**
 * n8n keeps a node's claimed keys in one database row, created by the first claim: executions that
 * claim at once before it exists all try to create it, and all but one fail (a unique constraint).
 * The row is there on the next attempt, so a failed claim is tried again, after a short random wait.
 */
async function claimKey(ctx: IExecuteFunctions, key: string): ReturnType<IExecuteFunctions['helpers']['checkProcessedAndRecord']> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await ctx.helpers.checkProcessedAndRecord([key], SCOPE, OPTIONS);
		} catch (error) {
			if (attempt >= CLAIM_ATTEMPTS) throw asNodeError(ctx.getNode(), error);
			await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 40));
		}
	}
}
