import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository root: the nearest folder above this file whose package.json is this package's.
 * Works both from the TypeScript sources (under ts-jest) and from their compiled copy in .cache/.
 */
export function repoRoot(): string {
	let dir = __dirname;
	for (;;) {
		const manifest = path.join(dir, 'package.json');
		if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'n8n-nodes-chat-bridge') return dir;
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error(`No n8n-nodes-chat-bridge package.json above ${__dirname}`);
		dir = parent;
	}
}

/** The git-ignored folder where the real n8n, its Node and per-run state live. */
export function cacheDir(): string {
	return path.join(repoRoot(), '.cache');
}

/**
 * A fresh folder for one run (n8n's user folder and every log), kept under .cache/runs so a failed
 * run can be inspected; only the newest few runs of each kind are kept.
 */
export function newRunDir(kind: 'e2e' | 'demo' | 'queue', keep = 3): string {
	const runs = path.join(cacheDir(), 'runs');
	mkdirSync(runs, { recursive: true });
	const previous = readdirSync(runs)
		.filter((name) => name.startsWith(`${kind}-`))
		.sort();
	for (const old of previous.slice(0, Math.max(0, previous.length - (keep - 1)))) {
		rmSync(path.join(runs, old), { recursive: true, force: true });
	}
	const stamp = new Date().toISOString().replace(/[:.]/g, '-');
	const dir = path.join(runs, `${kind}-${stamp}`);
	mkdirSync(dir);
	return dir;
}
