import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import { launchChromium } from '../browser';
import type { RoutingScene } from '../routing';
import type { Stack } from '../stack';
import { serveWebChat } from './server';

export interface WebChatSession {
	page: Page;
	/** The chat ID the page opened. */
	chat: string;
	close(): Promise<void>;
}

/** Opens the demo's web chat page for `scenes` in headless Chromium, as a customer would. */
export async function openWebChat(stack: Stack, scenes: RoutingScene[]): Promise<WebChatSession> {
	const url = serveWebChat(stack.customer, scenes);
	let browser: Browser | undefined;
	try {
		browser = await launchChromium();
		const page = await browser.newPage({ viewport: { width: 720, height: 900 } });
		await page.goto(url);
		await page.locator('#chat-id').filter({ hasText: /chat web-/ }).waitFor({ timeout: 15_000 });
		const chat = ((await page.locator('#chat-id').textContent()) ?? '').replace(/^chat /, '');
		const opened = browser;
		return { page, chat, close: async () => await opened.close() };
	} catch (error) {
		await browser?.close();
		throw error;
	}
}

/** The page's messages as "<from>: <text>" lines, in order. */
export async function pageMessages(page: Page): Promise<string[]> {
	return await page.locator('#messages .message').evaluateAll((boxes) =>
		boxes.map((box) => `${box.getAttribute('data-from')}: ${box.querySelector('.text')?.textContent ?? ''}`),
	);
}

export async function screenshot(page: Page, workDir: string): Promise<string> {
	const file = path.join(workDir, 'web-chat.png');
	await page.screenshot({ path: file });
	return file;
}
