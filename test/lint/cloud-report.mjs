#!/usr/bin/env node
// npm run lint:cloud: lints what ships (nodes/, credentials/, package.json) with n8n's strictest
// community-node rules, the cloud rule set of @n8n/eslint-plugin-community-nodes plus the
// eslint-plugin-n8n-nodes-base rules with none of this package's exceptions, and prints which rules
// the package breaks, where, and why. A report only: it always exits 0 (CI runs `npm run lint`).
import { ESLint } from 'eslint';

import { chatBridgeConfig } from '../../eslint.config.mjs';

/** Why the package breaks a rule on purpose; a rule missing here is a finding to look at. */
const WHY = {
	'@n8n/community-nodes/no-runtime-dependencies':
		'WebSocket (ws), Socket.IO (socket.io-client) and multipart uploads (form-data) are the providers’ protocols; n8n’s helpers offer HTTP only.',
	'@n8n/community-nodes/no-restricted-imports':
		'The same three libraries, and Node built-ins (crypto for signatures, events) that the cloud rules do not allow.',
	'@n8n/community-nodes/no-restricted-globals':
		'Timers: WebSocket keepalive pings, reconnect backoff, long-poll and request time-outs need setTimeout/setInterval, which cloud nodes may not use.',
	'n8n-nodes-base/node-class-description-inputs-wrong-regular-node':
		'Inputs and outputs are declared with NodeConnectionTypes (the current n8n-workflow API), which this older rule does not recognise.',
	'n8n-nodes-base/node-class-description-outputs-wrong': 'As above: outputs declared with NodeConnectionTypes.',
	'n8n-nodes-base/node-param-type-options-max-value-present': 'Limits whose maximum is the provider’s own limit, not n8n’s default.',
	'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'Documentation URLs are the vendors’ full HTTPS addresses, which the rule takes for miscased names.',
	'n8n-nodes-base/cred-class-field-type-options-password-missing':
		'Fields the rule takes for secrets by their name (IDs, URLs, device IDs) that are not secret.',
};

const eslint = new ESLint({ overrideConfigFile: true, overrideConfig: chatBridgeConfig({ cloud: true }) });
const results = await eslint.lintFiles(['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json']);

const byRule = new Map();
for (const result of results) {
	for (const message of result.messages) {
		const rule = message.ruleId ?? '(parse error)';
		const entry = byRule.get(rule) ?? { count: 0, files: new Set(), sample: message.message };
		entry.count += 1;
		entry.files.add(result.filePath.replace(`${process.cwd()}/`, ''));
		byRule.set(rule, entry);
	}
}

console.log('n8n community-node rules with the cloud rule set (what n8n Cloud verification checks):\n');
if (byRule.size === 0) console.log('No rule broken.');
for (const [rule, { count, files, sample }] of [...byRule].sort((a, b) => b[1].count - a[1].count)) {
	console.log(`${rule}: ${count} finding${count === 1 ? '' : 's'} in ${files.size} file${files.size === 1 ? '' : 's'}`);
	console.log(`  e.g. ${sample.split('\n')[0]}`);
	console.log(`  why: ${WHY[rule] ?? 'not explained yet: look at it'}`);
	console.log(`  files: ${[...files].slice(0, 6).join(', ')}${files.size > 6 ? `, and ${files.size - 6} more` : ''}\n`);
}
console.log('The package is for self-hosted n8n; `npm run lint` (the rule set without cloud support) must stay clean.');
