// A pass-through in front of n8n's public API for the Chat Bridge's store credential: it forwards every
// Data Table call unchanged and times it, so the benchmark can say how many calls a relay makes and
// what they cost. It adds one local hop per call (well under a millisecond here).
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface StoreCall {
	method: string;
	/** The route without its query, ids replaced by `:id`. */
	route: string;
	ms: number;
}

export class StoreProxy {
	readonly calls: StoreCall[] = [];

	private constructor(
		private readonly server: Server,
		readonly url: string,
	) {}

	static async start(target: string): Promise<StoreProxy> {
		const upstream = new URL(target);
		const agent = new Agent({ keepAlive: true });
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const proxy = new StoreProxy(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
		server.on('request', (req, res) => {
			const started = performance.now();
			const forward = request(
				{ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host }, agent },
				(answer) => {
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					answer.pipe(res);
					answer.on('end', () => proxy.calls.push({ method: req.method ?? '?', route: routeOf(req.url ?? ''), ms: performance.now() - started }));
				},
			);
			forward.on('error', () => res.writeHead(502).end());
			req.pipe(forward);
		});
		return proxy;
	}

	/** Calls made since `from` (an index into `calls`), counted by method and route. */
	summary(from: number): { count: number; totalMs: number; byRoute: Record<string, number> } {
		const calls = this.calls.slice(from);
		const byRoute: Record<string, number> = {};
		for (const call of calls) byRoute[`${call.method} ${call.route}`] = (byRoute[`${call.method} ${call.route}`] ?? 0) + 1;
		return { count: calls.length, totalMs: calls.reduce((sum, call) => sum + call.ms, 0), byRoute };
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.server.closeAllConnections();
			this.server.close(() => resolve());
		});
	}
}

function routeOf(url: string): string {
	return url.split('?')[0].replace(/\/[0-9a-zA-Z]{16,}(?=\/|$)/g, '/:id').replace(/\/\d+(?=\/|$)/g, '/:id');
}
