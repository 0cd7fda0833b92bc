import { createHash } from 'node:crypto';

import { ExpertflowClient, type Confirmation, type Logger, type ReconnectPolicy, type RequestOptions, type SocketConfig } from '../client';
import { EVENTS, joinConfirmation, joinPayload, type ParticipantRef } from '../protocol';

/** A dropped connection is retried a few times, quickly. */
const RECONNECT: ReconnectPolicy = { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 2000, jitter: 0.5 };

/** How long an unused connection stays open for the next execution, unless the node says otherwise. */
export const DEFAULT_IDLE_MS = 60_000;

/** One pooled connection and what it has joined. */
class PoolEntry {
	readonly client: ExpertflowClient;
	readonly opening: Promise<ExpertflowClient>;
	/** Conversations joined on the current connection, per participant; cleared on every disconnect. */
	readonly joins = new Map<string, Promise<unknown>>();
	/** The client gave up (reconnects exhausted, session closed by the server) or never connected. */
	lost?: Error;
	users = 0;
	idleMs: number;
	idleTimer?: NodeJS.Timeout;

	constructor(
		readonly key: string,
		config: SocketConfig,
		request: PoolRequest,
	) {
		this.idleMs = request.idleMs;
		const client = new ExpertflowClient({
			config,
			secrets: request.secrets,
			connectTimeoutMs: request.timeoutMs,
			reconnect: RECONNECT,
			logger: request.logger,
			onDisconnect: () => this.joins.clear(),
			onFatal: (error) => this.lose(error),
		});
		this.client = client;
		this.opening = client.connect().then(
			() => client,
			(error: unknown) => {
				// A connection that never opened is not kept: the next execution tries again.
				this.lose(error instanceof Error ? error : new Error(String(error)));
				throw error;
			},
		);
		// Handled by whoever awaits it; this keeps a failure nobody awaits from being reported as unhandled.
		this.opening.catch(() => undefined);
	}

	lose(error: Error): void {
		this.lost = error;
		forget(this);
	}
}

export interface PoolRequest {
	timeoutMs: number;
	/** Keep the connection this long after the last execution using it; 0 closes it at once. */
	idleMs: number;
	logger: Logger;
	secrets: string[];
}

/**
 * Socket.IO connections of the action node kept between executions, one per credential (its socket settings,
 * secrets included, known here only by their SHA-256), with the conversations each has joined: a routing
 * flow that runs the node again for the same chat reuses the connection and joins once, where every join can
 * make the server greet anew. Per n8n process: another process (queue mode) opens its own.
 */
const pool = new Map<string, PoolEntry>();

/** Takes the connection for these settings, opening it if there is none; `release` hands it back. */
export function acquire(config: SocketConfig, request: PoolRequest): PooledConnection {
	const key = createHash('sha256').update(JSON.stringify(config)).digest('hex');
	let entry = pool.get(key);
	if (!entry || entry.lost) {
		entry = new PoolEntry(key, config, request);
		pool.set(key, entry);
	}
	clearTimeout(entry.idleTimer);
	entry.idleTimer = undefined;
	entry.users++;
	entry.idleMs = request.idleMs;
	return new PooledConnection(entry);
}

/** The pool's keys (hashes), for tests and logs. */
export function pooledConnectionKeys(): string[] {
	return [...pool.keys()];
}

/** Closes every pooled connection (n8n shutting down, or the end of a test). */
export async function closePooledConnections(): Promise<void> {
	const entries = [...pool.values()];
	pool.clear();
	await Promise.all(entries.map((entry) => shut(entry)));
}

function forget(entry: PoolEntry): void {
	clearTimeout(entry.idleTimer);
	if (pool.get(entry.key) === entry) pool.delete(entry.key);
}

async function shut(entry: PoolEntry): Promise<void> {
	forget(entry);
	await entry.client.close();
}

/** One execution's hold on a pooled connection. */
export class PooledConnection {
	private released = false;

	constructor(private readonly entry: PoolEntry) {}

	async request(event: string, payload: unknown, options: RequestOptions): Promise<Confirmation> {
		const client = await this.client();
		return await client.request(event, payload, options);
	}

	/** Joins as the participant (under this name) unless this connection already did (since its last reconnect). */
	async join(conversationId: string, participant: ParticipantRef, options: Omit<RequestOptions, 'label' | 'confirmedBy'>): Promise<void> {
		const key = `${conversationId}\n${participant.id}\n${participant.name ?? ''}`;
		const joins = this.entry.joins;
		let joining = joins.get(key);
		if (!joining) {
			joining = this.request(EVENTS.joinConversation, joinPayload(conversationId, participant), {
				...options,
				label: `joinConversation (conversation ${conversationId})`,
				confirmedBy: joinConfirmation(conversationId),
			});
			joins.set(key, joining);
			joining.catch(() => {
				if (joins.get(key) === joining) joins.delete(key);
			});
		}
		await joining;
	}

	/** The conversation ended: a later execution must not count it as joined. */
	ended(conversationId: string): void {
		for (const key of [...this.entry.joins.keys()]) if (key.startsWith(`${conversationId}\n`)) this.entry.joins.delete(key);
	}

	/** Hands the connection back; the last user starts its idle timer (or closes it when that is 0). */
	async release(): Promise<void> {
		if (this.released) return;
		this.released = true;
		const entry = this.entry;
		entry.users--;
		// Still in use, or already gone (lost, or closed with the whole pool).
		if (entry.users > 0 || pool.get(entry.key) !== entry) return;
		if (entry.idleMs <= 0) {
			await shut(entry);
			return;
		}
		entry.idleTimer = setTimeout(() => void shut(entry), entry.idleMs);
		entry.idleTimer.unref();
	}

	private async client(): Promise<ExpertflowClient> {
		if (this.entry.lost) throw this.entry.lost;
		const client = await this.entry.opening;
		if (this.entry.lost) throw this.entry.lost;
		return client;
	}
}

