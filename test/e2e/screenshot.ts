// Takes the README's picture of a routing workflow in the real n8n editor, with headless Chromium
// (Debian package `chromium`) driven over the DevTools protocol:
//   npx tsc -p test/e2e/tsconfig.json && node .cache/e2e-build/test/e2e/screenshot.js [example.json] [out.png]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

import { newRunDir, repoRoot } from './paths';
import { wiredScenes } from './routing';
import { workflowFileOf } from './routing/bridge-flow';
import { Stack } from './stack';

const OWNER = { email: 'shot@example.com', password: 'Screenshot-pass-1', firstName: 'Screen', lastName: 'Shot' };
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--hide-scrollbars',
	'--window-size=1600,1000',
	'--remote-debugging-port=0',
];

async function main(): Promise<void> {
	const example = process.argv[2] ?? workflowFileOf('ultimate', 'novatalks');
	const out = process.argv[3] ?? path.join(repoRoot(), 'examples', example.replace(/\.json$/, '.png'));
	const stack = await Stack.start({ workDir: newRunDir('demo'), owner: OWNER, log: console.log });
	const profile = mkdtempSync(path.join(tmpdir(), 'chat-bridge-chromium-'));
	const browser = spawn('chromium', [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, 'about:blank'], { stdio: 'ignore' });
	try {
		await wiredScenes(stack);
		const page = await connect(await devtoolsPort(profile));
		const [name, value] = stack.n8n.sessionCookie().split('=');
		await page.call('Emulation.setDeviceMetricsOverride', { width: 1600, height: 1000, deviceScaleFactor: 1, mobile: false });
		await page.call('Network.enable');
		await page.call('Network.setCookie', { name, value, url: stack.n8n.url });
		await page.call('Page.navigate', { url: `${stack.n8n.url}/workflow/${stack.workflow(example).workflow.id}` });
		await delay(8_000);
		// What a person does first: close the editor's checklist pop-up and zoom the canvas to fit.
		await page.call('Runtime.evaluate', { expression: `document.querySelector('[data-test-id="suggested-actions-close"]')?.click()` });
		for (const type of ['keyDown', 'keyUp']) await page.call('Input.dispatchKeyEvent', { type, key: '1', code: 'Digit1', text: '1' });
		await delay(1_500);
		const shot = (await page.call('Page.captureScreenshot', { format: 'png' })) as { data: string };
		writeFileSync(out, Buffer.from(shot.data, 'base64'));
		console.log(`Wrote ${out}`);
		page.close();
	} finally {
		browser.kill('SIGKILL');
		await stack.stop();
		rmSync(profile, { recursive: true, force: true });
	}
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Chromium writes the port it chose into DevToolsActivePort in its profile folder. */
async function devtoolsPort(profile: string): Promise<number> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		try {
			return Number(readFileSync(path.join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
		} catch {
			if (Date.now() > deadline) throw new Error('Chromium did not open its DevTools port within 30 s');
			await delay(200);
		}
	}
}

async function connect(port: number) {
	const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ type: string; webSocketDebuggerUrl: string }>;
	const target = targets.find((candidate) => candidate.type === 'page');
	if (!target) throw new Error('Chromium has no page');
	const socket = new WebSocket(target.webSocketDebuggerUrl);
	await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
	let nextId = 0;
	const waiting = new Map<number, (result: unknown) => void>();
	socket.on('message', (data) => {
		const message = JSON.parse(data.toString()) as { id?: number; result?: unknown };
		if (message.id !== undefined) waiting.get(message.id)?.(message.result);
	});
	return {
		call: async (method: string, params: object = {}) =>
			await new Promise<unknown>((resolve) => {
				const id = ++nextId;
				waiting.set(id, resolve);
				socket.send(JSON.stringify({ id, method, params }));
			}),
		close: () => socket.close(),
	};
}

main().catch((error: Error) => {
	console.error(error);
	process.exit(1);
});
