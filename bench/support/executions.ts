import type { N8n } from '../../test/e2e/n8n';

/** Successful and failed executions of a workflow, as n8n counts them. */
export async function executionCounts(n8n: N8n, workflowId: string): Promise<{ success: number; failed: number }> {
	const count = async (status: string[]) => {
		const filter = encodeURIComponent(JSON.stringify({ workflowId, status }));
		return (await n8n.rest<{ count: number }>('GET', `/executions?filter=${filter}&limit=1`)).count;
	};
	return { success: await count(['success']), failed: await count(['error', 'crashed', 'canceled']) };
}
