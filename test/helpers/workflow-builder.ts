import type { INode, INodeParameters } from 'n8n-workflow';

import { nodeTypeName } from './node-types';
import type { WorkflowJson } from './workflow';

export interface NodeSpec {
	/** Node name in the workflow. */
	name: string;
	/** This package's node name (e.g. `novaTalks`) or a full type (`n8n-nodes-base.manualTrigger`). */
	type: string;
	parameters?: INodeParameters;
	typeVersion?: number;
	webhookId?: string;
	continueOnFail?: boolean;
}

/** A straight chain of nodes, each feeding the next, as a workflow JSON. */
export function chain(...specs: NodeSpec[]): WorkflowJson {
	const nodes: INode[] = specs.map((spec, index) => ({
		id: `node-${index}`,
		name: spec.name,
		type: spec.type.includes('.') ? spec.type : nodeTypeName(spec.type),
		typeVersion: spec.typeVersion ?? 1,
		position: [index * 220, 0],
		parameters: spec.parameters ?? {},
		...(spec.webhookId ? { webhookId: spec.webhookId } : {}),
		...(spec.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	}));
	const connections: WorkflowJson['connections'] = {};
	for (let index = 0; index < specs.length - 1; index++) {
		connections[specs[index].name] = { main: [[{ node: specs[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { nodes, connections };
}

/** Manual Trigger followed by one node: the usual shape for testing an action node. */
export function actionWorkflow(type: string, parameters: INodeParameters, options: Partial<NodeSpec> = {}): WorkflowJson {
	return chain(
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger' },
		{ name: 'Action', type, parameters, ...options },
	);
}
