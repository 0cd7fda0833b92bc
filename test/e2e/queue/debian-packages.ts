import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

import { run } from '../processes';

const APT_TIMEOUT_MS = 15 * 60_000;
/** Another apt-get on the machine (a second run, an admin) holds dpkg's lock: wait for it rather than fail. */
const APT_LOCK_WAIT_SECONDS = 600;

/** Where Debian's PostgreSQL server binaries live: /usr/lib/postgresql/<major>/bin, the newest major there. */
export function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return undefined;
	const majors = readdirSync(root)
		.filter((name) => /^\d+$/.test(name) && existsSync(path.join(root, name, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length > 0 ? path.join(root, majors[0], 'bin') : undefined;
}

export function redisServerBinary(): string | undefined {
	const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
	return found.status === 0 ? found.stdout.trim() : undefined;
}

/**
 * PostgreSQL and Redis from Debian's packages, installed with apt-get when missing (as root, which
 * the queue-mode suite needs anyway to run Postgres as the `postgres` user). The package names are
 * the ones `apt-cache` knows on this release: Debian 12 has postgresql-15 and redis-server.
 */
export async function ensureDebianPackages(logFile: string, log: (line: string) => void): Promise<{ postgresBin: string; redisServer: string }> {
	const needPostgres = !postgresBinDir();
	const needRedis = !redisServerBinary();
	const missing: string[] = [];
	if (needPostgres || needRedis) {
		if (process.getuid?.() !== 0) throw new Error('Install PostgreSQL and redis-server with apt-get: the suite runs as a user that cannot');
		const apt = { cwd: '/', logFile, timeoutMs: APT_TIMEOUT_MS, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
		const lock = ['-o', `DPkg::Lock::Timeout=${APT_LOCK_WAIT_SECONDS}`];
		log('Updating apt package lists...');
		await run('apt-get', [...lock, 'update'], apt);
		if (needPostgres) missing.push(availablePackage(['postgresql-15', 'postgresql']) ?? 'postgresql');
		if (needRedis) missing.push('redis-server');
		log(`Installing ${missing.join(', ')} from Debian's packages...`);
		await run('apt-get', [...lock, 'install', '-y', '--no-install-recommends', ...missing], apt);
	}
	const postgresBin = postgresBinDir();
	const redisServer = redisServerBinary();
	if (!postgresBin || !redisServer) throw new Error(`PostgreSQL or Redis is still missing after installing ${missing.join(' ')}`);
	return { postgresBin, redisServer };
}

/** The first of `names` apt knows a candidate version of. */
function availablePackage(names: string[]): string | undefined {
	for (const name of names) {
		const policy = spawnSync('apt-cache', ['policy', name], { encoding: 'utf8' });
		if (policy.status === 0 && /Candidate: (?!\(none\))/.test(policy.stdout)) return name;
	}
	return undefined;
}
