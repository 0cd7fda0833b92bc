import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { cacheDir } from './paths';
import { run } from './processes';

/** The n8n release the package is tested against by default, and the Node it needs (n8n 2.41 requires Node >= 24). */
export const N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.21.0';

/** How one n8n release is installed and started. */
export interface N8nRelease {
	n8n: string;
	node: string;
	/** npm `overrides` in the install folder's package.json. */
	overrides: Record<string, string>;
	/** Settings this release needs on top of the common ones (test/e2e/n8n.ts). */
	env: Record<string, string>;
}

/**
 * The releases the suite knows how to install. 2.x: versions n8n 2.41.1 asks for that the reachable
 * registry does not have are pinned to ones it has. 1.x (../shared/facts/n8n-1x.md): Node 20;
 * xlsx from the registry instead of n8n's CDN URL; a langgraph checkpoint that fits 1.x's
 * @langchain/core; the legacy expression engine (isolated-vm 6.2 has no Node 20 binary); no
 * mcp-registry module to disable.
 */
function release(n8nVersion: string): N8nRelease {
	if (n8nVersion.startsWith('1.')) {
		return {
			n8n: n8nVersion,
			node: '20.20.2',
			overrides: { xlsx: 'npm:@e965/xlsx@0.20.3', '@langchain/langgraph-checkpoint': '1.0.0' },
			env: { N8N_EXPRESSION_ENGINE: 'legacy' },
		};
	}
	return {
		n8n: n8nVersion,
		node: NODE_VERSION,
		overrides: { linkedom: '0.18.14', '@langchain/langgraph': '1.4.18', '@langchain/protocol': '0.0.19' },
		env: { N8N_DISABLED_MODULES: 'mcp-registry' },
	};
}

/** The release a run uses: N8N_VERSION from the environment (`npm run test:e2e -- --n8n <version>` sets it), else the default. */
export function selectedRelease(): N8nRelease {
	return release(process.env.N8N_VERSION?.trim() || N8N_VERSION);
}

const INSTALL_TIMEOUT_MS = 25 * 60_000;
const REBUILD_TIMEOUT_MS = 10 * 60_000;
const LOCK_WAIT_MS = INSTALL_TIMEOUT_MS + REBUILD_TIMEOUT_MS;

export interface Runtime {
	dir: string;
	/** The Node binary n8n runs on (24 for n8n 2.x, 20 for 1.x). */
	node: string;
	/** n8n's CLI entry point, run with `node`. */
	n8n: string;
	n8nVersion: string;
	nodeVersion: string;
	/** The n8n major version: the REST API differs between 1.x and 2.x in a few calls. */
	major: number;
	/** Settings this release needs when it starts. */
	env: Record<string, string>;
	/** How the installed copy was made: measured once, when it was installed. */
	installSeconds: number;
	sizeBytes: number;
	/** Whether this call installed it (false: an earlier install was reused). */
	installedNow: boolean;
}

interface InstallRecord {
	n8n: string;
	node: string;
	overrides: Record<string, string>;
	installSeconds: number;
	sizeBytes: number;
	installedAt: string;
}

/**
 * The real n8n and its Node, installed from the npm registry the first time (a few minutes, about
 * 2.4 GB for 2.41.1 in .cache/n8n; other releases in .cache/n8n-<version>) and reused afterwards.
 * The Node binary comes from the registry's `node-<platform>-<arch>` package, the one the `node`
 * package installs for this machine; its headers are what sqlite3 is compiled against.
 */
export async function ensureRuntime(log: (line: string) => void, wanted: N8nRelease = selectedRelease()): Promise<Runtime> {
	const dir = path.join(cacheDir(), wanted.n8n === N8N_VERSION ? 'n8n' : `n8n-${wanted.n8n}`);
	const reused = readRecord(dir, wanted);
	if (reused) return describe(dir, reused, wanted, false);

	mkdirSync(cacheDir(), { recursive: true });
	const unlock = await acquireLock(`${dir}.lock`, log);
	try {
		const installedMeanwhile = readRecord(dir, wanted);
		if (installedMeanwhile) return describe(dir, installedMeanwhile, wanted, false);
		return describe(dir, await install(dir, wanted, log), wanted, true);
	} finally {
		unlock();
	}
}

function nodePackageName(): string {
	return `node-${process.platform}-${process.arch}`;
}

function paths(dir: string) {
	const nodePackage = path.join(dir, 'node_modules', nodePackageName());
	return {
		nodePackage,
		node: path.join(nodePackage, 'bin', 'node'),
		n8n: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		record: path.join(dir, 'installed.json'),
		log: path.join(dir, 'install.log'),
	};
}

function readRecord(dir: string, wanted: N8nRelease): InstallRecord | undefined {
	const { record, node, n8n } = paths(dir);
	if (!existsSync(record) || !existsSync(node) || !existsSync(n8n)) return undefined;
	const installed = JSON.parse(readFileSync(record, 'utf8')) as InstallRecord;
	const current =
		installed.n8n === wanted.n8n &&
		installed.node === wanted.node &&
		JSON.stringify(installed.overrides) === JSON.stringify(wanted.overrides);
	return current ? installed : undefined;
}

