import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { CustomerApp } from './customer-app';
import { N8n, type ExecutionDetails, type NodeTypeDescription, type Owner, type StoredWorkflow, type WorkflowJson } from './n8n';
import { installIntoN8n, type InstalledPackage } from './package-install';
import { repoRoot } from './paths';
import { isPortFree, portOwner } from './port-owner';
import { PROVIDERS, type RunningProvider } from './providers';
import { QueueServices, queueUserFolders, type QueueTopology } from './queue/queue-services';
import { ensureRuntime, type Runtime } from './runtime';

export interface StackOptions {
	/** A fresh folder for this run: n8n's user folder and the logs go here. */
	workDir: string;
	owner: Owner;
	log: (line: string) => void;
	/** Listen on this port when it is free once n8n is about to start (checked then, not earlier); else on a free one. */
	preferredPort?: number;
	/** Queue mode: n8n on Postgres and Redis, with this many workers and webhook processors; a single SQLite n8n otherwise. */
	queue?: QueueTopology;
	/** Whether to import and publish the examples (default true); a benchmark imports only its own workflows. */
	examples?: boolean;
}

export interface ImportedWorkflow {
	/** The example's file name, e.g. `novatalks-send-message.json`. */
	file: string;
	workflow: StoredWorkflow;
	/** Trigger nodes other than the Manual Trigger: when there are any, the workflow is published. */
	triggers: string[];
	manualTrigger?: string;
}

export interface Credential {
	id: string;
	name: string;
}

/**
 * Everything a real-n8n run needs, started in order: n8n and its Node (installed once), this package
 * packed and installed as a community node, the provider emulators, n8n itself with an owner, one
 * credential per provider pointing at its emulator, and the examples imported and published.
 * `stop()` ends all of it; a failure while starting stops what had started.
 */
export class Stack {
	readonly providers = new Map<string, RunningProvider>();
	/** By credential type (the default one) and by `<type>|<name>` (named ones). */
	readonly credentials = new Map<string, Credential>();
	readonly imported: ImportedWorkflow[] = [];
	runtime!: Runtime;
	installed!: InstalledPackage;
	/** The main process (the only one in single-process mode): REST API, editor, triggers. */
	n8n!: N8n;
	/** Queue mode's processes, services and load balancer; undefined in single-process mode. */
	queue?: QueueServices;
	/** The customers' chat app the routing workflows deliver bot and agent messages to. */
	customer!: CustomerApp;
	private nodeTypeList: NodeTypeDescription[] = [];

	private constructor(private readonly options: StackOptions) {}

	static async start(options: StackOptions): Promise<Stack> {
		const stack = new Stack(options);
		try {
			await stack.startAll();
		} catch (error) {
			await stack.stop();
			throw error;
		}
		return stack;
	}

	private async startAll(): Promise<void> {
		const { workDir, log } = this.options;
		this.runtime = await ensureRuntime(log);
		log(`n8n ${this.runtime.n8nVersion} on Node ${this.runtime.nodeVersion} (${this.runtime.dir})`);

		const topology = this.options.queue;
		const userFolder = path.join(workDir, 'n8n-user');
		const queueFolders = topology ? queueUserFolders(workDir, topology) : undefined;
		const n8nFolders = queueFolders ? [queueFolders.main, ...queueFolders.workers, ...queueFolders.webhooks] : [userFolder];
		this.installed = await installIntoN8n(n8nFolders.map(N8n.n8nFolder), path.join(workDir, 'package-install.log'));
		log(`Installed ${this.installed.name}@${this.installed.version} into ${n8nFolders.length} n8n user folder(s)`);

		this.customer = await CustomerApp.start();
		for (const provider of PROVIDERS) {
			this.providers.set(provider.name, await provider.start());
			log(`${provider.displayName} emulator started`);
		}

		if (queueFolders) {
			this.queue = await QueueServices.prepare(this.runtime, workDir, log);
			await this.queue.startN8n(queueFolders, await this.port());
			this.n8n = this.queue.main;
		} else {
			this.n8n = await N8n.start({ runtime: this.runtime, userFolder, logFile: path.join(workDir, 'n8n.log'), port: await this.port() });
			log(`n8n serving at ${this.n8n.url} after ${this.n8n.startSeconds.toFixed(1)} s`);
		}
		await this.n8n.setupOwner(this.options.owner);
		this.nodeTypeList = await this.n8n.nodeTypes();

		for (const [name, provider] of this.providers) {
			const credentialName = `${name} (local emulator)`;
			const id = await this.n8n.createCredential(credentialName, provider.credentialType, provider.credentialData);
			this.credentials.set(provider.credentialType, { id, name: credentialName });
			for (const [named, data] of Object.entries(provider.namedCredentials)) {
				const namedId = await this.n8n.createCredential(named, provider.credentialType, data);
				this.credentials.set(`${provider.credentialType}|${named}`, { id: namedId, name: named });
			}
		}

		await this.createBridgeStoreCredential();

		for (const file of this.options.examples === false ? [] : exampleFiles()) {
			this.imported.push(await this.importWorkflow(file, this.fillPlaceholders(readExample(file))));
		}
	}

