import { createConnection } from 'node:net';

import { closedPort as freePort } from '../../helpers/ports';
import { startGuarded, tail, type GuardedProcess } from '../processes';

const START_TIMEOUT_MS = 15_000;

/**
 * A throw-away Redis on a free port of 127.0.0.1, keeping nothing on disk, in its own guarded process
 * group. `restart()` ends it (losing everything it held, as a crashed Redis without persistence does)
 * and starts it again on the same port.
 */
export class Redis {
	private process!: GuardedProcess;

	private constructor(
		private readonly binary: string,
		readonly port: number,
		private readonly logFile: string,
	) {}

	static async start(binary: string, logFile: string): Promise<Redis> {
		const redis = new Redis(binary, await freePort(), logFile);
		await redis.launch();
		return redis;
	}

	get pid(): number {
		return this.process.pid;
	}

	private async launch(): Promise<void> {
		this.process = startGuarded(
			this.binary,
			['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
			{ cwd: '/', logFile: this.logFile, graceMs: 5_000 },
		);
		const deadline = Date.now() + START_TIMEOUT_MS;
		while (!(await this.answersPing())) {
			if (this.process.hasExited()) throw new Error(`Redis exited while starting:\n${tail(this.logFile)}`);
			if (Date.now() > deadline) {
				await this.process.stop();
				throw new Error(`Redis did not answer within ${START_TIMEOUT_MS / 1000} s:\n${tail(this.logFile)}`);
			}
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	}

	private async answersPing(): Promise<boolean> {
		return await new Promise<boolean>((resolve) => {
			const socket = createConnection({ host: '127.0.0.1', port: this.port });
			const done = (ok: boolean) => {
				socket.destroy();
				resolve(ok);
			};
			socket.setTimeout(1_000, () => done(false));
			socket.once('error', () => done(false));
			socket.once('connect', () => socket.write('PING\r\n'));
			socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
		});
	}

	n8nEnvironment(): Record<string, string> {
		return { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(this.port) };
	}

	async restart(downMs = 0): Promise<void> {
		await this.process.stop();
		if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
		await this.launch();
	}

	async stop(): Promise<void> {
		await this.process?.stop();
	}
}
