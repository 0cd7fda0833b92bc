import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** A real `ws` server on 127.0.0.1 with a random port, recording what clients send. */
export class TestWsServer {
	readonly received: unknown[] = [];
	readonly connections: Array<{ socket: WebSocket; request: IncomingMessage }> = [];
	private onFrame?: (socket: WebSocket, message: unknown) => void;

	private constructor(readonly server: WebSocketServer) {
		server.on('connection', (socket, request) => {
			this.connections.push({ socket, request });
			socket.on('message', (data) => {
				let message: unknown;
				try {
					message = JSON.parse(data.toString());
				} catch {
					message = data.toString();
				}
				this.received.push(message);
				this.onFrame?.(socket, message);
			});
		});
	}

	static async start(options: { verifyClient?: (request: IncomingMessage) => boolean | number } = {}): Promise<TestWsServer> {
		const server = new WebSocketServer({
			host: '127.0.0.1',
			port: 0,
			verifyClient: options.verifyClient
				? (info, done) => {
						const verdict = options.verifyClient!(info.req);
						if (verdict === true) done(true);
						else done(false, typeof verdict === 'number' ? verdict : 401);
					}
				: undefined,
		});
		await new Promise<void>((resolve) => server.once('listening', () => resolve()));
		return new TestWsServer(server);
	}

	get url(): string {
		return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	/** Answers frames as they come. */
	handle(onFrame: (socket: WebSocket, message: unknown) => void): void {
		this.onFrame = onFrame;
	}

	get openClients(): WebSocket[] {
		return [...this.server.clients].filter((client) => client.readyState === WebSocket.OPEN);
	}

	broadcast(message: unknown): void {
		const text = typeof message === 'string' ? message : JSON.stringify(message);
		for (const client of this.openClients) client.send(text);
	}

	/** Drops every client abruptly (no close frame), as a network cut or a gateway would. */
	dropAll(): void {
		for (const client of this.server.clients) client.terminate();
	}

	async close(): Promise<void> {
		this.dropAll();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}
