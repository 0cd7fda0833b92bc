import { spawnSync } from 'node:child_process';

/**
 * The path of `command`. When it is missing and this process may install packages, Debian's
 * `debianPackage` is installed with apt-get first; otherwise the error says how to get it.
 */
export function ensureCommand(command: string, debianPackage: string): string {
	const found = () => spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim();
	if (found()) return found();
	const install = spawnSync('sh', ['-c', `apt-get install -y -qq ${debianPackage} || (apt-get update -qq && apt-get install -y -qq ${debianPackage})`], {
		encoding: 'utf8',
		timeout: 600_000,
	});
	if (!found()) {
		throw new Error(`${command} is not installed and apt-get could not install it (run: apt-get install ${debianPackage}):\n${install.stderr}`);
	}
	return found();
}
