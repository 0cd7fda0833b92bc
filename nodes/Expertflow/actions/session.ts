import type { IExecuteFunctions } from 'n8n-workflow';

import { ExpertflowClient, type Confirmation, type ReconnectPolicy, type RequestOptions } from '../client';
import { EVENTS, joinConfirmation, joinPayload, type ParticipantRef } from '../protocol';
import { readSettings, type ExpertflowCredentialData, type ExpertflowSettings } from '../settings';

/** A dropped connection during an execution is retried a few times, quickly. */
const ACTION_RECONNECT: ReconnectPolicy = { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 2000, jitter: 0.5 };

export interface EmitOptions {
	timeoutMs: number;
	confirm: boolean;
}

/**
 * What one execution shares across its items: the checked settings and one Socket.IO connection,
 * opened on first use. Conversations are joined once per participant, and again after a reconnect.
 */
export class ActionSession {
	private checked?: ExpertflowSettings;
	private client?: ExpertflowClient;
	private opening?: Promise<ExpertflowClient>;
	private lost?: Error;
	private readonly joins = new Map<string, Promise<unknown>>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly credentials: ExpertflowCredentialData,
	) {}

	get settings(): ExpertflowSettings {
		this.checked ??= readSettings(this.credentials);
		return this.checked;
	}

	async emit(event: string, payload: unknown, options: EmitOptions & Omit<RequestOptions, 'timeoutMs' | 'confirm'>): Promise<Confirmation> {
		const client = await this.connection(options.timeoutMs);
		if (this.lost) throw this.lost;
		return await client.request(event, payload, options);
	}

	/** Joins as the participant unless this connection already did. */
	async join(conversationId: string, participant: ParticipantRef, options: EmitOptions): Promise<void> {
		const key = `${conversationId}\n${participant.id}`;
		let joining = this.joins.get(key);
		if (!joining) {
			joining = this.emit(EVENTS.joinConversation, joinPayload(conversationId, participant), {
				...options,
				label: `joinConversation (conversation ${conversationId})`,
				confirmedBy: joinConfirmation(conversationId),
			});
			this.joins.set(key, joining);
			joining.catch(() => this.joins.delete(key));
		}
		await joining;
	}

	async close(): Promise<void> {
		await this.client?.close();
	}

	private connection(timeoutMs: number): Promise<ExpertflowClient> {
		if (this.lost) return Promise.reject(this.lost);
		this.opening ??= this.open(timeoutMs);
		return this.opening;
	}

	private async open(timeoutMs: number): Promise<ExpertflowClient> {
		const settings = this.settings;
		const client = new ExpertflowClient({
			config: settings.socket,
			secrets: settings.secrets,
			connectTimeoutMs: timeoutMs,
			reconnect: ACTION_RECONNECT,
			logger: this.ctx.logger,
			onDisconnect: () => this.joins.clear(),
			onFatal: (error) => {
				this.lost = error;
			},
		});
		this.client = client;
		await client.connect();
		return client;
	}
}