function describe(dir: string, record: InstallRecord, wanted: N8nRelease, installedNow: boolean): Runtime {
	const { node, n8n } = paths(dir);
	return {
		dir,
		node,
		n8n,
		n8nVersion: record.n8n,
		nodeVersion: record.node,
		major: Number.parseInt(record.n8n, 10),
		env: wanted.env,
		installSeconds: record.installSeconds,
		sizeBytes: record.sizeBytes,
		installedNow,
	};
}

async function install(dir: string, wanted: N8nRelease, log: (line: string) => void): Promise<InstallRecord> {
	const started = Date.now();
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const files = paths(dir);
	writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify(
			{
				name: 'chat-bridge-n8n-runtime',
				private: true,
				description: 'The real n8n the end-to-end tests and the demo run; installed by test/e2e/runtime.ts',
				dependencies: { n8n: wanted.n8n, [nodePackageName()]: wanted.node },
				overrides: wanted.overrides,
			},
			null,
			2,
		),
	);

	const step = `npm install of n8n ${wanted.n8n} and Node ${wanted.node}`;
	log(`Installing n8n ${wanted.n8n} and Node ${wanted.node} into ${dir} (first time only, a few minutes; output in ${files.log})...`);
	await withProgress(step, started, log, () => {
		const unpacked = packagesUnpacked(dir);
		return unpacked === 0 ? 'resolving the dependency tree' : `${unpacked} packages unpacked`;
	}, async () => {
		await run('npm', ['install', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: dir,
			logFile: files.log,
			timeoutMs: INSTALL_TIMEOUT_MS,
		});
	});

	// n8n's SQLite driver is the one native module it needs: build it for this Node, against the
	// headers that ship in the Node package (no download of headers or prebuilt binaries).
	log(`Building sqlite3 for Node ${wanted.node} (make, a C++ compiler and Python)...`);
	const buildEnv = {
		...process.env,
		PATH: `${path.dirname(files.node)}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: files.nodePackage,
	};
	await withProgress('sqlite3 build', started, log, () => 'compiling', async () => {
		await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', '--loglevel=error'], {
			cwd: dir,
			env: buildEnv,
			logFile: files.log,
			timeoutMs: REBUILD_TIMEOUT_MS,
		});
	});
	await run(files.node, ['-e', "require('sqlite3'); require('n8n/package.json')"], {
		cwd: dir,
		logFile: files.log,
		timeoutMs: 60_000,
	});

	const record: InstallRecord = {
		n8n: wanted.n8n,
		node: wanted.node,
		overrides: wanted.overrides,
		installSeconds: Math.round((Date.now() - started) / 1000),
		sizeBytes: diskUsageBytes(dir),
		installedAt: new Date().toISOString(),
	};
	writeFileSync(files.record, JSON.stringify(record, null, 2));
	log(`Installed n8n in ${record.installSeconds} s, ${(record.sizeBytes / 1e9).toFixed(2)} GB on disk.`);
	return record;
}

const PROGRESS_EVERY_MS = 15_000;

/** Runs `work`, printing every 15 s what is running, how long the install has taken and `detail()`. */
async function withProgress(what: string, since: number, log: (line: string) => void, detail: () => string, work: () => Promise<void>): Promise<void> {
	const timer = setInterval(() => log(`  ... ${what}: ${formatElapsed(Date.now() - since)} elapsed, ${detail()}`), PROGRESS_EVERY_MS);
	try {
		await work();
	} finally {
		clearInterval(timer);
	}
}

export function formatElapsed(ms: number): string {
	const seconds = Math.round(ms / 1000);
	return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** How many packages npm has put into node_modules so far (top level and scoped). */
function packagesUnpacked(dir: string): number {
	const modules = path.join(dir, 'node_modules');
	if (!existsSync(modules)) return 0;
	return readdirSync(modules).reduce(
		(count, name) => count + (name.startsWith('@') ? readdirSync(path.join(modules, name)).length : name.startsWith('.') ? 0 : 1),
		0,
	);
}

function diskUsageBytes(dir: string): number {
	const du = spawnSync('du', ['-sk', dir], { encoding: 'utf8' });
	return Number.parseInt(du.stdout, 10) * 1024 || 0;
}

/** A lock file holding the owner's pid, so a demo and a test run never install into the same folder at once. */
async function acquireLock(lockFile: string, log: (line: string) => void): Promise<() => void> {
	const deadline = Date.now() + LOCK_WAIT_MS;
	let told = false;
	for (;;) {
		try {
			writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
			return () => rmSync(lockFile, { force: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
		const owner = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
		if (!isAlive(owner)) {
			rmSync(lockFile, { force: true });
			continue;
		}
		if (Date.now() > deadline) throw new Error(`Another process (pid ${owner}) has been installing n8n for too long`);
		if (!told) log(`Waiting for pid ${owner}, which is installing n8n...`);
		told = true;
		await new Promise((resolve) => setTimeout(resolve, 1_000));
	}
}

function isAlive(pid: number): boolean {
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