	/**
	 * The Chat Bridge's store: an n8n API key with the data table scopes, in a Chat Bridge Store API
	 * credential pointing at this n8n. An n8n that refuses such keys (1.x) gets none: the bridge examples
	 * then fail there, and the suite says why.
	 */
	private async createBridgeStoreCredential(): Promise<void> {
		const key = await this.n8n.createApiKey('Chat Bridge store', CHAT_BRIDGE_SCOPES).catch((error: Error) => error);
		if (key instanceof Error) {
			this.options.log(`No n8n API key with data table scopes (${key.message.split('\n')[0].slice(0, 160)}): the Chat Bridge cannot keep links here.`);
			return;
		}
		const name = 'Chat Bridge store (this n8n)';
		const id = await this.n8n.createCredential(name, 'chatBridgeApi', { baseUrl: this.n8n.url, apiKey: key });
		this.credentials.set('chatBridgeApi', { id, name });
	}

	/** The preferred port if nothing listens on it now; else undefined (a free port), saying who has it. */
	private async port(): Promise<number | undefined> {
		const preferred = this.options.preferredPort;
		if (preferred === undefined || (await isPortFree(preferred))) return preferred;
		this.options.log(`Port ${preferred} is taken by ${portOwner(preferred)}; n8n listens on another port.`);
		return undefined;
	}

	/**
	 * Imports a workflow and, as a user picking credentials in the editor would, gives every node the
	 * emulator credential of each credential type it declares (the one it names, where the example
	 * names one the emulator offers); publishes it if it has a trigger.
	 */
	async importWorkflow(file: string, workflow: WorkflowJson): Promise<ImportedWorkflow> {
		const nodes = workflow.nodes.map((node) => {
			// Credentials of this package's nodes; core nodes (a Webhook's optional auth) keep theirs.
			const ours = node.type.startsWith(`${this.installed.name}.`);
			const declared = ours ? (this.nodeType(node.type)?.credentials ?? []).map((credential) => credential.name) : [];
			const types = [...new Set([...declared, ...Object.keys(node.credentials ?? {})])];
			return types.length === 0 ? node : { ...node, credentials: this.localCredentials(file, node, types) };
		});
		let stored = await this.n8n.createWorkflow({ ...workflow, nodes });
		const enabled = nodes.filter((node) => !node.disabled);
		const manualTrigger = enabled.find((node) => node.type === 'n8n-nodes-base.manualTrigger')?.name;
		const triggers = enabled.filter((node) => node.type !== 'n8n-nodes-base.manualTrigger' && this.isTrigger(node.type)).map((node) => node.name);
		if (triggers.length > 0) stored = await this.n8n.publish(stored);
		const imported = { file, workflow: stored, triggers, manualTrigger };
		if (triggers.length > 0) await this.waitUntilWebhooksServed(imported);
		return imported;
	}

	private localCredentials(file: string, node: WorkflowJson['nodes'][number], types: string[]): Record<string, Credential> {
		return Object.fromEntries(
			types.map((type) => {
				const named = node.credentials?.[type]?.name;
				const credential = (named && this.credentials.get(`${type}|${named}`)) || this.credentials.get(type);
				if (!credential) throw new Error(`${file}: node "${node.name}" needs a ${type} credential, and no emulator provides one`);
				return [type, credential];
			}),
		);
	}

	/** Fills in what an example asks its user to paste (a token, an ID) with the emulators' values. */
	private fillPlaceholders(workflow: WorkflowJson): WorkflowJson {
		let text = JSON.stringify(workflow);
		for (const provider of this.providers.values()) {
			for (const [placeholder, value] of Object.entries(provider.placeholders)) text = text.split(placeholder).join(value);
		}
		return JSON.parse(text) as WorkflowJson;
	}

	private nodeType(type: string): NodeTypeDescription | undefined {
		return this.nodeTypeList.find((candidate) => candidate.name === type);
	}

	private isTrigger(type: string): boolean {
		return this.nodeType(type)?.group.includes('trigger') ?? false;
	}

	/** Runs a workflow from its Manual Trigger, as the editor's button does; fails unless it succeeds. */
	async runManually(imported: ImportedWorkflow): Promise<ExecutionDetails> {
		if (!imported.manualTrigger) throw new Error(`${imported.file} has no Manual Trigger`);
		const executionId = await this.n8n.runManually(imported.workflow, imported.manualTrigger);
		const execution = await this.n8n.finishedExecution(executionId);
		if (execution.status !== 'success') {
			const failed = Object.entries(execution.nodes).filter(([, node]) => node.error);
			throw new Error(`${imported.file} ended with ${execution.status}: ${execution.error ?? JSON.stringify(failed)}`);
		}
		return execution;
	}

	workflow(file: string): ImportedWorkflow {
		const found = this.imported.find((imported) => imported.file === file);
		if (!found) throw new Error(`No imported workflow from ${file}`);
		return found;
	}

