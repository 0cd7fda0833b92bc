import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { cacheDir } from './paths';
import { run } from './processes';

/** The n8n release the package is tested against, and the Node it needs (n8n 2.41 requires Node >= 24). */
export const N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.21.0';

// Versions n8n 2.41.1 asks for that the reachable registry does not have: pinned to ones it has.
const OVERRIDES = {
	linkedom: '0.18.14',
	'@langchain/langgraph': '1.4.18',
	'@langchain/protocol': '0.0.19',
};

const INSTALL_TIMEOUT_MS = 25 * 60_000;
const REBUILD_TIMEOUT_MS = 10 * 60_000;
const LOCK_WAIT_MS = INSTALL_TIMEOUT_MS + REBUILD_TIMEOUT_MS;

export interface Runtime {
	dir: string;
	/** The Node 24 binary n8n runs on. */
	node: string;
	/** n8n's CLI entry point, run with `node`. */
	n8n: string;
	n8nVersion: string;
	nodeVersion: string;
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
 * The real n8n and its Node 24, installed from the npm registry into .cache/n8n the first time
 * (a few minutes, about 2.4 GB) and reused afterwards. The Node binary comes from the registry's
 * `node-<platform>-<arch>` package, the one the `node` package installs for this machine; its
 * headers are what sqlite3 is compiled against.
 */
export async function ensureRuntime(log: (line: string) => void): Promise<Runtime> {
	const dir = path.join(cacheDir(), 'n8n');
	const reused = readRecord(dir);
	if (reused) return describe(dir, reused, false);

	mkdirSync(cacheDir(), { recursive: true });
	const release = await acquireLock(path.join(cacheDir(), 'n8n.lock'), log);
	try {
		const installedMeanwhile = readRecord(dir);
		if (installedMeanwhile) return describe(dir, installedMeanwhile, false);
		return describe(dir, await install(dir, log), true);
	} finally {
		release();
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

function readRecord(dir: string): InstallRecord | undefined {
	const { record, node, n8n } = paths(dir);
	if (!existsSync(record) || !existsSync(node) || !existsSync(n8n)) return undefined;
	const installed = JSON.parse(readFileSync(record, 'utf8')) as InstallRecord;
	const current =
		installed.n8n === N8N_VERSION &&
		installed.node === NODE_VERSION &&
		JSON.stringify(installed.overrides) === JSON.stringify(OVERRIDES);
	return current ? installed : undefined;
}

function describe(dir: string, record: InstallRecord, installedNow: boolean): Runtime {
	const { node, n8n } = paths(dir);
	return {
		dir,
		node,
		n8n,
		n8nVersion: record.n8n,
		nodeVersion: record.node,
		installSeconds: record.installSeconds,
		sizeBytes: record.sizeBytes,
		installedNow,
	};
}

async function install(dir: string, log: (line: string) => void): Promise<InstallRecord> {
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
				dependencies: { n8n: N8N_VERSION, [nodePackageName()]: NODE_VERSION },
				overrides: OVERRIDES,
			},
			null,
			2,
		),
	);

	log(`Installing n8n ${N8N_VERSION} and Node ${NODE_VERSION} into ${dir} (first time only, a few minutes)...`);
	await run('npm', ['install', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: dir,
		logFile: files.log,
		timeoutMs: INSTALL_TIMEOUT_MS,
	});

	// n8n's SQLite driver is the one native module it needs: build it for Node 24, against the
	// headers that ship in the Node package (no download of headers or prebuilt binaries).
	log('Building sqlite3 for Node 24...');
	const buildEnv = {
		...process.env,
		PATH: `${path.dirname(files.node)}${path.delimiter}${process.env.PATH ?? ''}`,
		npm_config_nodedir: files.nodePackage,
	};
	await run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false', '--loglevel=error'], {
		cwd: dir,
		env: buildEnv,
		logFile: files.log,
		timeoutMs: REBUILD_TIMEOUT_MS,
	});
	await run(files.node, ['-e', "require('sqlite3'); require('n8n/package.json')"], {
		cwd: dir,
		logFile: files.log,
		timeoutMs: 60_000,
	});

	const record: InstallRecord = {
		n8n: N8N_VERSION,
		node: NODE_VERSION,
		overrides: OVERRIDES,
		installSeconds: Math.round((Date.now() - started) / 1000),
		sizeBytes: diskUsageBytes(dir),
		installedAt: new Date().toISOString(),
	};
	writeFileSync(files.record, JSON.stringify(record, null, 2));
	log(`Installed n8n in ${record.installSeconds} s, ${(record.sizeBytes / 1e9).toFixed(2)} GB on disk.`);
	return record;
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
