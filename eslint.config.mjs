// The rule sets n8n's node-cli assembles for community nodes, without n8n Cloud support
// (this package needs `ws`, `socket.io-client` and timers for keepalive and reconnect).
// `npm run lint:cloud` runs the same with the cloud rules and none of the exceptions below
// (chatBridgeConfig({ cloud: true })) and reports what the package cannot meet.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importPlugin from 'eslint-plugin-import-x';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

/** `cloud`: n8n Cloud's rule set (restricted globals and imports too), with none of this package's exceptions. */
export function chatBridgeConfig({ cloud }) {
	const communityNodes = cloud ? n8nCommunityNodesPlugin.configs.recommended : n8nCommunityNodesPlugin.configs.recommendedWithoutN8nCloudSupport;
	const exceptions = (rules) => (cloud ? {} : rules);
	return tseslint.config(
		globalIgnores(['dist', 'node_modules', '.cache', 'coverage']),
		{
			files: ['**/*.ts'],
			extends: [js.configs.recommended, tseslint.configs.recommended, importPlugin.configs['flat/recommended']],
			rules: {
				'prefer-spread': 'off',
				'no-console': 'error',
			},
		},
		{
			// What ships: the community-node rules. Test-only nodes under test/ never ship.
			files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
			extends: [communityNodes],
		},
		{
			plugins: { 'n8n-nodes-base': n8nNodesBase },
			settings: {
				'import-x/resolver-next': [createTypeScriptImportResolver()],
			},
		},
		{
			files: ['package.json'],
			extends: [communityNodes],
			rules: {
				...n8nNodesBase.configs.community.rules,
				// Self-hosted only: the WebSocket and Socket.IO clients and multipart encoding are runtime
				// dependencies (ws, socket.io-client, form-data), which is why the cloud rule set is not used.
				...exceptions({ '@n8n/community-nodes/no-runtime-dependencies': 'off' }),
			},
			languageOptions: {
				parser: tseslint.parser,
				parserOptions: { extraFileExtensions: ['.json'] },
			},
		},
		{
			files: ['./credentials/**/*.ts'],
			rules: {
				...n8nNodesBase.configs.credentials.rules,
				...exceptions({
					'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
					'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
				}),
			},
		},
		{
			files: ['./nodes/**/*.ts'],
			rules: {
				...n8nNodesBase.configs.nodes.rules,
				...exceptions({
					'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
					'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
					'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
				}),
			},
		},
		{
			// Tests, emulators and benchmarks print their measurements.
			files: ['test/**/*.ts', 'bench/**/*.ts'],
			rules: { 'no-console': 'off' },
		},
	);
}

export default chatBridgeConfig({ cloud: false });
