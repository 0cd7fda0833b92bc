import express from 'express';
import { WebhookContext } from 'n8n-core';
import type {
	IHttpRequestMethods,
	INode,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	Workflow,
} from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

import { additionalDataFor, buildWorkflow, engine, runWorkflow, type EngineOptions, type WorkflowJson, WorkflowRun } from './workflow';

interface RegisteredWebhook {
	node: INode;
	description: IWebhookDescription;
	method: string;
	path: string;
	url: string;
}

/** One call to a webhook: what came in, what the node answered, and the execution it started. */
export interface WebhookCall {
	node: string;
	webhook: string;
	statusCode: number;
	run?: WorkflowRun;
}

/**
 * Serves a workflow's webhook nodes over real HTTP on 127.0.0.1, the way n8n's webhook server does:
 * the request body is parsed as n8n parses it (unparsable JSON: 422 before the node sees it), the
 * node's `webhook()` runs in n8n-core's WebhookContext, and the response follows the webhook's
 * `responseMode` (onReceived: answer at once; lastNode: run the workflow and answer with the last
 * node's first item, or 500 if the workflow failed or that node put out no item).
 */
export class WebhookServer {
	readonly calls: WebhookCall[] = [];
	private readonly webhooks: RegisteredWebhook[] = [];
	private server?: Server;
	private pendingRuns: Array<Promise<unknown>> = [];

	private constructor(
		readonly workflow: Workflow,
		private readonly json: WorkflowJson,
		private readonly options: EngineOptions,
	) {}

	static async start(json: WorkflowJson, options: EngineOptions = {}): Promise<WebhookServer> {
		await engine().ready;
		const app = express();
		const server = await new Promise<Server>((resolve) => {
			const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
		});
		const port = (server.address() as AddressInfo).port;
		const engineOptions = { ...options, webhookBaseUrl: `http://127.0.0.1:${port}/webhook` };
		const harness = new WebhookServer(buildWorkflow(json, engineOptions), json, engineOptions);
		harness.server = server;
		harness.register(app);
		return harness;
	}

	/** The production URL of a node's webhook (by webhook name, default `default`). */
	url(nodeName: string, webhookName = 'default'): string {
		const hook = this.webhooks.find((entry) => entry.node.name === nodeName && entry.description.name === webhookName);
		if (!hook) throw new Error(`No webhook ${webhookName} on node ${nodeName}`);
		return hook.url;
	}

	/** Executions started by webhook calls, once they have finished. */
	async runs(): Promise<WorkflowRun[]> {
		await Promise.allSettled(this.pendingRuns);
		return this.calls.flatMap((call) => (call.run ? [call.run] : []));
	}

	async close(): Promise<void> {
		await Promise.allSettled(this.pendingRuns);
		await new Promise<void>((resolve) => {
			this.server?.closeAllConnections();
			this.server?.close(() => resolve());
		});
	}

	private register(app: express.Express): void {
		const base = this.options.webhookBaseUrl as string;
		for (const node of Object.values(this.workflow.nodes)) {
			const nodeType = this.workflow.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
			if (!nodeType.webhook || !nodeType.description.webhooks) continue;
			for (const description of nodeType.description.webhooks) {
				const path = String(this.resolve(node, description.path, ''));
				const isFullPath = this.resolve(node, description.isFullPath, false) === true;
				const method = String(this.resolve(node, description.httpMethod, 'POST')).toUpperCase();
				const webhookPath = NodeHelpers.getNodeWebhookPath(this.workflow.id, node, path, isFullPath);
				const hook = { node, description, method, path: webhookPath, url: `${base}/${webhookPath}` };
				this.webhooks.push(hook);
				app.all(`/webhook/${webhookPath}`, express.raw({ type: () => true, limit: '16mb' }), (req, res) => {
					void this.handle(hook, req, res);
				});
			}
		}
	}

	private async handle(hook: RegisteredWebhook, req: express.Request, res: express.Response): Promise<void> {
		if (req.method !== hook.method) {
			res.status(404).json({ code: 404, message: `This webhook is not registered for ${req.method} requests` });
			return;
		}
		const call: WebhookCall = { node: hook.node.name, webhook: hook.description.name, statusCode: 0 };
		this.calls.push(call);
		res.on('finish', () => (call.statusCode = res.statusCode));

		const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
		const request = req as express.Request & { rawBody: Buffer };
		request.rawBody = raw;
		try {
			request.body = parseBody(raw, req.headers['content-type']);
		} catch {
			res.status(422).json({ code: 422, message: 'Failed to parse request body' });
			return;
		}

		const additionalData = { ...additionalDataFor(this.options), httpRequest: req, httpResponse: res };
		const webhookData: IWebhookData = {
			httpMethod: hook.method as IHttpRequestMethods,
			node: hook.node.name,
			path: hook.path,
			webhookDescription: hook.description,
			workflowId: this.workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: hook.node.webhookId,
		};
		const context = new WebhookContext(this.workflow, hook.node, additionalData, 'webhook', webhookData, [], null);
		const nodeType = this.workflow.nodeTypes.getByNameAndVersion(hook.node.type, hook.node.typeVersion);

		let result: IWebhookResponseData;
		try {
			result = await (nodeType.webhook as NonNullable<typeof nodeType.webhook>).call(context);
		} catch (error) {
			res.status(500).json({ code: 0, message: error instanceof Error ? error.message : String(error) });
			return;
		}
		const responseCode = Number(this.resolve(hook.node, hook.description.responseCode as string | undefined, 200));
		if (result.workflowData === undefined) {
			if (!result.noWebhookResponse && !res.headersSent) {
				res.status(responseCode).json(result.webhookResponse ?? { message: 'Webhook call received' });
			}
			return;
		}

		const responseMode = String(this.resolve(hook.node, hook.description.responseMode, 'onReceived'));
		const replyNow = responseMode !== 'lastNode';
		if (replyNow && !result.noWebhookResponse && !res.headersSent) {
			res.status(responseCode).json(result.webhookResponse ?? { message: 'Workflow was started' });
		}
		const execution = runWorkflow(this.json, {
			...this.options,
			workflow: this.workflow,
			mode: 'webhook',
			startNode: hook.node.name,
			startData: result.workflowData,
		});
		this.pendingRuns.push(execution);
		const run = await execution;
		call.run = run;
		if (replyNow || res.headersSent) return;
		if (run.error) {
			res.status(500).json({ code: 0, message: 'Error in workflow' });
			return;
		}
		const last = run.lastNodeExecuted ? run.output(run.lastNodeExecuted) : [];
		const responseData = String(this.resolve(hook.node, hook.description.responseData, 'firstEntryJson'));
		if (responseData === 'noData') res.status(responseCode).end();
		else if (responseData === 'allEntries') res.status(responseCode).json(last.map((item) => item.json));
		else if (last.length === 0) res.status(500).json({ code: 0, message: 'No item to return was found' });
		else res.status(responseCode).json(last[0].json);
	}

	private resolve(node: INode, value: unknown, fallback: string | boolean | number): unknown {
		if (value === undefined) return fallback;
		if (typeof value !== 'string') return value;
		return this.workflow.expression.getSimpleParameterValue(node, value, 'internal', {}, undefined, fallback) ?? fallback;
	}
}

/** n8n parses JSON, form and text bodies before the node runs; anything else stays raw. */
function parseBody(raw: Buffer, contentType: string | undefined): unknown {
	if (raw.length === 0) return {};
	const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
	if (type === 'application/json' || type.endsWith('+json')) return JSON.parse(raw.toString('utf8'));
	if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
	if (type.startsWith('text/')) return raw.toString('utf8');
	return {};
}
