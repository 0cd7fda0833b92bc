// The process guard every real-n8n run relies on to leave nothing behind.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { run, startGuarded } from './processes';

let dir: string;
let logFile: string;

beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'chat-bridge-guard-test-'));
	logFile = path.join(dir, 'out.log');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Living processes (zombies waiting to be reaped left out) of a process group, or whose command line matches. */
function living(match: { group: number } | { command: string }): string[] {
	const table = execFileSync('ps', ['-e', '-o', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
	return table
		.split('\n')
		.map((line) => line.trim().split(/\s+/))
		.filter(([pid, pgid, stat, ...args]) => pid && !stat.startsWith('Z') && ('group' in match ? Number(pgid) === match.group : args.join(' ') === match.command))
		.map(([pid]) => pid);
}

describe('run', () => {
	it('resolves when the command exits with 0', async () => {
		await expect(run('bash', ['-c', 'echo fine'], { cwd: dir, logFile, timeoutMs: 10_000 })).resolves.toBeUndefined();
	});

	it('rejects with the exit code and the end of the output', async () => {
		await expect(run('bash', ['-c', 'echo something broke; exit 3'], { cwd: dir, logFile, timeoutMs: 10_000 })).rejects.toThrow(
			/ended with 3; last output .*\n.*something broke/,
		);
	});

	it('ends the whole group, background children included, when the time is up', async () => {
		const started = Date.now();
		await expect(
			run('bash', ['-c', 'sleep 300 & sleep 300'], { cwd: dir, logFile, timeoutMs: 500, graceMs: 200 }),
		).rejects.toThrow('did not finish within 0.5 s');
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(living({ command: 'sleep 300' })).toEqual([]);
	});
});

describe('startGuarded', () => {
	it('stops a command that ignores SIGTERM, and everything it started, after the grace period', async () => {
		const guarded = startGuarded('bash', ['-c', 'trap "" TERM; sleep 301 & sleep 301; wait'], { cwd: dir, logFile, graceMs: 400 });
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(living({ group: guarded.pid }).length).toBeGreaterThanOrEqual(3);

		await guarded.stop();
		expect(await guarded.exited).toBe('stopped');
		expect(living({ group: guarded.pid })).toEqual([]);
	});

	it('reports the exit code of a command that ends by itself, and leaves nothing behind', async () => {
		const guarded = startGuarded('bash', ['-c', 'sleep 302 & exit 7'], { cwd: dir, logFile, graceMs: 200 });
		expect(await guarded.exited).toBe(7);
		expect(living({ group: guarded.pid })).toEqual([]);
	});
});
