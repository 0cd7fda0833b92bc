import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

import { readJson, type CustomerApp, type CustomerInboxMessage, type CustomerMessageDetails } from '../customer-app';
import { repoRoot } from '../paths';
import type { RoutingScene } from '../routing';

/** What the page posts to /api/send: the customer's message in one chat of one scene (numbered from 1). */
interface PageMessage {
	scene: number;
	conversationId: string;
	text: string;
	button?: CustomerMessageDetails['button'];
}

/**
 * The demo's web chat page, served from the customer app's origin (next to the reply URL n8n posts
 * to): GET / is the page, GET /api/scenes the routing scenes, POST /api/send hands the customer's
 * message to the scene (which posts it to its workflow's customer webhook), and GET /api/events
 * streams what n8n delivers to one conversation as server-sent events, from its first message on.
 */
export function serveWebChat(customer: CustomerApp, scenes: RoutingScene[]): string {
	const page = readFileSync(path.join(repoRoot(), 'test', 'e2e', 'web-chat', 'page.html'));
	customer.serveFrontEnd((req, res) => {
		const url = new URL(req.url ?? '/', customer.origin);
		if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(page);
			return true;
		}
		if (req.method === 'GET' && url.pathname === '/api/scenes') {
			json(res, 200, scenes.map((scene, index) => ({ number: index + 1, title: scene.title })));
			return true;
		}
		if (req.method === 'POST' && url.pathname === '/api/send') {
			void send(req, res, customer, scenes);
			return true;
		}
		if (req.method === 'GET' && url.pathname === '/api/events') {
			stream(res, customer, url.searchParams.get('conversationId') ?? '');
			return true;
		}
		return false;
	});
	return `${customer.origin}/`;
}

async function send(req: IncomingMessage, res: ServerResponse, customer: CustomerApp, scenes: RoutingScene[]): Promise<void> {
	const body = (await readJson(req).catch(() => undefined)) as Partial<PageMessage> | undefined;
	const scene = typeof body?.scene === 'number' ? scenes[body.scene - 1] : undefined;
	if (!scene || typeof body?.conversationId !== 'string' || body.conversationId === '' || typeof body.text !== 'string' || body.text.trim() === '') {
		json(res, 400, { error: 'expected {scene: 1..' + scenes.length + ', conversationId, text, button?}' });
		return;
	}
	const { conversationId, text, button } = body;
	const details: CustomerMessageDetails = button && typeof button.title === 'string' ? { button: { title: button.title, value: button.value } } : {};
	try {
		await customer.withDetails(details, async () => await scene.customerSays(conversationId, text));
		json(res, 200, { sent: true });
	} catch (error) {
		json(res, 502, { error: (error as Error).message });
	}
}

function stream(res: ServerResponse, customer: CustomerApp, conversationId: string): void {
	res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
	const push = (message: CustomerInboxMessage) => {
		if (message.conversationId === conversationId) res.write(`data: ${JSON.stringify(message)}\n\n`);
	};
	customer.messagesIn(conversationId).forEach(push);
	customer.on('message', push);
	res.on('close', () => customer.off('message', push));
}

function json(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
