const { rmSync } = require('node:fs');
const { src, dest } = require('gulp');

/** Starts every build from an empty dist/ (and no stale incremental state), so nothing old is packed. */
function clean(done) {
	rmSync('dist', { recursive: true, force: true });
	rmSync('.cache/tsconfig.tsbuildinfo', { force: true });
	done();
}

/** Copies what tsc does not: node icons and codex files, next to the compiled nodes and credentials. */
function buildAssets() {
	return src(['nodes/**/*.{png,svg,node.json}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports.clean = clean;
exports['build:assets'] = buildAssets;
