// The package as users get it: packed, installed into a real n8n as a community node, every node
// and credential listed by n8n under its real type name, icons served, no load error logged; then
// every example workflow imported, published where it has a trigger, driven, and run to success.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { EXAMPLE_DRIVERS } from './drivers';
import { declaredContents, loadProblems, type PackageContents } from './package-contents';
import { newRunDir } from './paths';
import { playBridge } from './drivers/routing';
import { ALL_PAIRINGS, EXAMPLE_PAIRINGS, routingScenes } from './routing';
import { bridgeFlow, workflowFileOf } from './routing/bridge-flow';
import { exampleFiles, Stack } from './stack';
import { openWebChat, pageMessages, screenshot } from './web-chat/check';

const OWNER = { email: 'e2e@chat-bridge.test', password: 'E2e-pass-1234', firstName: 'End', lastName: 'ToEnd' };

let stack: Stack;
let declared: PackageContents;
let workDir: string;

beforeAll(async () => {
	workDir = newRunDir('e2e');
	stack = await Stack.start({ workDir, owner: OWNER, log: (line) => console.log(line) });
	declared = declaredContents(stack.installed);
	console.log(
		[
			`n8n ${stack.runtime.n8nVersion} / Node ${stack.runtime.nodeVersion}: ` +
				`${stack.runtime.installedNow ? 'installed now' : 'reused'} (install took ${stack.runtime.installSeconds} s, ` +
				`${(stack.runtime.sizeBytes / 1e9).toFixed(2)} GB)`,
			`n8n served its REST API ${stack.n8n.startSeconds.toFixed(1)} s after start`,
			`work folder: ${workDir}`,
		].join('\n'),
	);
}, 40 * 60_000);

afterAll(async () => {
	await stack?.stop();
}, 60_000);

describe('the package installed as a community node', () => {
	it('ships every file its n8n block names', () => {
		const files = [...stack.installed.n8n.nodes, ...stack.installed.n8n.credentials];
		for (const file of files) expect(stack.installed.tarballFiles).toContain(file);
	});

	it('has every node listed by n8n under n8n-nodes-chat-bridge.<name>', async () => {
		const listed = (await stack.n8n.nodeTypes()).map((type) => type.name).filter((name) => name.startsWith(`${stack.installed.name}.`));
		expect(listed.sort()).toEqual([...new Set(declared.nodeTypes)].sort());
	});

	it('has every credential listed by n8n', async () => {
		const listed = (await stack.n8n.credentialTypes()).map((type) => type.name);
		for (const credential of declared.credentialTypes) expect(listed).toContain(credential);
	});

	it('serves every node icon from the installed package', async () => {
		const types = (await stack.n8n.nodeTypes()).filter((type) => type.name.startsWith(`${stack.installed.name}.`)) as Array<{
			name: string;
			iconUrl?: string | { light: string; dark: string };
		}>;
		for (const type of types) {
			const urls = typeof type.iconUrl === 'string' ? [type.iconUrl] : type.iconUrl ? [type.iconUrl.light, type.iconUrl.dark] : [];
			expect({ node: type.name, hasIcon: urls.length > 0 }).toEqual({ node: type.name, hasIcon: true });
			for (const url of urls) {
				const response = await fetch(`${stack.n8n.url}/${url}`);
				expect({ url, status: response.status }).toEqual({ url, status: 200 });
			}
		}
	});

	it('is installed with its runtime dependencies and without n8n-workflow, which n8n provides', () => {
		const modules = path.dirname(stack.installed.directory);
		for (const dependency of ['ws', 'socket.io-client', 'form-data']) expect({ dependency, installed: existsSync(path.join(modules, dependency)) }).toEqual({ dependency, installed: true });
		expect(existsSync(path.join(modules, 'n8n-workflow'))).toBe(false);
	});

	it('loads without a single error or warning about the package in n8n’s log', () => {
		expect(loadProblems(stack.n8n.log(), stack.installed.name)).toEqual([]);
	});
});

describe('what the Chat Bridge node needs from n8n', () => {
	it('serves Data Tables through its public REST API to an API key (where the bridge keeps its links)', async () => {
		const key = await stack.n8n.createApiKey('chat-bridge e2e', ['dataTable:list', 'dataTable:read']).catch((error: Error) => error);
		if (key instanceof Error) {
			// n8n 1.x knows no data table scopes: ask the route with a key it does accept, to say what it answers.
			const probe = await stack.n8n.publicApi('/data-tables', await stack.n8n.createApiKey('chat-bridge probe', ['workflow:list']));
			throw new Error(`n8n ${stack.runtime.n8nVersion} refuses API keys with data table scopes (${key.message.split('\n')[0].slice(0, 120)}); GET /api/v1/data-tables answers ${probe.status}`);
		}
		const answer = await stack.n8n.publicApi('/data-tables', key);
		expect({ status: answer.status, n8n: stack.runtime.n8nVersion }).toEqual({ status: 200, n8n: stack.runtime.n8nVersion });
		expect(JSON.parse(answer.body)).toHaveProperty('data');
	});
});

