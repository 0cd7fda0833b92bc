import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the proxy passed on: which upstream served it and how it was answered. */
export interface ProxiedCall {
	method: string;
	path: string;
	/** Index into the upstream list. */
	upstream: number;
	status: number;
}

/**
 * The load balancer in front of n8n's webhook processors: each request goes to the next upstream in
 * turn (round robin), body and headers passed through, the answer streamed back. Every call is
 * recorded, so a test can tell on which processor a delivery landed.
 */
export class RoundRobinProxy {
	readonly calls: ProxiedCall[] = [];
	private next = 0;

	private constructor(
		private readonly server: Server,
		readonly url: string,
		readonly upstreams: string[],
	) {}

	static async start(upstreams: string[]): Promise<RoundRobinProxy> {
		if (upstreams.length === 0) throw new Error('The proxy needs at least one upstream');
		const server = createServer();
		server.keepAliveTimeout = 5_000;
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		const proxy = new RoundRobinProxy(server, `http://127.0.0.1:${port}`, upstreams);
		server.on('request', (req, res) => proxy.forward(req, res));
		return proxy;
	}

	private forward(req: IncomingMessage, res: ServerResponse): void {
		const upstream = this.next;
		this.next = (this.next + 1) % this.upstreams.length;
		const target = new URL(req.url ?? '/', this.upstreams[upstream]);
		const outgoing = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
			const status = answer.statusCode ?? 502;
			this.calls.push({ method: req.method ?? 'GET', path: req.url ?? '/', upstream, status });
			res.writeHead(status, answer.headers);
			answer.pipe(res);
		});
		outgoing.on('error', (error) => {
			this.calls.push({ method: req.method ?? 'GET', path: req.url ?? '/', upstream, status: 502 });
			if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: `Upstream ${upstream} failed: ${error.message}` }));
		});
		req.pipe(outgoing);
	}

	/** The calls whose path contains `fragment`. */
	callsTo(fragment: string): ProxiedCall[] {
		return this.calls.filter((call) => call.path.includes(fragment));
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.server.closeAllConnections();
			this.server.close(() => resolve());
		});
	}
}
