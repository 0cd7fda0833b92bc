import { TriggerContext } from 'n8n-core';
import type { INode, INodeExecutionData, IRun, ITriggerResponse, IWorkflowExecuteAdditionalData, Workflow } from 'n8n-workflow';

import { waitFor } from './wait';
import { additionalDataFor, buildWorkflow, engine, runWorkflow, type EngineOptions, type WorkflowJson, WorkflowRun } from './workflow';

/** What the emitter's done promise resolves with here: the run itself is not handed back (no source reads it). */
const RUN_NOT_KEPT = undefined as unknown as IRun;

export interface TriggerOptions extends EngineOptions {
	/** The trigger node's name (default: the first node with a `trigger` method). */
	nodeName?: string;
	/** `trigger` is an active workflow; `manual` is the editor's "listen for test event". */
	mode?: 'trigger' | 'manual';
	/** Also run the rest of the workflow on every emit, as n8n does for an active workflow. */
	runDownstream?: boolean;
	/** Called with every emit as it happens (benchmarks time emits with it). */
	onEmit?: (data: INodeExecutionData[][]) => void;
	/** Keep what was emitted in `emitted` and `emissions` (default true); long benchmark runs turn it off. */
	keepEmitted?: boolean;
	/**
	 * Without runDownstream: decides when an emit's execution counts as ended (n8n's done promise), by
	 * calling `settle`; by default at once. Tests of per-conversation order hold it back.
	 */
	onDone?: (settle: () => void, data: INodeExecutionData[][]) => void;
}

/** A running trigger: what it emitted, the errors it reported, and how to stop it. */
export class TriggerHandle {
	readonly emitted: INodeExecutionData[] = [];
	readonly emissions: INodeExecutionData[][][] = [];
	readonly errors: Error[] = [];
	readonly runs: Array<Promise<WorkflowRun>> = [];

	constructor(
		readonly workflow: Workflow,
		readonly node: INode,
		readonly additionalData: IWorkflowExecuteAdditionalData,
		private response: ITriggerResponse | undefined = undefined,
	) {}

	setResponse(response: ITriggerResponse | undefined): void {
		this.response = response;
	}

	/** Runs the trigger's manual function (the editor's test run) and resolves once it has returned. */
	async runManual(): Promise<void> {
		if (!this.response?.manualTriggerFunction) throw new Error('The trigger returned no manualTriggerFunction');
		await this.response.manualTriggerFunction();
	}

	/** JSON of every emitted item. */
	get json() {
		return this.emitted.map((item) => item.json);
	}

	async waitForItems(count: number, timeoutMs = 5000): Promise<INodeExecutionData[]> {
		await waitFor(() => this.emitted.length >= count, timeoutMs, () => `${count} items (got ${this.emitted.length})`);
		return this.emitted.slice(0, count);
	}

	async waitForError(timeoutMs = 5000): Promise<Error> {
		await waitFor(() => this.errors.length > 0, timeoutMs, () => 'an emitted error');
		return this.errors[0];
	}

	/** Calls the trigger's closeFunction, as n8n does when the workflow is deactivated. */
	async close(): Promise<void> {
		await this.response?.closeFunction?.();
		await Promise.allSettled(this.runs);
	}
}

/**
 * Starts a trigger node the way n8n activates a workflow: a real TriggerContext from n8n-core with
 * emit/emitError collected by the handle (and, if asked, the rest of the workflow run per emit).
 */
export async function startTrigger(json: WorkflowJson, options: TriggerOptions = {}): Promise<TriggerHandle> {
	await engine().ready;
	const workflow = buildWorkflow(json, options);
	const node = findTriggerNode(workflow, options.nodeName);
	const mode = options.mode ?? 'trigger';
	const additionalData = additionalDataFor(options);
	const handle = new TriggerHandle(workflow, node, additionalData);

	const context = new TriggerContext(
		workflow,
		node,
		additionalData,
		mode,
		mode === 'manual' ? 'manual' : 'activate',
		(data: INodeExecutionData[][], _response?: unknown, done?: { resolve: (run: IRun) => void; reject: (error: Error) => void }) => {
			if (options.keepEmitted !== false) {
				handle.emissions.push(data);
				handle.emitted.push(...(data[0] ?? []));
			}
			options.onEmit?.(data);
			if (options.runDownstream) {
				const run = runWorkflow(json, { ...options, workflow, mode: 'trigger', startNode: node.name, startData: data });
				handle.runs.push(run);
				// As n8n does: the emit's done promise settles when the execution it started has ended.
				if (done) void run.then(() => done.resolve(RUN_NOT_KEPT), (error: Error) => done.reject(error));
			} else {
				// Without a run: settled at once, or when the test says (ordering tests hold executions back).
				(options.onDone ?? ((settle) => settle()))(() => done?.resolve(RUN_NOT_KEPT), data);
			}
		},
		(error: Error) => {
			handle.errors.push(error);
		},
	);
	const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!nodeType.trigger) throw new Error(`${node.type} has no trigger method`);
	handle.setResponse(await nodeType.trigger.call(context));
	return handle;
}

function findTriggerNode(workflow: Workflow, name?: string): INode {
	if (name) {
		const node = workflow.getNode(name);
		if (!node) throw new Error(`No node named ${name}`);
		return node;
	}
	const node = Object.values(workflow.nodes).find(
		(candidate) => workflow.nodeTypes.getByNameAndVersion(candidate.type, candidate.typeVersion).trigger !== undefined,
	);
	if (!node) throw new Error('The workflow has no trigger node');
	return node;
}
