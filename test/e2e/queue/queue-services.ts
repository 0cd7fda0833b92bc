import { randomBytes } from 'node:crypto';
import path from 'node:path';

import { closedPort as freePort } from '../../helpers/ports';
import { N8n } from '../n8n';
import type { Runtime } from '../runtime';
import { ensureDebianPackages } from './debian-packages';
import { Postgres } from './postgres';
import { Redis } from './redis';
import { RoundRobinProxy } from './round-robin-proxy';

export interface QueueTopology {
	workers: number;
	webhookProcessors: number;
}

/** n8n's user folder of each process: every process has its own, with the package installed in it. */
export function queueUserFolders(workDir: string, topology: QueueTopology): { main: string; workers: string[]; webhooks: string[] } {
	const numbered = (role: string, count: number) => Array.from({ length: count }, (_, index) => path.join(workDir, `n8n-${role}-${index + 1}`));
	return { main: path.join(workDir, 'n8n-main'), workers: numbered('worker', topology.workers), webhooks: numbered('webhook', topology.webhookProcessors) };
}

/**
 * n8n in queue mode on throw-away Postgres and Redis: a main (with production webhooks switched off on
 * it), workers that run the executions, webhook processors behind a round-robin proxy standing in for
 * the load balancer (production webhook URLs point at the proxy). Every process in its own guarded
 * process group; `stop()` ends them all, the services last.
 */
export class QueueServices {
	main!: N8n;
	readonly workers: N8n[] = [];
	readonly webhookProcessors: N8n[] = [];
	postgres!: Postgres;
	redis!: Redis;
	proxy!: RoundRobinProxy;

	private constructor(
		private readonly runtime: Runtime,
		private readonly workDir: string,
		private readonly log: (line: string) => void,
	) {}

	/** Starts Postgres and Redis (installed from Debian's packages when missing) and the proxy; n8n comes with `startN8n`. */
	static async prepare(runtime: Runtime, workDir: string, log: (line: string) => void): Promise<QueueServices> {
		const services = new QueueServices(runtime, workDir, log);
		const { postgresBin, redisServer } = await ensureDebianPackages(path.join(workDir, 'apt.log'), log);
		services.postgres = await Postgres.start(postgresBin, path.join(workDir, 'postgres.log'));
		log(`Postgres (${postgresBin}) on port ${services.postgres.connection.port}`);
		services.redis = await Redis.start(redisServer, path.join(workDir, 'redis.log'));
		log(`Redis on port ${services.redis.port}`);
		return services;
	}

	/** Starts the main first (it runs the database migrations), then the workers and webhook processors side by side. */
	async startN8n(folders: ReturnType<typeof queueUserFolders>, mainPort?: number): Promise<void> {
		const webhookPorts = await Promise.all(folders.webhooks.map(() => freePort()));
		this.proxy = await RoundRobinProxy.start(webhookPorts.map((port) => `http://127.0.0.1:${port}`));
		const environment = this.sharedEnvironment();
		const common = { runtime: this.runtime, environment, webhookUrl: this.proxy.url };
		this.main = await N8n.start({ ...common, userFolder: folders.main, logFile: path.join(this.workDir, 'n8n-main.log'), port: mainPort });
		this.log(`n8n main serving at ${this.main.url} after ${this.main.startSeconds.toFixed(1)} s`);
		const started = await Promise.all([
			...folders.workers.map((userFolder, index) =>
				N8n.start({ ...common, role: 'worker', userFolder, logFile: path.join(this.workDir, `n8n-worker-${index + 1}.log`) }),
			),
			...folders.webhooks.map((userFolder, index) =>
				N8n.start({ ...common, role: 'webhook', userFolder, port: webhookPorts[index], logFile: path.join(this.workDir, `n8n-webhook-${index + 1}.log`) }),
			),
		]);
		this.workers.push(...started.filter((n8n) => n8n.role === 'worker'));
		this.webhookProcessors.push(...started.filter((n8n) => n8n.role === 'webhook'));
		for (const n8n of started) this.log(`n8n ${n8n.role} ready after ${n8n.startSeconds.toFixed(1)} s (pid ${n8n.pid})`);
	}

	/** What every process shares: queue mode, the database, Redis, one encryption key; production webhooks off the main. */
	private sharedEnvironment(): Record<string, string> {
		return {
			EXECUTIONS_MODE: 'queue',
			...this.postgres.n8nEnvironment(),
			...this.redis.n8nEnvironment(),
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		};
	}

	/** Every n8n process, the main first. */
	n8nProcesses(): N8n[] {
		return [this.main, ...this.workers, ...this.webhookProcessors].filter(Boolean);
	}

	/** Process group ids of everything running, by name (for memory readings). */
	processGroups(): Record<string, number> {
		const groups: Record<string, number> = {};
		if (this.main) groups.main = this.main.pid;
		this.workers.forEach((worker, index) => (groups[`worker-${index + 1}`] = worker.pid));
		this.webhookProcessors.forEach((processor, index) => (groups[`webhook-${index + 1}`] = processor.pid));
		if (this.postgres) groups.postgres = this.postgres.pid;
		if (this.redis) groups.redis = this.redis.pid;
		return groups;
	}

	async stop(): Promise<void> {
		await Promise.allSettled(this.n8nProcesses().map((n8n) => n8n.stop()));
		await Promise.allSettled([this.proxy?.close(), this.redis?.stop(), this.postgres?.stop()]);
	}
}
