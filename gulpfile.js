const { src, dest } = require('gulp');

/** Copies what tsc does not: node icons and codex files, next to the compiled nodes and credentials. */
function buildAssets() {
	return src(['nodes/**/*.{png,svg,node.json}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:assets'] = buildAssets;
