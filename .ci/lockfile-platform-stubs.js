#!/usr/bin/env node
// The npm registry this project installs from serves only the Linux builds of unrs-resolver's native
// bindings (an optional dependency of jest and of ESLint's import resolver). `npm install` then leaves
// the other platforms out of package-lock.json and `npm ci` refuses the lock as incomplete. This adds
// them back as platform-restricted optional entries, which npm skips on Linux without fetching them.
// Run it after regenerating package-lock.json.
const fs = require('node:fs');
const path = require('node:path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
const resolver = lock.packages['node_modules/unrs-resolver'];
const PLATFORM = /^@unrs\/resolver-binding-(android|darwin|freebsd|linux|openharmony|wasm32|win32)-([a-z0-9]+)/;

let added = 0;
for (const [name, version] of Object.entries(resolver?.optionalDependencies ?? {})) {
	const key = `node_modules/${name}`;
	if (lock.packages[key]) continue;
	const [, os, cpu] = PLATFORM.exec(name) ?? [];
	if (!os) continue;
	const entry = { version, cpu: [os === 'wasm32' ? 'wasm32' : cpu], dev: true, license: 'MIT', optional: true };
	if (os !== 'wasm32') entry.os = [os];
	lock.packages[key] = entry;
	added++;
}
const [root, ...rest] = Object.entries(lock.packages);
lock.packages = Object.fromEntries([root, ...rest.sort(([a], [b]) => a.localeCompare(b))]);
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform-restricted optional entries`);
