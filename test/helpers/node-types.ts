import type {
	ICredentialType,
	ICredentialTypes,
	IDataObject,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

import packageJson from '../../package.json';

export const PACKAGE_NAME = packageJson.name;
const ROOT = path.resolve(__dirname, '../..');

type AnyNodeType = INodeType | IVersionedNodeType;

/** Test-only nodes that stand in for n8n-nodes-base nodes keep n8n's type names; others are `test.<name>`. */
const N8N_BASE_STAND_INS = new Set(['manualTrigger']);

/** `n8n-nodes-chat-bridge.novaTalks`: the name n8n gives a node of this package. */
export function nodeTypeName(name: string): string {
	return `${PACKAGE_NAME}.${name}`;
}

/** Files below `folder` (relative to the package root) whose names end with `suffix`. */
export function filesBelow(folder: string, suffix: string): string[] {
	const root = path.join(ROOT, folder);
	if (!existsSync(root)) return [];
	return (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
		.filter((file) => file.endsWith(suffix) && !file.split(path.sep).includes('node_modules'))
		.sort()
		.map((file) => path.join(root, file));
}

function instancesIn<T>(folder: string, suffix: string, isWanted: (value: unknown) => value is T): T[] {
	const found: T[] = [];
	for (const file of filesBelow(folder, suffix)) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports -- node files are found at run time, as n8n finds them
		const exports = require(file) as Record<string, unknown>;
		for (const exported of Object.values(exports)) {
			if (typeof exported !== 'function') continue;
			const instance: unknown = new (exported as new () => unknown)();
			if (isWanted(instance)) found.push(instance);
		}
	}
	return found;
}

const isNodeType = (value: unknown): value is AnyNodeType =>
	typeof value === 'object' && value !== null && 'description' in value;
const isCredentialType = (value: unknown): value is ICredentialType =>
	typeof value === 'object' && value !== null && 'properties' in value && 'name' in value && !('description' in value);

/**
 * This package's node types, loaded from source the way n8n names them, plus the test-only
 * stand-ins for n8n-nodes-base nodes under test/helpers/test-nodes.
 */
export class PackageNodeTypes implements INodeTypes {
	private readonly types = new Map<string, AnyNodeType>();

	constructor() {
		for (const type of instancesIn('nodes', '.node.ts', isNodeType)) {
			this.types.set(nodeTypeName(type.description.name), type);
		}
		for (const type of instancesIn('test/helpers/test-nodes', '.node.ts', isNodeType)) {
			const prefix = N8N_BASE_STAND_INS.has(type.description.name) ? 'n8n-nodes-base' : 'test';
			this.types.set(`${prefix}.${type.description.name}`, type);
		}
	}

	getByName(nodeType: string): AnyNodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new Error(`Unknown node type ${nodeType}; known: ${[...this.types.keys()].join(', ')}`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const type = this.getByName(nodeType);
		return 'nodeVersions' in type ? type.getNodeType(version) : type;
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries([...this.types.keys()].map((name) => [name, {}]));
	}

	names(): string[] {
		return [...this.types.keys()];
	}
}

/** This package's credential types, loaded from source. */
export class PackageCredentialTypes implements ICredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	constructor() {
		const found = [
			...instancesIn('credentials', '.credentials.ts', isCredentialType),
			...instancesIn('test/helpers/test-nodes', '.credentials.ts', isCredentialType),
		];
		for (const type of found) this.types.set(type.name, type);
	}

	recognizes(credentialType: string): boolean {
		return this.types.has(credentialType);
	}

	getByName(credentialType: string): ICredentialType {
		const type = this.types.get(credentialType);
		if (!type) throw new Error(`Unknown credential type ${credentialType}`);
		return type;
	}

	getSupportedNodes(): string[] {
		return [];
	}

	getParentTypes(typeName: string): string[] {
		const extendsList = this.types.get(typeName)?.extends ?? [];
		return extendsList.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	names(): string[] {
		return [...this.types.keys()];
	}
}
