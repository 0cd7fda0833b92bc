#!/usr/bin/env node
// Runs jest with --detectOpenHandles and turns a leaked socket or timer into a failure: when a
// handle keeps the process alive, jest prints where it was opened and then waits forever. Here the
// run fails instead, once jest is still alive some seconds after reporting its results.
const { spawn } = require('node:child_process');

const FINISHED = /Ran all test suites|Jest has detected the following \d+ open handles?/;
const EXIT_GRACE_MS = 10_000;
const child = spawn(process.execPath, [require.resolve('jest/bin/jest'), '--config', require.resolve('./jest.config.js'), '--detectOpenHandles', ...process.argv.slice(2)], {
	stdio: ['inherit', 'pipe', 'pipe'],
});

let hung = false;
let timer;
const watch = (stream, target) =>
	stream.on('data', (chunk) => {
		target.write(chunk);
		if (!timer && FINISHED.test(chunk.toString())) {
			timer = setTimeout(() => {
				hung = true;
				child.kill('SIGTERM');
			}, EXIT_GRACE_MS);
			timer.unref();
		}
	});
watch(child.stdout, process.stdout);
watch(child.stderr, process.stderr);

child.on('exit', (code, signal) => {
	if (hung) {
		process.stderr.write(
			`\nFAILED: jest did not exit within ${EXIT_GRACE_MS / 1000} s of finishing: tests left sockets or timers open (listed above).\n`,
		);
		process.exit(1);
	}
	process.exit(code ?? (signal ? 1 : 0));
});
