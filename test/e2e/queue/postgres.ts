import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { closedPort as freePort } from '../../helpers/ports';
import { run, startGuarded, tail, type GuardedProcess } from '../processes';

const START_TIMEOUT_MS = 30_000;
const SERVICE_USER = 'postgres';

export interface PostgresConnection {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
}

/**
 * A throw-away PostgreSQL server: a fresh cluster in a temporary folder under /tmp (Postgres refuses
 * to run as root, so the cluster belongs to the `postgres` user, which must be able to read every
 * parent folder), on a free port on 127.0.0.1, in its own guarded process group. `stop()` ends it
 * and removes the folder.
 */
export class Postgres {
	private constructor(
		readonly connection: PostgresConnection,
		private readonly folder: string,
		private readonly process: GuardedProcess,
		readonly pid: number,
	) {}

	static async start(binDir: string, logFile: string): Promise<Postgres> {
		const folder = mkdtempSync(path.join(tmpdir(), 'chat-bridge-postgres-'));
		const dataDir = path.join(folder, 'data');
		const socketDir = path.join(folder, 'socket');
		mkdirSync(dataDir);
		mkdirSync(socketDir);
		const password = `pg-${Math.random().toString(36).slice(2)}`;
		const passwordFile = path.join(folder, 'password');
		writeFileSync(passwordFile, password);
		const uid = Number(execFileSync('id', ['-u', SERVICE_USER], { encoding: 'utf8' }).trim());
		const gid = Number(execFileSync('id', ['-g', SERVICE_USER], { encoding: 'utf8' }).trim());
		for (const owned of [folder, dataDir, socketDir, passwordFile]) chownSync(owned, uid, gid);
		chmodSync(folder, 0o755);

		const asPostgres = (command: string, args: string[]) => ['-u', SERVICE_USER, '--', path.join(binDir, command), ...args];
		const user = 'n8n';
		await run('runuser', asPostgres('initdb', ['-D', dataDir, '-U', user, `--pwfile=${passwordFile}`, '-A', 'scram-sha-256', '--no-sync']), {
			cwd: folder,
			logFile,
			timeoutMs: 60_000,
		});
		const port = await freePort();
		const server = startGuarded(
			'runuser',
			asPostgres('postgres', ['-D', dataDir, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200']),
			{ cwd: folder, logFile, graceMs: 10_000 },
		);
		const connection: PostgresConnection = { host: '127.0.0.1', port, database: 'n8n', user, password };
		const postgres = new Postgres(connection, folder, server, server.pid);
		try {
			const deadline = Date.now() + START_TIMEOUT_MS;
			const env = { ...process.env, PGPASSWORD: password };
			for (;;) {
				if (server.hasExited()) throw new Error(`Postgres exited while starting:\n${tail(logFile)}`);
				try {
					execFileSync(path.join(binDir, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', 'postgres'], { env, stdio: 'ignore' });
					break;
				} catch {
					if (Date.now() > deadline) throw new Error(`Postgres did not accept connections within ${START_TIMEOUT_MS / 1000} s:\n${tail(logFile)}`);
					await new Promise((resolve) => setTimeout(resolve, 100));
				}
			}
			await run(path.join(binDir, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, connection.database], {
				cwd: folder,
				env,
				logFile,
				timeoutMs: 30_000,
			});
		} catch (error) {
			await postgres.stop();
			throw error;
		}
		return postgres;
	}

	/** The DB_* settings that point n8n at this server. */
	n8nEnvironment(): Record<string, string> {
		const { host, port, database, user, password } = this.connection;
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: host,
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: password,
		};
	}

	async stop(): Promise<void> {
		await this.process.stop();
		rmSync(this.folder, { recursive: true, force: true });
	}
}
