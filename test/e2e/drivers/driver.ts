import type { ExecutionDetails } from '../n8n';
import type { ImportedWorkflow, Stack } from '../stack';

/**
 * Drives one imported example in the real n8n and asserts on what it did: what n8n recorded and
 * what the provider emulator saw.
 */
export type ExampleDriver = (stack: Stack, imported: ImportedWorkflow) => Promise<void>;

/** Runs a workflow from its Manual Trigger and waits for a successful finish (or fails naming the node that broke). */
export async function runManually(stack: Stack, imported: ImportedWorkflow): Promise<ExecutionDetails> {
	if (!imported.manualTrigger) throw new Error(`${imported.file} has no Manual Trigger`);
	const executionId = await stack.n8n.runManually(imported.workflow, imported.manualTrigger);
	return expectSuccess(await stack.n8n.finishedExecution(executionId));
}

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
