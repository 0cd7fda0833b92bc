import { Container } from '@n8n/di';
import { BinaryDataService, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeTypes,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';
import { readFileSync } from 'node:fs';

import { TestCredentialsHelper } from './credentials-helper';
import { initDeduplication } from './deduplication';
import { PackageCredentialTypes, PackageNodeTypes } from './node-types';

/** A workflow as n8n exports it (the fields the engine needs). */
export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IWorkflowBase['connections'];
	settings?: IWorkflowBase['settings'];
	staticData?: IDataObject;
}

export interface EngineOptions {
	/** Credential data by credential type name, e.g. `{ novaTalksApi: { baseUrl: … } }`. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Base URL the webhook nodes are served under (the webhook harness sets it). */
	webhookBaseUrl?: string;
	/** Node types to use instead of this package's (e.g. with n8n's own nodes added, for benchmarks). */
	nodeTypes?: INodeTypes;
}

let engineReady: Promise<void> | undefined;

/** Loads this package's node and credential types once per test file and starts n8n's binary data store. */
export function engine() {
	engineReady ??= Promise.all([Container.get(BinaryDataService).init(), initDeduplication()]).then(() => undefined);
	return { ready: engineReady, nodeTypes: sharedNodeTypes(), credentialTypes: sharedCredentialTypes() };
}

let nodeTypesInstance: PackageNodeTypes | undefined;
let credentialTypesInstance: PackageCredentialTypes | undefined;
const sharedNodeTypes = () => (nodeTypesInstance ??= new PackageNodeTypes());
const sharedCredentialTypes = () => (credentialTypesInstance ??= new PackageCredentialTypes());

export function readWorkflow(file: string): WorkflowJson {
	return JSON.parse(readFileSync(file, 'utf8')) as WorkflowJson;
}

/**
 * Builds n8n's Workflow from JSON. Nodes that declare a credential the test supplies but carry
 * none get a reference to it, as if the user had picked it in the editor.
 */
export function buildWorkflow(json: WorkflowJson, options: EngineOptions = {}): Workflow {
	const nodeTypes = options.nodeTypes ?? engine().nodeTypes;
	const nodes = json.nodes.map((node) => {
		const copy: INode = JSON.parse(JSON.stringify(node)) as INode;
		const declared = nodeTypes.getByNameAndVersion(copy.type, copy.typeVersion).description.credentials ?? [];
		for (const { name } of declared) {
			if (options.credentials?.[name] && !copy.credentials?.[name]) {
				copy.credentials = { ...copy.credentials, [name]: { id: name, name } };
			}
		}
		return copy;
	});
	return new Workflow({
		id: json.id ?? 'test-workflow',
		name: json.name ?? 'test workflow',
		nodes,
		connections: json.connections,
		active: false,
		nodeTypes,
		staticData: json.staticData ?? {},
		settings: json.settings,
	});
}

/** The additional data n8n hands every node context: credentials, hooks and base URLs. */
export function additionalDataFor(
	options: EngineOptions,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	const { credentialTypes } = engine();
	const webhookBaseUrl = options.webhookBaseUrl ?? 'http://127.0.0.1:5678/webhook';
	return {
		credentialsHelper: new TestCredentialsHelper(credentialTypes, options.credentials ?? {}),
		hooks,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in the test engine');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl,
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		userId: 'test-user',
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** The outcome of one execution, with each node's output items at hand. */
export class WorkflowRun {
	constructor(readonly run: IRun) {}

	get status() {
		return this.run.status;
	}

	/** The workflow's error, if the execution failed. */
	get error() {
		return this.run.data.resultData.error;
	}

	get lastNodeExecuted() {
		return this.run.data.resultData.lastNodeExecuted;
	}

	/** Names of the nodes that ran, in order of their first run. */
	get executedNodes(): string[] {
		return Object.keys(this.run.data.resultData.runData);
	}

	/** Items a node put on an output (first output, last run by default). */
	output(nodeName: string, outputIndex = 0, runIndex?: number): INodeExecutionData[] {
		const runs = this.run.data.resultData.runData[nodeName];
		if (!runs || runs.length === 0) {
			throw new Error(`Node "${nodeName}" did not run; ran: ${this.executedNodes.join(', ') || 'nothing'}`);
		}
		const taskData = runs[runIndex ?? runs.length - 1];
		if (taskData.error) throw new Error(`Node "${nodeName}" failed: ${taskData.error.message}`);
		return taskData.data?.main?.[outputIndex] ?? [];
	}

	/** The JSON of every item a node put out. */
	json(nodeName: string, outputIndex = 0): IDataObject[] {
		return this.output(nodeName, outputIndex).map((item) => item.json);
	}

	/** The error a node failed with, if it did. */
	nodeError(nodeName: string) {
		const runs = this.run.data.resultData.runData[nodeName];
		return runs?.[runs.length - 1]?.error;
	}
}

export interface RunOptions extends EngineOptions {
	/** Execution mode; `manual` (the default without startData) runs the start trigger through n8n's manual path. */
	mode?: WorkflowExecuteMode;
	/** Node the run starts at (default: the workflow's start node). */
	startNode?: string;
	/** Items the start node puts out (a trigger's emitted data, a webhook's workflowData). */
	startData?: INodeExecutionData[][];
	/** A Workflow built earlier, to keep its static data across runs. */
	workflow?: Workflow;
}

/** Runs a workflow through n8n-core's WorkflowExecute and resolves when the execution is finished. */
export async function runWorkflow(json: WorkflowJson, options: RunOptions = {}): Promise<WorkflowRun> {
	await engine().ready;
	const workflow = options.workflow ?? buildWorkflow(json, options);
	// Given start items are what an active trigger emitted; without them the start node runs as in the editor.
	const mode = options.mode ?? (options.startData ? 'trigger' : 'manual');
	const startNode = options.startNode ? workflow.getNode(options.startNode) : workflow.getStartNode();
	if (!startNode) throw new Error('The workflow has no start node');

	const hooks = new ExecutionLifecycleHooks(mode, `test-${Date.now()}`, {
		id: workflow.id,
		name: workflow.name ?? 'test',
		active: false,
		isArchived: false,
		nodes: json.nodes,
		connections: json.connections,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as IWorkflowBase);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', (run) => resolve(run)));

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: options.startData ?? [[{ json: {} }]] }, source: null }],
		},
	});

	const execute = new WorkflowExecute(additionalDataFor(options, hooks), mode, runExecutionData);
	await execute.processRunExecutionData(workflow);
	return new WorkflowRun(await finished);
}
