// npm run demo: a real n8n with this package installed as a community node, every provider emulator,
// the examples imported and published, a web chat page and a console to play the customer and the agent.
import { DemoConsole } from './demo/console';
import { HELP } from './demo/format';
import { newRunDir } from './paths';
import { wiredScenes, type RoutingScene } from './routing';
import { formatElapsed, selectedRelease } from './runtime';
import { Stack } from './stack';
import { serveWebChat } from './web-chat/server';

const OWNER = { email: 'demo@example.com', password: 'ChatBridge-demo-1', firstName: 'Demo', lastName: 'User' };
const PREFERRED_PORT = 5678;

async function main(): Promise<void> {
	const started = Date.now();
	const release = selectedRelease();
	console.log(
		`Starting the n8n-nodes-chat-bridge demo. The first run installs n8n ${release.n8n} and Node ${release.node} ` +
			'(several minutes, about 2.5 GB) and compiles its SQLite driver, which needs make, a C++ compiler and Python; later runs start in about half a minute.',
	);
	const stack = await Stack.start({
		workDir: newRunDir('demo'),
		owner: OWNER,
		log: (line) => console.log(`  [${formatElapsed(Date.now() - started)}] ${line}`),
		preferredPort: PREFERRED_PORT,
	});
	let terminal: DemoConsole | undefined;
	let stopping: Promise<void> | undefined;
	const stop = (code: number) => {
		stopping ??= (async () => {
			terminal?.stop();
			console.log('\nStopping n8n and the emulators...');
			await stack.stop();
			console.log('Stopped.');
			process.exit(code);
		})();
		return stopping;
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	try {
		const scenes = await wiredScenes(stack);
		const webUrl = serveWebChat(stack.customer, scenes);
		printWelcome(stack, scenes, webUrl, (Date.now() - started) / 1000);
		terminal = new DemoConsole(scenes, stack.customer, webUrl, () => void stop(0));
	} catch (error) {
		console.error(`\nThe demo could not set up its routing flows: ${(error as Error).message}`);
		await stop(1);
	}
}

function printWelcome(stack: Stack, scenes: RoutingScene[], webUrl: string, seconds: number): void {
	const lines = [
		'',
		`Ready after ${formatElapsed(seconds * 1000)}. n8n ${stack.runtime.n8nVersion} (Node ${stack.runtime.nodeVersion}) with ${stack.installed.name}@${stack.installed.version}:`,
		'',
		`  Open      ${stack.n8n.url}`,
		`  Log in    ${OWNER.email} / ${OWNER.password}`,
		`  Web chat  ${webUrl}   (the customer's front end; the agent answers here with /agent)`,
		'',
		'Workflows (imported from examples/):',
		...stack.imported.map((imported) => `  ${imported.triggers.length > 0 ? 'published ' : 'manual    '} ${imported.workflow.name}`),
		'',
		'Provider emulators (credentials in n8n point at them):',
		...[...stack.providers.values()].flatMap((provider) => provider.describe().map((line) => `  ${line}`)),
		'',
	];
	scenes.forEach((scene, index) => {
		lines.push(`Scene ${index + 1}: ${scene.title}`, ...scene.howToPlay().map((line) => `  ${line}`), '');
	});
	lines.push(...HELP, '');
	console.log(lines.join('\n'));
}

main().catch((error: Error) => {
	console.error(`\nThe demo could not start: ${error.message}`);
	process.exit(1);
});
