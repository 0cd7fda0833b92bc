import type { IVersionedNodeType } from 'n8n-workflow';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** Where the real n8n that `npm run test:e2e` installs keeps n8n's own nodes. */
const N8N_NODES_BASE = path.resolve(__dirname, '../../.cache/n8n/node_modules/n8n-nodes-base');
const HTTP_REQUEST_FILE = path.join(N8N_NODES_BASE, 'dist/nodes/HttpRequest/HttpRequest.node.js');

export const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';

/**
 * n8n's HTTP Request node from the real n8n in .cache/n8n (n8n-nodes-base is not a dependency of this
 * package), or undefined when that n8n is not installed.
 */
export function loadHttpRequestNode(): { node: IVersionedNodeType; version: string } | undefined {
	if (!existsSync(HTTP_REQUEST_FILE)) return undefined;
	loaded ??= load();
	return loaded;
}

let loaded: { node: IVersionedNodeType; version: string } | undefined;

function load(): { node: IVersionedNodeType; version: string } {
	// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded from the installed n8n, when it is there
	const { HttpRequest } = require(HTTP_REQUEST_FILE) as { HttpRequest: new () => IVersionedNodeType };
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { version } = require(path.join(N8N_NODES_BASE, 'package.json')) as { version: string };
	return { node: new HttpRequest(), version };
}
