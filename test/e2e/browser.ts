import { chromium, type Browser } from 'playwright-core';

import { ensureCommand } from '../helpers/debian-package';

/** Flags for Debian's Chromium in a container: headless, no sandbox, no GPU, nothing fetched from Google. */
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Headless Chromium (Debian's `chromium`, installed with apt-get when missing), driven by playwright-core. */
export async function launchChromium(): Promise<Browser> {
	const executablePath = ensureCommand('chromium', 'chromium');
	return await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000 });
}
