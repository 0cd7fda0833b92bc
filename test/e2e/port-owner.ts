import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Whether nothing listens on 127.0.0.1:`port` right now. */
export async function isPortFree(port: number): Promise<boolean> {
	const server = createServer();
	return await new Promise<boolean>((resolve) => {
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** The pid listening on TCP `port`, from `ss`; undefined when that cannot be told. */
export function listenerPid(port: number): number | undefined {
	const ss = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8', timeout: 5_000 });
	const pid = /pid=(\d+)/.exec(ss.stdout ?? '')?.[1];
	return pid === undefined ? undefined : Number(pid);
}

/** The process group of `pid` (field 5 of /proc/<pid>/stat), or undefined when it is gone. */
export function processGroupOf(pid: number): number | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) is in parentheses and may hold spaces: count fields after it.
		return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
	} catch {
		return undefined;
	}
}

/**
 * Who listens on TCP `port`, as "pid 123 (node /usr/bin/n8n start)", from `ss` and /proc; a plain
 * description when that cannot be told (no `ss`, or another user's process).
 */
export function portOwner(port: number): string {
	const pid = listenerPid(port);
	if (pid === undefined) return 'a process whose pid `ss` does not show (another user\'s, or no `ss`)';
	let command = '';
	try {
		command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
	} catch {
		// gone meanwhile
	}
	return `pid ${pid}${command ? ` (${command.length > 120 ? `${command.slice(0, 117)}...` : command})` : ''}`;
}
