import type { IDataObject, INodeType, INodeTypes, IVersionedNodeType } from 'n8n-workflow';

import { buildWorkflow, engine, runWorkflow, type RunOptions, type WorkflowJson, type WorkflowRun } from '../../test/helpers/workflow';

type AnyNodeType = INodeType | IVersionedNodeType;

/** This package's node types (as the test harness loads them) plus the given ones, e.g. n8n's HTTP Request node. */
class ExtendedNodeTypes implements INodeTypes {
	constructor(private readonly extra: Record<string, AnyNodeType>) {}

	getByName(name: string): AnyNodeType {
		return this.extra[name] ?? engine().nodeTypes.getByName(name);
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		const type = this.extra[name];
		if (!type) return engine().nodeTypes.getByNameAndVersion(name, version);
		return 'nodeVersions' in type ? type.getNodeType(version) : type;
	}

	getKnownTypes(): IDataObject {
		return { ...engine().nodeTypes.getKnownTypes(), ...Object.fromEntries(Object.keys(this.extra).map((name) => [name, {}])) };
	}
}

/**
 * Runs a workflow in n8n-core's engine (the test harness's runWorkflow), with node types beyond this
 * package's. Nodes that declare a credential the options supply get it, as the harness does.
 */
export async function runWithNodeTypes(json: WorkflowJson, extra: Record<string, AnyNodeType>, options: RunOptions): Promise<WorkflowRun> {
	await engine().ready;
	const workflow = buildWorkflow(json, { ...options, nodeTypes: new ExtendedNodeTypes(extra) });
	return await runWorkflow(json, { ...options, workflow });
}
