#!/usr/bin/env node
// npm run test:e2e [-- --n8n <version>] [jest options]: the real-n8n suite against n8n 2.41.1, or against
// the given release (e.g. 1.123.81, the last 1.x); N8N_VERSION=<version> in the environment does the same.
const { spawn } = require('node:child_process');

const args = process.argv.slice(2);
const env = { ...process.env };
const at = args.findIndex((arg) => arg === '--n8n' || arg.startsWith('--n8n='));
if (at !== -1) {
	const [flag] = args.splice(at, 1);
	const version = flag.includes('=') ? flag.split('=')[1] : args.splice(at, 1)[0];
	if (!/^\d+\.\d+\.\d+$/.test(version ?? '')) {
		console.error(`--n8n needs a version such as 1.123.81, got ${version ?? 'nothing'}`);
		process.exit(2);
	}
	env.N8N_VERSION = version;
}
const child = spawn(process.execPath, [require.resolve('jest/bin/jest'), '--config', require.resolve('./jest.config.js'), ...args], { stdio: 'inherit', env });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
