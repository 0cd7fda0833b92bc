// npm run demo: a real n8n with this package installed as a community node, every provider emulator,
// the examples imported and published, and a console to play the customer and the agent.
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

import type { CustomerInboxMessage } from './customer-app';
import { newRunDir } from './paths';
import { wiredScenes, type RoutingScene } from './routing';
import { Stack } from './stack';

const OWNER = { email: 'demo@example.com', password: 'ChatBridge-demo-1', firstName: 'Demo', lastName: 'User' };
const PREFERRED_PORT = 5678;

async function main(): Promise<void> {
	const started = Date.now();
	console.log('Starting the n8n-nodes-chat-bridge demo (the first run installs n8n: a few minutes)...');
	const stack = await Stack.start({
		workDir: newRunDir('demo'),
		owner: OWNER,
		log: (line) => console.log(`  ${line}`),
		port: (await isFree(PREFERRED_PORT)) ? PREFERRED_PORT : undefined,
	});
	let stopping: Promise<void> | undefined;
	const stop = (code: number) => {
		stopping ??= (async () => {
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
		printWelcome(stack, scenes, (Date.now() - started) / 1000);
		stack.customer.on('message', printForCustomer);
		playConsole(scenes, () => void stop(0));
	} catch (error) {
		console.error(`\nThe demo could not set up its routing flows: ${(error as Error).message}`);
		await stop(1);
	}
}

function printWelcome(stack: Stack, scenes: RoutingScene[], seconds: number): void {
	const lines = [
		'',
		`Ready after ${seconds.toFixed(0)} s. n8n ${stack.runtime.n8nVersion} (Node ${stack.runtime.nodeVersion}) with ${stack.installed.name}@${stack.installed.version}:`,
		'',
		`  Open      ${stack.n8n.url}`,
		`  Log in    ${OWNER.email} / ${OWNER.password}`,
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
	lines.push(
		'Play here: type a line to write as the customer. Commands:',
		'  /agent <text>   answer as the human agent (once the chat was handed over)',
		'  /new            start a new customer chat',
		'  /scene <n>      switch to scene n',
		'  /quit           stop everything (Ctrl-C does too)',
		'',
	);
	console.log(lines.join('\n'));
}

function printForCustomer(message: CustomerInboxMessage): void {
	const buttons = message.buttons?.length ? `  [${message.buttons.map((button) => button.title).join(' | ')}]` : '';
	console.log(`  ${message.from} -> customer (${message.conversationId}): ${message.text}${buttons}`);
}

function playConsole(scenes: RoutingScene[], quit: () => void): void {
	let sceneIndex = 0;
	let chat = newChatId();
	const input = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
	const prompt = () => scenes.length > 0 && console.log(`[scene ${sceneIndex + 1}, chat ${chat}] type as the customer, or /agent <text>:`);
	prompt();
	const agentSide = watchAgentSide(() => ({ scene: scenes[sceneIndex], chat }));
	input.on('line', (line) => {
		const text = line.trim();
		if (text === '') return;
		const [command, ...rest] = text.split(/\s+/);
		if (command === '/quit') return quit();
		if (command === '/new') {
			chat = newChatId();
			return prompt();
		}
		if (command === '/scene') {
			const wanted = Number(rest[0]) - 1;
			if (scenes[wanted]) {
				sceneIndex = wanted;
				chat = newChatId();
			} else console.log(`  There are ${scenes.length} scenes.`);
			return prompt();
		}
		const scene = scenes[sceneIndex];
		if (!scene) return console.log('  No routing scene is available.');
		const notDelivered = (error: Error) => console.log(`  (not delivered: ${error.message})`);
		if (command === '/agent') {
			return void scene.agentSays(chat, rest.join(' ')).catch(notDelivered);
		}
		scene.customerSays(chat, text).catch(notDelivered);
	});
	// Ctrl-D ends the console; without a terminal (stdin closed or piped), the demo runs until Ctrl-C.
	input.on('close', () => {
		if (!process.stdin.isTTY) return;
		clearInterval(agentSide);
		quit();
	});
}

/** Prints what reaches the agent's side of the current chat, once a second. */
function watchAgentSide(current: () => { scene?: RoutingScene; chat: string }): NodeJS.Timeout {
	const shown = new Map<string, number>();
	return setInterval(() => {
		const { scene, chat } = current();
		if (!scene) return;
		scene.agentView(chat).then(
			(lines) => {
				for (const line of lines.slice(shown.get(chat) ?? 0)) console.log(`  agent's screen (${chat}): ${line.replace(/\n/g, '\n      ')}`);
				shown.set(chat, lines.length);
			},
			() => undefined,
		);
	}, 1_000);
}

function newChatId(): string {
	return `chat-${Math.random().toString(36).slice(2, 8)}`;
}

async function isFree(port: number): Promise<boolean> {
	const server = createServer();
	return await new Promise<boolean>((resolve) => {
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

main().catch((error: Error) => {
	console.error(`\nThe demo could not start: ${error.message}`);
	process.exit(1);
});
