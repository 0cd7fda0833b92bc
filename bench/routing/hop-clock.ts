// Hop timing for the routing benchmark: when each message left its sender and when it reached the
// other side, on this process's clock (the emulators, the customer app and the baseline's receiver all
// run here), keyed by the message's text, which is unique in a run.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

import { readJson } from '../../test/e2e/customer-app';
import { percentile } from '../support/stats';
import { Counter } from '../support/waiting';

export interface HopFigures {
	p50Ms: number;
	p99Ms: number;
	messagesPerSecond: number;
	messages: number;
}

export class HopClock {
	readonly arrivals = new Counter();
	private readonly sentAt = new Map<string, number>();
	private readonly latencies: number[] = [];
	private readonly waiters = new Map<string, () => void>();
	private readonly startedAt = performance.now();
	private lastArrivalAt = this.startedAt;
	/** Texts that arrived twice, or that were never sent in this round. */
	readonly unexpected: string[] = [];

	sent(text: string): void {
		this.sentAt.set(text, performance.now());
	}

	/** The other side got `text` now; texts of other rounds or runs are ignored. */
	received(text: string): void {
		const sentAt = this.sentAt.get(text);
		if (sentAt === undefined) return;
		if (Number.isNaN(sentAt)) {
			this.unexpected.push(text);
			return;
		}
		this.lastArrivalAt = performance.now();
		this.latencies.push(this.lastArrivalAt - sentAt);
		this.sentAt.set(text, Number.NaN);
		this.arrivals.add();
		this.waiters.get(text)?.();
		this.waiters.delete(text);
	}

	/** Resolves when `text` has arrived (bounded). */
	async arrived(text: string, timeoutMs: number): Promise<void> {
		if (Number.isNaN(this.sentAt.get(text))) return;
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`"${text}" did not arrive within ${timeoutMs} ms`)), timeoutMs);
			this.waiters.set(text, () => {
				clearTimeout(timer);
				resolve();
			});
		});
	}

	/** The round's figures, from its start to the last arrival. */
	figures(): HopFigures {
		const seconds = (this.lastArrivalAt - this.startedAt) / 1000;
		return {
			p50Ms: percentile(this.latencies, 50),
			p99Ms: percentile(this.latencies, 99),
			messagesPerSecond: this.latencies.length / seconds,
			messages: this.latencies.length,
		};
	}
}

/** The baseline's far side: a plain HTTP server taking the JSON the HTTP Request node posts. */
export class PlainReceiver {
	private constructor(
		private readonly server: Server,
		readonly url: string,
	) {}

	static async start(onMessage: (body: { conversationId?: string; text?: string }) => void): Promise<PlainReceiver> {
		const server = createServer((req, res) => {
			void readJson(req).then(
				(body) => {
					onMessage(body as { conversationId?: string; text?: string });
					res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
				},
				() => res.writeHead(400).end(),
			);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return new PlainReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/messages`);
	}

	async close(): Promise<void> {
		await new Promise<void>((resolve) => {
			this.server.closeAllConnections();
			this.server.close(() => resolve());
		});
	}
}
