import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { closedPort as freePort } from '../helpers/ports';
import { isPortFree, listenerPid, portOwner, processGroupOf } from './port-owner';
import { startGuarded, tail, type GuardedProcess } from './processes';
import type { Runtime } from './runtime';

const START_TIMEOUT_MS = 180_000;
const REQUEST_TIMEOUT_MS = 30_000;

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface NodeTypeDescription {
	name: string;
	displayName: string;
	version: number | number[];
	group: string[];
	credentials?: Array<{ name: string; required?: boolean }>;
	webhooks?: Array<{ name: string; path: string; isFullPath?: boolean }>;
	properties: Array<{ name: string; type: string }>;
}

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<{
		id?: string;
		name: string;
		type: string;
		typeVersion: number;
		position: [number, number];
		parameters: Record<string, unknown>;
		credentials?: Record<string, { id: string; name: string }>;
		webhookId?: string;
		disabled?: boolean;
	}>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	pinData?: Record<string, unknown>;
}

export interface StoredWorkflow extends WorkflowJson {
	id: string;
	versionId: string;
	active: boolean;
}

export type ExecutionStatus = 'new' | 'running' | 'success' | 'error' | 'canceled' | 'crashed' | 'waiting' | 'unknown';
const UNFINISHED: ExecutionStatus[] = ['new', 'running', 'waiting'];

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: ExecutionStatus;
	mode: string;
	startedAt: string;
	stoppedAt?: string;
}

/** An execution with its run data: per node, the items of each run's first output, or the node's error. */
export interface ExecutionDetails extends ExecutionSummary {
	error?: string;
	nodes: Record<string, { items: Array<Record<string, unknown>>; error?: string }>;
}

/** What an n8n process does: the main (editor, REST API, triggers), a queue worker, or a webhook processor. */
export type N8nRole = 'main' | 'worker' | 'webhook';

export interface N8nStartOptions {
	runtime: Runtime;
	/** N8N_USER_FOLDER: n8n keeps its SQLite database, config and nodes/ under <this>/.n8n. */
	userFolder: string;
	logFile: string;
	/** Listen on this port instead of a free one (the demo prints a stable URL when it can). */
	port?: number;
	/** `main` (the default) runs `n8n start`; `worker` and `webhook` are queue mode's other processes. */
	role?: N8nRole;
	/** Settings on top of the single-process ones (queue mode: the database, Redis, the shared encryption key). */
	environment?: Record<string, string>;
	/** The public base URL of production webhooks (the load balancer's in queue mode); this process's own URL otherwise. */
	webhookUrl?: string;
}

const ROLE_COMMANDS: Record<N8nRole, string> = { main: 'start', worker: 'worker', webhook: 'webhook' };

/**
 * A real n8n process on 127.0.0.1: by default a main with SQLite, driven through the REST API its
 * editor uses; in queue mode also a worker or a webhook processor (then only start, stop, restart and
 * kill apply).
 */
export class N8n {
	private cookie = '';
	private process!: GuardedProcess;

	private constructor(
		readonly url: string,
		readonly port: number,
		readonly logFile: string,
		readonly startSeconds: number,
		private readonly runtime: Runtime,
		private readonly options: N8nStartOptions,
		private readonly launchEnvironment: NodeJS.ProcessEnv,
		/** Where readiness is asked: the REST API on a main, /healthz/readiness on the others. */
		private readonly readinessUrl: string,
	) {}

	/** Where n8n keeps its state; community packages go to <this>/nodes. */
	static n8nFolder(userFolder: string): string {
		return path.join(userFolder, '.n8n');
	}

	static async start(options: N8nStartOptions): Promise<N8n> {
		mkdirSync(N8n.n8nFolder(options.userFolder), { recursive: true });
		const role = options.role ?? 'main';
		const port = options.port ?? (await freePort());
		const url = `http://127.0.0.1:${port}`;
		if (!(await isPortFree(port))) throw new Error(`Port ${port} is taken by ${portOwner(port)}: stop it, or start without a fixed port`);
		const environment: NodeJS.ProcessEnv = {
			...n8nEnvironment(options.userFolder, port, await freePort(), url, options.webhookUrl ?? url),
			...options.runtime.env,
			...options.environment,
		};
		let readinessUrl = role === 'main' ? `${url}/rest/settings` : `${url}/healthz/readiness`;
		if (role === 'worker') {
			const healthPort = await freePort();
			Object.assign(environment, {
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			});
			readinessUrl = `http://127.0.0.1:${healthPort}/healthz/readiness`;
		}
		const n8n = new N8n(url, port, options.logFile, 0, options.runtime, options, environment, readinessUrl);
		const startSeconds = await n8n.launch();
		return Object.assign(n8n, { startSeconds });
	}

