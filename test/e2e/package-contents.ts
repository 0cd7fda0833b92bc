import { createRequire } from 'node:module';
import path from 'node:path';

import type { InstalledPackage } from './package-install';
import { repoRoot } from './paths';

export interface PackageContents {
	/** Node type names as n8n lists them: `<package>.<description.name>`, and `…Tool` for tool-capable nodes. */
	nodeTypes: string[];
	credentialTypes: string[];
}

/**
 * What the installed package declares: each file its `n8n` block lists is loaded (from the build
 * the tarball was packed from) and its class instantiated, as n8n's loader does.
 */
export function declaredContents(installed: InstalledPackage): PackageContents {
	// As n8n's loader does: the class named like the file (NovaTalks.node.js exports NovaTalks).
	const load = (file: string) => {
		const exported = createRequire(__filename)(path.join(repoRoot(), file)) as Record<string, new () => unknown>;
		const className = path.basename(file).split('.')[0];
		if (!exported[className]) throw new Error(`${file} does not export a class named ${className}`);
		return [new exported[className]()];
	};
	return {
		// n8n also lists a `<name>Tool` variant of each node usable as an AI agent tool.
		nodeTypes: installed.n8n.nodes.flatMap((file) =>
			load(file).flatMap((node) => {
				const { name, usableAsTool } = (node as { description: { name: string; usableAsTool?: boolean } }).description;
				const type = `${installed.name}.${name}`;
				return usableAsTool ? [type, `${type}Tool`] : [type];
			}),
		),
		credentialTypes: installed.n8n.credentials.flatMap((file) => load(file).map((credential) => (credential as { name: string }).name)),
	};
}

/** Lines of n8n's log that report a problem loading this package (or any community package). */
export function loadProblems(log: string, packageName: string): string[] {
	return log
		.split('\n')
		.filter(
			(line) =>
				/Failed to load package|Skipping package|error loading|could not be loaded|UnrecognizedNodeType|UnrecognizedCredentialType/i.test(line) ||
				(line.includes(packageName) && /error|warn|fail/i.test(line)),
		);
}
