// What `npm publish` would upload: the compiled package and its documents, nothing else. Run after
// `npm run build` (CI does); with no dist/ the test fails and says so.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
	main: string;
	n8n: { nodes: string[]; credentials: string[] };
};
/** Files allowed outside dist/: the documents, the manifest and the `main` entry it names. */
const TOP_LEVEL = ['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json', manifest.main];

function packedFiles(): string[] {
	if (!existsSync(path.join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` before this test');
	// --ignore-scripts: list what would be packed from the current build, without building again.
	const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
	if (packed.status !== 0) throw new Error(`npm pack --dry-run failed: ${packed.stderr}`);
	const [report] = JSON.parse(packed.stdout) as Array<{ files: Array<{ path: string }> }>;
	return report.files.map((file) => file.path).sort();
}

describe('the published package', () => {
	const files = packedFiles();

	it('holds only dist/, the documents, package.json and its main entry', () => {
		expect(files.filter((file) => !file.startsWith('dist/') && !TOP_LEVEL.includes(file))).toEqual([]);
		for (const file of TOP_LEVEL) expect(files).toContain(file);
	});

	it('holds no tests, TypeScript sources or build state', () => {
		expect(files.filter((file) => /(^|\/)test\/|\.test\.|\.spec\.|(?<!\.d)\.ts$|\.tsbuildinfo$/.test(file))).toEqual([]);
	});

	it('holds no source map pointing at a source the package does not hold', () => {
		const dangling = files
			.filter((file) => file.endsWith('.map'))
			.flatMap((file) => {
				const map = JSON.parse(readFileSync(path.join(root, file), 'utf8')) as { sources: string[]; sourcesContent?: string[] };
				return map.sources
					.filter((source, index) => map.sourcesContent?.[index] === undefined)
					.map((source) => path.posix.normalize(path.posix.join(path.posix.dirname(file), source)))
					.filter((source) => !files.includes(source))
					.map((source) => `${file} -> ${source}`);
			});
		expect(dangling).toEqual([]);
	});

	it('holds every node and credential its n8n block lists, with each node’s icon', () => {
		const listed = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
		expect(listed.filter((file) => !files.includes(file))).toEqual([]);
		const nodeFolders = [...new Set(manifest.n8n.nodes.map((file) => path.posix.dirname(file)))];
		for (const folder of nodeFolders) expect(files.some((file) => file.startsWith(`${folder}/`) && file.endsWith('.svg'))).toBe(true);
	});
});
