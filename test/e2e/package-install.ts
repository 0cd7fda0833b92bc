import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
 * published, or a missing one hidden), packs it as `npm publish` would, and installs the
 * tarball into each n8n nodes folder given (queue mode: one per process) the way n8n's
 * community-node install does: unpack into nodes/node_modules/<name>, drop dev/peer/optional
 * dependencies, `npm install` the rest with n8n's flags, and record the package in nodes/package.json.
 * Answers the first installation.
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
		const folders = Array.isArray(n8nFolders) ? n8nFolders : [n8nFolders];
		const installed: InstalledPackage[] = [];
		for (const folder of folders) installed.push(await installTarball(folder, path.join(packDir, report.filename), report, logFile));
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

async function installTarball(n8nFolder: string, tarball: string, report: PackReport, logFile: string): Promise<InstalledPackage> {
	const nodesDir = path.join(n8nFolder, 'nodes');
	const directory = path.join(nodesDir, 'node_modules', report.name);
	rmSync(directory, { recursive: true, force: true });
	mkdirSync(directory, { recursive: true });
	await run('tar', ['-xzf', tarball, '-C', directory, '--strip-components=1'], { cwd: nodesDir, logFile, timeoutMs: 60_000 });

	const manifestPath = path.join(directory, 'package.json');
	const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
	for (const field of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete manifest[field];
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	await run(
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
		{ cwd: directory, logFile, timeoutMs: 300_000 },
	);
	writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { [report.name]: report.version } }, null, 2),
	);

	return {
		name: report.name,
		version: report.version,
		directory,
		tarballFiles: report.files.map((file) => file.path),
		n8n: manifest.n8n,
	};
}
