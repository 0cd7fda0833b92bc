import type { ExecutionDetails } from '../n8n';
import type { ImportedWorkflow, Stack } from '../stack';

/**
 * Drives one imported example in the real n8n and asserts on what it did: what n8n recorded and
 * what the provider emulator saw.
 */
export type ExampleDriver = (stack: Stack, imported: ImportedWorkflow) => Promise<void>;

export function expectSuccess(execution: ExecutionDetails): ExecutionDetails {
	const failed = Object.entries(execution.nodes).filter(([, node]) => node.error);
	expect({ status: execution.status, error: execution.error, failedNodes: failed }).toEqual({
		status: 'success',
		error: undefined,
		failedNodes: [],
	});
	return execution;
}

/** Waits for `count` executions of the workflow started by its triggers (not by hand), oldest first. */
export async function triggeredExecutions(stack: Stack, imported: ImportedWorkflow, count: number): Promise<ExecutionDetails[]> {
	return await stack.n8n.waitForExecutions(imported.workflow.id, count, { where: (execution) => execution.mode !== 'manual' });
}

/** Polls an asynchronous condition until it holds, or fails after `timeoutMs` naming what it waited for. */
export async function eventually(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}
