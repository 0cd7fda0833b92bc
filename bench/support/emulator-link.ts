import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * An emulator the benchmarks drive, in this process or in a child process: methods are called and
 * properties read asynchronously either way, so each provider's benchmark code serves both.
 */
export interface EmulatorLink {
	call<T = unknown>(method: string, ...args: unknown[]): Promise<T>;
	/** Calls a synchronous method `times` times in a row, as one burst in the emulator's process; the last result. */
	repeat<T = unknown>(times: number, method: string, ...args: unknown[]): Promise<T>;
	get<T = unknown>(property: string): Promise<T>;
	close(): Promise<void>;
}

interface Startable {
	start(options: object): Promise<object & { close(): Promise<void> }>;
}

/** Where an emulator class lives, so a child process can load it too. */
export interface EmulatorModule {
	file: string;
	exportName: string;
}

export function emulatorModule(provider: string, exportName: string): EmulatorModule {
	return { file: path.resolve(__dirname, '../../test/emulators', `${provider}.ts`), exportName };
}

/** The emulator in this process (speed benchmarks: the stream and both readers share one event loop). */
export async function localEmulator(module: EmulatorModule, options: object): Promise<EmulatorLink> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- the emulator class is named at run time
	const Emulator = (require(module.file) as Record<string, Startable>)[module.exportName];
	const emulator = (await Emulator.start(options)) as Record<string, unknown> & { close(): Promise<void> };
	const invoke = (method: string, args: unknown[]) => (emulator[method] as (...values: unknown[]) => unknown).apply(emulator, args);
	return {
		call: async <T>(method: string, ...args: unknown[]) => (await invoke(method, args)) as T,
		repeat: async <T>(times: number, method: string, ...args: unknown[]) => {
			let result: unknown;
			for (let done = 0; done < times; done++) result = invoke(method, args);
			return (await result) as T;
		},
		get: async <T>(property: string) => emulator[property] as T,
		close: () => emulator.close(),
	};
}

const CALL_TIMEOUT_MS = 120_000;

/** The emulator in a child process (memory benchmarks: its memory is not this process's). */
export async function remoteEmulator(module: EmulatorModule, options: object): Promise<EmulatorLink> {
	const child = fork(path.join(__dirname, 'emulator-host.js'), [module.file, module.exportName, JSON.stringify(options)], {
		execArgv: [],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	await new Promise<void>((resolve, reject) => {
		child.once('message', () => resolve());
		child.once('exit', (code) => reject(new Error(`The emulator process exited (code ${code}) before it was ready`)));
	});
	return new RemoteLink(child);
}

class RemoteLink implements EmulatorLink {
	private nextId = 0;
	private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();

	constructor(private readonly child: ChildProcess) {
		child.on('message', (message: { id: number; result?: unknown; error?: string }) => {
			const entry = this.pending.get(message.id);
			if (!entry) return;
			this.pending.delete(message.id);
			clearTimeout(entry.timer);
			if (message.error !== undefined) entry.reject(new Error(`Emulator: ${message.error}`));
			else entry.resolve(message.result);
		});
	}

	call<T>(method: string, ...args: unknown[]): Promise<T> {
		return this.send<T>({ method, args });
	}

	repeat<T>(times: number, method: string, ...args: unknown[]): Promise<T> {
		return this.send<T>({ method, args, times });
	}

	get<T>(property: string): Promise<T> {
		return this.send<T>({ method: property });
	}

	async close(): Promise<void> {
		if (this.child.exitCode !== null) return;
		const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
		const killer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
		this.child.disconnect();
		await exited;
		clearTimeout(killer);
	}

	private send<T>(request: { method: string; args?: unknown[]; times?: number }): Promise<T> {
		const id = ++this.nextId;
		return new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => {
				this.pending.delete(id);
				reject(new Error(`The emulator did not answer ${request.method} within ${CALL_TIMEOUT_MS / 1000} s`));
			}, CALL_TIMEOUT_MS);
			this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
			this.child.send({ id, ...request });
		});
	}
}

/** Runs `probe(argument)` of a benchmark module in a lean child process and hands back its result. */
export async function runProbe<T>(modulePath: string, argument: string, timeoutMs: number): Promise<T> {
	const child = fork(path.join(__dirname, 'probe-host.js'), [modulePath, argument], {
		execArgv: [],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	try {
		return await new Promise<T>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`The probe ${path.basename(modulePath)} took over ${timeoutMs / 1000} s`)), timeoutMs);
			child.once('message', (message: { result?: T; error?: string }) => {
				clearTimeout(timer);
				if (message.error !== undefined) reject(new Error(message.error));
				else resolve(message.result as T);
			});
			child.once('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`The probe ${path.basename(modulePath)} exited (code ${code}) without a result`));
			});
		});
	} finally {
		if (child.exitCode === null) {
			const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
			const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exited;
			clearTimeout(killer);
		}
	}
}
