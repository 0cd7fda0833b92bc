import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { repoRoot } from './paths';
import { run } from './processes';

export interface InstalledPackage {
	name: string;
	version: string;
	/** Where n8n finds it: <user folder>/.n8n/nodes/node_modules/<name>. */
	directory: string;
	/** The files the published tarball holds, as `npm pack` listed them. */
	tarballFiles: string[];
	n8n: { nodes: string[]; credentials: string[] };
}

/**
 * Builds this package from a clean dist/ (a stale file left by an earlier build would otherwise be
 * published, or a missing one hidden), packs it as `npm publish` would, and installs the tarball the
 * way docker/Dockerfile does: docker/install-package.sh into a prepared nodes folder (the image's
 * /opt/chat-bridge/nodes), then docker/sync-nodes.sh into each n8n's nodes folder given (what the image's
 * entry point does at every start; queue mode: one per process). A user with an npm-installed n8n runs
 * the first script alone, into ~/.n8n/nodes. Answers the first installation.
 */
export async function installIntoN8n(n8nFolders: string | string[], logFile: string): Promise<InstalledPackage> {
	rmSync(path.join(repoRoot(), 'dist'), { recursive: true, force: true });
	await run('npm', ['run', 'build'], { cwd: repoRoot(), logFile, timeoutMs: 300_000 });
	const packDir = mkdtempSync(path.join(tmpdir(), 'chat-bridge-pack-'));
	try {
		const packed = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], {
			cwd: repoRoot(),
			encoding: 'utf8',
			timeout: 120_000,
		});
		if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
		const [report] = JSON.parse(packed.stdout) as [PackReport];

		const prepared = path.join(path.dirname(logFile), 'image-nodes');
		rmSync(prepared, { recursive: true, force: true });
		await run('sh', [dockerScript('install-package.sh'), path.join(packDir, report.filename), prepared], { cwd: packDir, logFile, timeoutMs: 300_000 });
		const installed: InstalledPackage[] = [];
		for (const folder of Array.isArray(n8nFolders) ? n8nFolders : [n8nFolders]) {
			const nodesDir = path.join(folder, 'nodes');
			await run('sh', [dockerScript('sync-nodes.sh'), prepared, nodesDir], { cwd: packDir, logFile, timeoutMs: 60_000 });
			const directory = path.join(nodesDir, 'node_modules', report.name);
			const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { n8n: InstalledPackage['n8n'] };
			installed.push({ name: report.name, version: report.version, directory, tarballFiles: report.files.map((file) => file.path), n8n: manifest.n8n });
		}
		return installed[0];
	} finally {
		rmSync(packDir, { recursive: true, force: true });
	}
}

interface PackReport {
	name: string;
	version: string;
	filename: string;
	files: Array<{ path: string }>;
}

function dockerScript(name: string): string {
	return path.join(repoRoot(), 'docker', name);
}
