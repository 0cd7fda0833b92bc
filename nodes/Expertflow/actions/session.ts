import type { IExecuteFunctions } from 'n8n-workflow';

import type { Confirmation, RequestOptions } from '../client';
import type { ParticipantRef } from '../protocol';
import { readSettings, type ExpertflowCredentialData, type ExpertflowSettings } from '../settings';
import { acquire, type PooledConnection } from './connection-pool';

export interface EmitOptions {
	timeoutMs: number;
	confirm: boolean;
	/** How long the connection stays open for later executions once this one is done (0: closed at once). */
	idleMs: number;
}

/**
 * What one execution shares across its items: the checked settings and one Socket.IO connection, taken
 * from the pool on first use (kept from an earlier execution of the same credential, or opened) and
 * handed back at the end. Conversations are joined once per connection and participant, and again after
 * a reconnect.
 */
export class ActionSession {
	private checked?: ExpertflowSettings;
	private connection?: PooledConnection;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly credentials: ExpertflowCredentialData,
	) {}

	get settings(): ExpertflowSettings {
		this.checked ??= readSettings(this.credentials);
		return this.checked;
	}

	async emit(event: string, payload: unknown, options: EmitOptions & Omit<RequestOptions, 'timeoutMs' | 'confirm'>): Promise<Confirmation> {
		return await this.connect(options).request(event, payload, options);
	}

	/** Joins as the participant unless the connection already did. */
	async join(conversationId: string, participant: ParticipantRef, options: EmitOptions): Promise<void> {
		await this.connect(options).join(conversationId, participant, options);
	}

	/** The conversation has ended: no later execution may take it as joined. */
	ended(conversationId: string): void {
		this.connection?.ended(conversationId);
	}

	async close(): Promise<void> {
		await this.connection?.release();
	}

	private connect(options: EmitOptions): PooledConnection {
		const settings = this.settings;
		this.connection ??= acquire(settings.socket, {
			timeoutMs: options.timeoutMs,
			idleMs: options.idleMs,
			logger: this.ctx.logger,
			secrets: settings.secrets,
		});
		return this.connection;
	}
}
