import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { NovaTalksEmulator } from '../emulators/novatalks';
import { actionWorkflow, chain } from '../helpers/workflow-builder';
import { runWorkflow, type WorkflowRun } from '../helpers/workflow';

/** A real 1×1 PNG: what an attachment upload sends as bytes. */
export const PNG_BYTES = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64',
);

export const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');

/** Runs the NovaTalks action node once (one input item unless `items` are given) against the emulator. */
export async function runAction(
	emulator: NovaTalksEmulator,
	parameters: INodeParameters,
	options: { items?: INodeExecutionData[]; continueOnFail?: boolean; credentials?: Record<string, string | number> } = {},
): Promise<WorkflowRun> {
	const workflow = actionWorkflow('novaTalks', parameters, { continueOnFail: options.continueOnFail });
	return await runWorkflow(workflow, {
		credentials: emulator.credentials(options.credentials),
		...(options.items ? { startData: [options.items] } : {}),
	});
}

/** NovaTalks Trigger alone, as a workflow. */
export function triggerWorkflow(parameters: INodeParameters) {
	return chain({ name: 'NovaTalks Trigger', type: 'novaTalksTrigger', parameters });
}

/** The error a node failed with, as n8n shows it. */
export function errorOf(run: WorkflowRun, node = 'Action') {
	const error = run.nodeError(node) as unknown as { name: string; message: string; description?: string; httpCode?: string } | undefined;
	if (!error) throw new Error(`Node ${node} did not fail (status ${run.status})`);
	return error;
}