	get role(): N8nRole {
		return this.options.role ?? 'main';
	}

	/** The process group's id (the guard's pid): every process this n8n started belongs to it. */
	get pid(): number {
		return this.process.pid;
	}

	/** Starts the process and waits until it serves; answers the seconds that took. */
	private async launch(): Promise<number> {
		const started = Date.now();
		this.process = startGuarded(this.runtime.node, [this.runtime.n8n, ROLE_COMMANDS[this.role]], {
			cwd: this.options.userFolder,
			env: this.launchEnvironment,
			logFile: this.options.logFile,
			graceMs: 15_000,
		});
		try {
			await this.waitUntilServing(started + START_TIMEOUT_MS);
		} catch (error) {
			await this.process.stop();
			throw error;
		}
		return (Date.now() - started) / 1000;
	}

	private async waitUntilServing(deadline: number): Promise<void> {
		for (;;) {
			if (this.process.hasExited()) throw new Error(`n8n ${this.role} exited while starting:\n${tail(this.logFile)}`);
			// A main is ready once the REST API answers with JSON: while starting, n8n answers every route
			// with a "starting up" page, and its health check turns green before the nodes are loaded.
			const answer = await fetch(this.readinessUrl, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
			const ready = this.role === 'main' ? answer?.ok && answer.headers.get('content-type')?.includes('application/json') : answer?.status === 200;
			if (ready) {
				if (this.role === 'main') this.assertItIsThisN8n();
				return;
			}
			if (Date.now() > deadline) throw new Error(`n8n ${this.role} did not serve within ${START_TIMEOUT_MS / 1000} s:\n${tail(this.logFile)}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/**
	 * Fails, naming the port and the process on it, when the n8n that answered is not the one started
	 * here: the listener must be in this n8n's process group (processes.ts starts each command as a
	 * group leader). Where `ss` cannot tell, this n8n must at least still be running.
	 */
	private assertItIsThisN8n(): void {
		const listener = listenerPid(this.port);
		const ours = listener === undefined ? !this.process.hasExited() : processGroupOf(listener) === this.process.pid;
		if (ours) return;
		throw new Error(
			`Another process answers on port ${this.port}: ${portOwner(this.port)}. ` +
				'The n8n started here could not take the port; stop the other one, or start without a fixed port.',
		);
	}

	/** Stops the process (SIGTERM, n8n's graceful shutdown) and starts it again on the same ports; answers the seconds until it served. */
	async restart(): Promise<number> {
		await this.process.stop();
		return await this.launch();
	}

	/** Kills the whole process group at once (SIGKILL), as a crash or an OOM kill would. */
	async kill(): Promise<void> {
		await this.process.kill();
	}

	/** Starts a killed or stopped process again. */
	async relaunch(): Promise<number> {
		if (!this.process.hasExited()) throw new Error(`n8n ${this.role} is still running`);
		return await this.launch();
	}

	async stop(): Promise<void> {
		await this.process.stop();
	}

	/** Everything n8n has printed so far. */
	log(): string {
		return readFileSync(this.logFile, 'utf8');
	}

	/** Creates the instance owner (first start only) and keeps the session for the calls that follow. */
	async setupOwner(owner: Owner): Promise<void> {
		const response = await fetch(`${this.url}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(owner),
			signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
		});
		if (!response.ok) throw new Error(`Owner setup failed: ${response.status} ${await response.text()}`);
		this.keepSession(response);
	}

	/** The session cookie (`n8n-auth=…`) of the logged-in owner, e.g. for a browser. */
	sessionCookie(): string {
		return this.cookie;
	}

	private keepSession(response: Response): void {
		const auth = response.headers.getSetCookie().find((cookie) => cookie.startsWith('n8n-auth='));
		if (!auth) throw new Error(`n8n set no session cookie: ${JSON.stringify([...response.headers])}`);
		this.cookie = auth.split(';')[0];
	}

	/** A call to n8n's internal REST API (the editor's), answering its `data`. */
	async rest<T>(method: string, route: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}/rest${route}`, {
			method,
			headers: { cookie: this.cookie, 'browser-id': 'chat-bridge-e2e', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${route}: ${response.status} ${text}`);
		return (JSON.parse(text) as { data: T }).data;
	}

	/** The node types n8n lists in its editor (all of them, core and community). */
	async nodeTypes(): Promise<NodeTypeDescription[]> {
		return await this.staticTypes<NodeTypeDescription[]>('nodes');
	}

	async credentialTypes(): Promise<Array<{ name: string; displayName: string }>> {
		return await this.staticTypes('credentials');
	}

	private async staticTypes<T>(kind: 'nodes' | 'credentials'): Promise<T> {
		const response = await fetch(`${this.url}/types/${kind}.json`, {
			headers: { cookie: this.cookie },
			signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
		});
		if (!response.ok) throw new Error(`GET /types/${kind}.json: ${response.status}`);
		return (await response.json()) as T;
	}

	/** Creates an n8n API key (Settings -> n8n API) with `scopes`; answers the raw key, shown only once. */
	async createApiKey(label: string, scopes: string[]): Promise<string> {
		const created = await this.rest<{ rawApiKey?: string; apiKey?: string }>('POST', '/api-keys', { label, expiresAt: null, scopes });
		const key = created.rawApiKey ?? created.apiKey;
		if (!key) throw new Error(`n8n returned no API key: ${Object.keys(created).join(', ')}`);
		return key;
	}

	/** A GET on n8n's public REST API (/api/v1) with an API key: the status and the body. */
	async publicApi(route: string, apiKey: string): Promise<{ status: number; body: string }> {
		const response = await fetch(`${this.url}/api/v1${route}`, { headers: { 'x-n8n-api-key': apiKey }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
		return { status: response.status, body: await response.text() };
	}

	async createCredential(name: string, type: string, data: Record<string, unknown>): Promise<string> {
		const created = await this.rest<{ id: string }>('POST', '/credentials', { name, type, data });
		return created.id;
	}

	async personalProjectId(): Promise<string> {
		const project = await this.rest<{ id: string }>('GET', '/projects/personal');
		return project.id;
	}

	/** The rows of the personal project's data table named `name` (as n8n's Data Table node stores them). */
	async dataTableRows(name: string): Promise<Array<Record<string, unknown>>> {
		const projectId = await this.personalProjectId();
		const tables = await this.rest<{ data: Array<{ id: string; name: string }> }>('GET', `/projects/${projectId}/data-tables?take=100`);
		const table = tables.data.find((candidate) => candidate.name === name);
		if (!table) return [];
		const page = await this.rest<{ data: Array<Record<string, unknown>> }>('GET', `/projects/${projectId}/data-tables/${table.id}/rows?take=1000`);
		return page.data;
	}

	async createWorkflow(workflow: WorkflowJson): Promise<StoredWorkflow> {
		const body: Partial<WorkflowJson> & { active: boolean } = { ...workflow, active: false };
		delete body.id;
		return await this.rest<StoredWorkflow>('POST', '/workflows', body);
	}

	/** Publishes (activates) a workflow's current version: its triggers start and its webhooks register. */
	async publish(workflow: StoredWorkflow): Promise<StoredWorkflow> {
		// n8n 1.x has no publishing: a workflow is activated by updating it with `active: true`.
		if (this.runtime.major < 2) return await this.rest<StoredWorkflow>('PATCH', `/workflows/${workflow.id}`, { active: true, versionId: workflow.versionId });
		return await this.rest<StoredWorkflow>('POST', `/workflows/${workflow.id}/activate`, { versionId: workflow.versionId });
	}

	async workflows(): Promise<StoredWorkflow[]> {
		return await this.rest<StoredWorkflow[]>('GET', '/workflows');
	}

	/** Runs a workflow as the editor's "Execute workflow" button does, from the given trigger node. */
	async runManually(workflow: StoredWorkflow, triggerNode: string): Promise<string> {
		// n8n 1.x runs the workflow the editor sends; 2.x runs the stored one.
		const body = this.runtime.major < 2 ? { workflowData: workflow, triggerToStartFrom: { name: triggerNode } } : { triggerToStartFrom: { name: triggerNode } };
		const started = await this.rest<{ executionId?: string; waitingForWebhook?: boolean }>('POST', `/workflows/${workflow.id}/run`, body);
		if (!started.executionId) throw new Error(`n8n did not start "${workflow.name}": ${JSON.stringify(started)}`);
		return started.executionId;
	}

	/** Every execution (of one workflow, when given), newest first, page by page (n8n serves at most 100 a page). */
	async executions(workflowId?: string): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify(workflowId ? { workflowId } : {}));
		const all: ExecutionSummary[] = [];
		let cursor: string | undefined;
		for (let page = 0; page < 100; page++) {
			const answer = await this.rest<{ results: ExecutionSummary[]; nextCursor?: string | null }>(
				'GET',
				`/executions?filter=${filter}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
			);
			all.push(...answer.results);
			// n8n 1.x has no cursor: one page is what it gives.
			if (!answer.nextCursor || answer.results.length === 0) break;
			cursor = answer.nextCursor;
		}
		return all;
	}

	/** How many executions n8n holds for a workflow, by status. */
	async executionCounts(workflowId: string): Promise<Record<string, number>> {
		const counts: Record<string, number> = {};
		for (const status of ['success', 'error', 'crashed', 'canceled', 'running', 'new', 'waiting'] as ExecutionStatus[]) {
			const filter = encodeURIComponent(JSON.stringify({ workflowId, status: [status] }));
			const page = await this.rest<{ count: number }>('GET', `/executions?filter=${filter}&limit=1`);
			if (page.count > 0) counts[status] = page.count;
		}
		return counts;
	}

	/** Waits until an execution has finished (bounded) and returns it with each node's output. */
	async finishedExecution(executionId: string, timeoutMs = 60_000): Promise<ExecutionDetails> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const execution = await this.rest<ExecutionSummary & { data: string }>('GET', `/executions/${executionId}`).catch(() => undefined);
			if (execution && !UNFINISHED.includes(execution.status)) return this.details(execution);
			if (Date.now() > deadline) throw new Error(`Execution ${executionId} had not finished after ${timeoutMs / 1000} s`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	/**
	 * Waits (bounded) until `workflowId` has at least `count` finished executions that `where` accepts;
	 * answers them with their run data, oldest first.
	 */
	async waitForExecutions(
		workflowId: string,
		count: number,
		{ where = () => true, timeoutMs = 60_000 }: { where?: (execution: ExecutionSummary) => boolean; timeoutMs?: number } = {},
	): Promise<ExecutionDetails[]> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const finished = (await this.executions(workflowId)).filter((execution) => !UNFINISHED.includes(execution.status) && where(execution));
			if (finished.length >= count) {
				const oldestFirst = finished.sort((a, b) => Number(a.id) - Number(b.id));
				return await Promise.all(oldestFirst.map((execution) => this.finishedExecution(execution.id)));
			}
			if (Date.now() > deadline) throw new Error(`Workflow ${workflowId} had ${finished.length} of ${count} executions after ${timeoutMs / 1000} s`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	private details(execution: ExecutionSummary & { data: string }): ExecutionDetails {
		// n8n stores run data in the `flatted` format; read it with n8n's own copy of the parser.
		const flatted = createRequire(this.runtime.n8n)('flatted') as { parse: (text: string) => RunData };
		const runData = flatted.parse(execution.data);
		const nodes: ExecutionDetails['nodes'] = {};
		for (const [name, runs] of Object.entries(runData.resultData?.runData ?? {})) {
			const last = runs[runs.length - 1];
			nodes[name] = {
				items: (last?.data?.main?.[0] ?? []).map((item) => item.json),
				error: last?.error?.message,
			};
		}
		const summary: ExecutionSummary = {
			id: execution.id,
			workflowId: execution.workflowId,
			status: execution.status,
			mode: execution.mode,
			startedAt: execution.startedAt,
			stoppedAt: execution.stoppedAt,
		};
		return { ...summary, error: runData.resultData?.error?.message, nodes };
	}
}

interface RunData {
	resultData?: {
		error?: { message: string };
		runData?: Record<string, Array<{ error?: { message: string }; data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>>;
	};
}

function n8nEnvironment(userFolder: string, port: number, brokerPort: number, url: string, webhookUrl: string): NodeJS.ProcessEnv {
	// The caller's own n8n settings never leak in: this instance is configured here alone.
	// (NODE_ENV=test, which jest sets, would make n8n refuse to load nodes.)
	const inherited = Object.fromEntries(
		Object.entries(process.env).filter(([key]) => !/^(N8N_|DB_|WEBHOOK_URL$|EXECUTIONS_|NODE_ENV$|JEST_)/.test(key)),
	);
	return {
		...inherited,
		N8N_USER_FOLDER: userFolder,
		DB_TYPE: 'sqlite',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: url,
		WEBHOOK_URL: `${webhookUrl}/`,
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_SECURE_COOKIE: 'false',
		// Offline: nothing is fetched from n8n's servers, nothing is reported to them (2.x also
		// disables its mcp-registry module: Runtime.env).
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		GENERIC_TIMEZONE: 'UTC',
	};
}