describe('the examples in the real n8n', () => {
	it('imports every example, publishing each one that has a trigger', async () => {
		const stored = await stack.n8n.workflows();
		for (const imported of stack.imported) {
			const workflow = stored.find((candidate) => candidate.id === imported.workflow.id);
			expect({ file: imported.file, active: workflow?.active }).toEqual({ file: imported.file, active: imported.triggers.length > 0 });
		}
		expect(stack.imported.map((imported) => imported.file)).toEqual(exampleFiles());
	});

	for (const file of exampleFiles()) {
		it(`runs ${file} to success`, async () => {
			const imported = stack.workflow(file);
			const driver = EXAMPLE_DRIVERS[file];
			if (driver) await driver(stack, imported);
			else if (imported.triggers.length === 0) await stack.runManually(imported);
			else throw new Error(`${file} starts from ${imported.triggers.join(', ')}: add a driver for it in test/e2e/drivers/`);
		});
	}

	it('recorded no failed execution', async () => {
		const failed = (await stack.n8n.executions()).filter((execution) => execution.status !== 'success');
		expect(failed).toEqual([]);
	});
});

describe('the Chat Bridge in every bot x desk pairing', () => {
	// The examples cover three pairings; the other three are built by the same builder and played alike.
	const generated = ALL_PAIRINGS.filter(([bot, desk]) => !EXAMPLE_PAIRINGS.some(([b, d]) => b === bot && d === desk));
	for (const [bot, desk] of generated) {
		it(`routes ${bot} -> ${desk}: two customers at once, bursts of 5 each way, each message once and in order`, async () => {
			const file = workflowFileOf(bot, desk);
			const imported = await stack.importWorkflow(file, bridgeFlow(bot, desk));
			await playBridge(stack, imported, bot, desk);
		});
	}
});

// After the examples, which wired the routing workflows to the emulators. The JAICP scene: the Ultimate
// example's driver, which runs after the routing ones, points the Ultimate bot at its own workflow.
describe('the demo’s web chat page in headless Chromium', () => {
	it('sends what the customer types to the bot, shows its answers, buttons and links, a clicked button, and the agent’s reply', async () => {
		const file = workflowFileOf('jaicp', 'concierge');
		const scene = routingScenes(stack).find((candidate) => candidate.imported.file === file);
		if (!scene) throw new Error(`${file} was not imported`);
		const web = await openWebChat(stack, [scene]);
		try {
			const { page, chat } = web;
			await page.locator('#text').fill('Show me the menu');
			await page.locator('#text').press('Enter');
			await page.locator('.message.bot .buttons button', { hasText: 'Prices' }).waitFor({ timeout: 30_000 });
			expect(await pageMessages(page)).toEqual(['customer: Show me the menu', 'bot: What would you like?', 'bot: ']);
			expect(await page.locator('.message.bot .buttons a', { hasText: 'Website' }).getAttribute('href')).toBe('https://example.com/');

			await page.locator('.message.bot .buttons button', { hasText: 'Prices' }).click();
			await page.locator('.message.bot .text', { hasText: 'You said: Prices' }).waitFor({ timeout: 30_000 });
			await page.locator('#text').fill('I need a human operator');
			await page.locator('#text').press('Enter');
			await page.locator('.message.system', { hasText: 'An agent has joined the chat.' }).waitFor({ timeout: 30_000 });
			await scene.agentSays(chat, 'Hello, Mai from the front desk here.');
			await page.locator('.message.agent .text', { hasText: 'Hello, Mai from the front desk here.' }).waitFor({ timeout: 30_000 });
			// The bridge relays the bot's last answer, then hands over and says so: one execution, in order.
			const later = (await pageMessages(page)).slice(3);
			expect(later).toEqual([
				'customer: Prices',
				'bot: You said: Prices',
				'customer: I need a human operator',
				'bot: Connecting you to an operator…',
				'system: An agent has joined the chat.',
				'agent: Hello, Mai from the front desk here.',
			]);
			console.log(`web chat screenshot: ${await screenshot(page, workDir)}`);
		} finally {
			await web.close();
		}
	});
});
