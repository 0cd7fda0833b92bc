import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Every command runs under this guard, as leader of its own process group. When the command exits,
// the guard records its exit code and kills what is left of the group. When the parent closes the
// guard's stdin (which also happens when the parent dies without cleaning up), the guard sends the
// command SIGTERM, gives it a grace period, then kills the whole group. So no n8n, task runner or
// npm outlives the test run or the demo.
const GUARD_SCRIPT = `
exec 3<&0
"$@" </dev/null 3<&- &
child=$!
{
	# A bash builtin, not a separate process that something could end by its name.
	while IFS= read -r -u 3 _; do :; done
	echo stopped >"$GUARD_STATUS_FILE"
	kill -TERM "$child" 2>/dev/null
	for _ in $(seq 1 "$GUARD_GRACE_STEPS"); do kill -0 "$child" 2>/dev/null || break; sleep 0.2; done
	kill -KILL 0
} &
exec 3<&-
wait "$child"
status=$?
[ -s "$GUARD_STATUS_FILE" ] || echo "$status" >"$GUARD_STATUS_FILE"
kill -KILL 0
`;

export interface GuardedOptions {
	cwd: string;
	env?: NodeJS.ProcessEnv;
	/** The command's output is appended here. */
	logFile: string;
	/** How long the command gets to exit after SIGTERM before its group is killed. */
	graceMs?: number;
}

export interface GuardedProcess {
	readonly pid: number;
	/** Resolves once the whole group has ended: to the command's exit code, or 'stopped' when stop() ended it. */
	readonly exited: Promise<number | 'stopped'>;
	readonly hasExited: () => boolean;
	/** Ends the command and its group; resolves once nothing of it is left. */
	stop(): Promise<void>;
	/** Kills the whole group at once (SIGKILL, no grace), as a crash would; resolves once it is gone. */
	kill(): Promise<void>;
}

/** Starts a command inside its own guarded process group. */
export function startGuarded(command: string, args: string[], options: GuardedOptions): GuardedProcess {
	const graceMs = options.graceMs ?? 10_000;
	const statusDir = mkdtempSync(path.join(tmpdir(), 'chat-bridge-guard-'));
	const statusFile = path.join(statusDir, 'status');
	const log = openSync(options.logFile, 'a');
	const child = spawn('bash', ['-c', GUARD_SCRIPT, 'guard', command, ...args], {
		cwd: options.cwd,
		env: {
			...(options.env ?? process.env),
			GUARD_STATUS_FILE: statusFile,
			GUARD_GRACE_STEPS: String(Math.ceil(graceMs / 200)),
		},
		stdio: ['pipe', log, log],
		detached: true,
	});
	closeSync(log);
	if (child.pid === undefined) throw new Error(`Could not start ${command}`);
	const pid = child.pid;
	const killGroup = () => {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// already gone
		}
	};
	process.once('exit', killGroup);
	child.stdin?.on('error', () => undefined);

	let ended = false;
	const exited = new Promise<number | 'stopped'>((resolve) =>
		child.once('exit', () => {
			ended = true;
			process.removeListener('exit', killGroup);
			let status = '';
			try {
				status = readFileSync(statusFile, 'utf8').trim();
			} catch {
				// the guard itself was killed
			}
			rmSync(statusDir, { recursive: true, force: true });
			resolve(status === 'stopped' || status === '' ? 'stopped' : Number(status));
		}),
	);

	return {
		pid,
		exited,
		hasExited: () => ended,
		async stop() {
			if (ended) return;
			child.stdin?.end();
			const hardStop = setTimeout(killGroup, graceMs + 5_000);
			await exited;
			clearTimeout(hardStop);
		},
		async kill() {
			if (ended) return;
			killGroup();
			await exited;
		},
	};
}

export interface RunOptions extends GuardedOptions {
	timeoutMs: number;
}

/** Runs a command to completion within `timeoutMs`; rejects, quoting the log's tail, unless it exits with 0. */
export async function run(command: string, args: string[], options: RunOptions): Promise<void> {
	const started = startGuarded(command, args, options);
	let timedOut = false;
	const timer = setTimeout(() => {
		timedOut = true;
		void started.stop();
	}, options.timeoutMs);
	const status = await started.exited;
	clearTimeout(timer);
	if (status === 0) return;
	const why = timedOut ? `did not finish within ${options.timeoutMs / 1000} s` : `ended with ${status}`;
	throw new Error(`${command} ${args.join(' ')} ${why}; last output (${options.logFile}):\n${tail(options.logFile)}`);
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 30): string {
	try {
		return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
	} catch {
		return '(no output)';
	}
}
