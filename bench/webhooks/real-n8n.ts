import { existsSync } from 'node:fs';
import path from 'node:path';

import type { WorkflowJson } from './targets';

// The real-n8n setup of the end-to-end suite (test/e2e): its pinned n8n installed once into
// .cache/n8n, this package packed and installed as a community node, n8n driven over its REST API.
// It is loaded when this checkout has it, and described here by what the benchmark uses of it.

export interface StoredWorkflow extends WorkflowJson {
	id: string;
	versionId: string;
}

export interface RealN8n {
	readonly url: string;
	setupOwner(owner: { email: string; password: string; firstName: string; lastName: string }): Promise<void>;
	createCredential(name: string, type: string, data: Record<string, unknown>): Promise<string>;
	createWorkflow(workflow: WorkflowJson): Promise<StoredWorkflow>;
	publish(workflow: StoredWorkflow): Promise<StoredWorkflow>;
	rest<T>(method: string, route: string, body?: unknown): Promise<T>;
	stop(): Promise<void>;
}

interface Runtime {
	n8nVersion: string;
}

export interface RealN8nSetup {
	cacheDir(): string;
	ensureRuntime(log: (line: string) => void): Promise<Runtime>;
	installIntoN8n(n8nFolder: string, logFile: string): Promise<{ name: string }>;
	n8nFolder(userFolder: string): string;
	startN8n(options: { runtime: Runtime; userFolder: string; logFile: string }): Promise<RealN8n>;
}

const E2E = path.resolve(__dirname, '../../test/e2e');
const MODULES = ['runtime', 'n8n', 'package-install', 'paths'];

/** The real-n8n setup, or undefined when test/e2e is not in this checkout. */
export function loadRealN8nSetup(): RealN8nSetup | undefined {
	if (!MODULES.every((name) => existsSync(path.join(E2E, `${name}.ts`)))) return undefined;
	/* eslint-disable @typescript-eslint/no-require-imports -- loaded only where the end-to-end suite exists */
	const { ensureRuntime } = require(path.join(E2E, 'runtime')) as Pick<RealN8nSetup, 'ensureRuntime'>;
	const { installIntoN8n } = require(path.join(E2E, 'package-install')) as Pick<RealN8nSetup, 'installIntoN8n'>;
	const { cacheDir } = require(path.join(E2E, 'paths')) as Pick<RealN8nSetup, 'cacheDir'>;
	const { N8n } = require(path.join(E2E, 'n8n')) as {
		N8n: { n8nFolder(userFolder: string): string; start(options: { runtime: Runtime; userFolder: string; logFile: string }): Promise<RealN8n> };
	};
	/* eslint-enable @typescript-eslint/no-require-imports */
	return {
		cacheDir,
		ensureRuntime,
		installIntoN8n,
		n8nFolder: (userFolder) => N8n.n8nFolder(userFolder),
		startN8n: (options) => N8n.start(options),
	};
}