	provider<Emulator>(name: string): RunningProvider<Emulator> {
		const provider = this.providers.get(name);
		if (!provider) throw new Error(`The ${name} emulator is not running`);
		return provider as RunningProvider<Emulator>;
	}

	/** The production URL n8n serves a webhook node's webhook on, once its workflow is published (the load balancer's in queue mode). */
	webhookUrl(imported: ImportedWorkflow, nodeName: string, webhookName = 'default'): string {
		return `${this.queue?.proxy.url ?? this.n8n.url}/webhook/${this.webhookPath(imported, nodeName, webhookName)}`;
	}

	private webhookPath(imported: ImportedWorkflow, nodeName: string, webhookName: string): string {
		const node = imported.workflow.nodes.find((candidate) => candidate.name === nodeName);
		if (!node) throw new Error(`${imported.file} has no node "${nodeName}"`);
		const webhook = this.nodeType(node.type)?.webhooks?.find((candidate) => candidate.name === webhookName);
		if (!webhook) throw new Error(`${node.type} has no webhook "${webhookName}"`);
		// A path is either fixed by the node type or taken from a parameter (the core Webhook node's `path`).
		const fromParameter = /^=\{\{\s*\$parameter\["(\w+)"\]\s*\}\}$/.exec(webhook.path);
		const path = fromParameter ? String(node.parameters[fromParameter[1]]) : webhook.path;
		if (path.startsWith('=')) throw new Error(`Cannot resolve the webhook path ${webhook.path} of ${nodeName}`);
		// As n8n-workflow's getNodeWebhookPath builds it.
		const relative = path.replace(/^\//, '');
		return node.webhookId === undefined
			? `${imported.workflow.id}/${encodeURIComponent(node.name.toLowerCase())}/${relative}`
			: webhook.isFullPath
				? relative || node.webhookId
				: `${node.webhookId}/${relative}`;
	}

	/**
	 * In queue mode a webhook processor serves a published workflow's webhooks a moment after the main
	 * published it: waits (bounded) until every processor knows each of them. A CORS preflight asks
	 * without starting the workflow: 204 once the path is registered, 404 before.
	 */
	private async waitUntilWebhooksServed(imported: ImportedWorkflow, timeoutMs = 30_000): Promise<void> {
		if (!this.queue) return;
		const paths = imported.workflow.nodes
			.filter((node) => !node.disabled)
			.flatMap((node) => (this.nodeType(node.type)?.webhooks ?? []).map((webhook) => ({ node: node.name, name: webhook.name })))
			.flatMap(({ node, name }) => {
				try {
					return [this.webhookPath(imported, node, name)];
				} catch {
					return [];
				}
			});
		const deadline = Date.now() + timeoutMs;
		for (const processor of this.queue.webhookProcessors) {
			for (const webhookPath of paths) {
				for (;;) {
					const answer = await fetch(`${processor.url}/webhook/${webhookPath}`, {
						method: 'OPTIONS',
						headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'POST' },
						signal: AbortSignal.timeout(5_000),
					}).catch(() => undefined);
					if (answer?.status === 204) break;
					if (Date.now() > deadline) throw new Error(`${imported.file}: ${processor.url} did not serve /webhook/${webhookPath} within ${timeoutMs / 1000} s`);
					await new Promise((resolve) => setTimeout(resolve, 100));
				}
			}
		}
	}

	/**
	 * Waits (bounded) until n8n serves a production webhook URL: right after publishing, n8n may still
	 * answer 404. Asks with a CORS preflight, which n8n answers from its webhook registry without running anything.
	 */
	async waitForWebhook(url: string, timeoutMs = 20_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const response = await fetch(url, {
				method: 'OPTIONS',
				headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'POST' },
				signal: AbortSignal.timeout(5_000),
			}).catch(() => undefined);
			if (response && response.status < 400) return;
			if (Date.now() > deadline) throw new Error(`n8n did not serve ${url} within ${timeoutMs / 1000} s (last answer ${response?.status ?? 'none'})`);
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}

	async stop(): Promise<void> {
		const stops: Array<Promise<void>> = [];
		if (this.n8n && !this.queue) stops.push(this.n8n.stop());
		for (const provider of this.providers.values()) stops.push(provider.stop());
		if (this.customer) stops.push(this.customer.close());
		if (this.queue) stops.push(this.queue.stop());
		await Promise.allSettled(stops);
	}
}

/** What the Chat Bridge's API key may do: find or create its tables, read, add and change rows. */
export const CHAT_BRIDGE_SCOPES = [
	'dataTable:create',
	'dataTable:list',
	'dataTable:read',
	'dataTableRow:create',
	'dataTableRow:read',
	'dataTableRow:update',
];

export function examplesDir(): string {
	return path.join(repoRoot(), 'examples');
}

export function exampleFiles(): string[] {
	if (!existsSync(examplesDir())) return [];
	return readdirSync(examplesDir())
		.filter((file) => file.endsWith('.json'))
		.sort();
}

export function readExample(file: string): WorkflowJson {
	return JSON.parse(readFileSync(path.join(examplesDir(), file), 'utf8')) as WorkflowJson;
}
