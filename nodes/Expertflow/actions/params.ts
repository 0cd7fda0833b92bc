import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { replyAddressOf, requiredInAddress } from '../../shared/reply-address';
import { DEFAULT_IDLE_MS } from './connection-pool';
import { initParticipantName, participantNameFor } from '../participant-names';
import { participantIdOf, type InitResponse, type ParticipantRef } from '../protocol';
import type { EmitOptions } from './session';

/** Parameter readers the operations share. */

/** A text parameter, trimmed; '' when empty or when its expression resolved to nothing. */
export function optionalText(ctx: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	return value === undefined || value === null ? '' : String(value).trim();
}

export function requiredText(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = optionalText(ctx, name, itemIndex);
	if (value === '') {
		throw new NodeOperationError(ctx.getNode(), `${label} is empty (item ${itemIndex})`, { itemIndex });
	}
	return value;
}

export function conversationIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	return replyAddressOf(ctx, itemIndex, 'expertflow')?.conversationId ?? requiredText(ctx, 'conversationId', 'Conversation ID', itemIndex);
}

/**
 * The participant to act as, always with a name (the Participant Name, else the name Chat > Initiate's
 * answer gave it, else a fallback); undefined when it is optional and not given. `server` tells apart
 * the same participant id on two deployments. A ChatEvent's reply address gives both id and name.
 */
export function participantOf(ctx: IExecuteFunctions, itemIndex: number, required: boolean, server: string): ParticipantRef | undefined {
	const address = replyAddressOf(ctx, itemIndex, 'expertflow');
	if (address) {
		const id = requiredInAddress(ctx, address, 'participantId', itemIndex);
		return { id, name: participantNameFor(server, id, address.participantName) };
	}
	const id = optionalText(ctx, 'participantId', itemIndex);
	if (id === '') {
		if (!required) return undefined;
		throw new NodeOperationError(ctx.getNode(), `Participant ID is empty (item ${itemIndex})`, {
			itemIndex,
			description: 'Use the participant ID that Chat > Initiate returned for this conversation',
		});
	}
	const given = optionalText(ctx, 'participantName', itemIndex);
	return { id, name: participantNameFor(server, id, given, initAnswerName(ctx, itemIndex, id)) };
}

/** The participant's name from the input item when it is Chat > Initiate's answer for this participant. */
function initAnswerName(ctx: IExecuteFunctions, itemIndex: number, participantId: string): string | undefined {
	const json = ctx.getInputData()[itemIndex]?.json as (InitResponse & { participantId?: unknown }) | undefined;
	if (!json) return undefined;
	const answered = json.participantId === participantId || participantIdOf(json.participant) === participantId;
	return answered ? initParticipantName(json) : undefined;
}

export function emitOptionsOf(ctx: IExecuteFunctions, itemIndex: number): EmitOptions {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as { waitForConfirmation?: boolean; keepConnectionOpen?: number };
	const keepSeconds = Number(options.keepConnectionOpen ?? DEFAULT_IDLE_MS / 1000);
	return {
		timeoutMs: timeoutOf(ctx, itemIndex),
		confirm: options.waitForConfirmation !== false,
		idleMs: Number.isFinite(keepSeconds) && keepSeconds > 0 ? keepSeconds * 1000 : 0,
	};
}

/** Options > Timeout (Ms), for Socket.IO events and REST calls alike. */
export function timeoutOf(ctx: IExecuteFunctions, itemIndex: number): number {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as { timeout?: number };
	return options.timeout ?? 10_000;
}

export function recipientsOf(fields: IDataObject): ParticipantRef[] {
	const entries = ((fields.recipients as IDataObject | undefined)?.recipient ?? []) as Array<{ id?: string; name?: string }>;
	return entries
		.filter((entry) => typeof entry.id === 'string' && entry.id.trim() !== '')
		.map((entry) => (entry.name ? { id: entry.id!.trim(), name: entry.name } : { id: entry.id!.trim() }));
}

/** A JSON parameter that may arrive parsed (from an expression) or as text. */
export function jsonParameter(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value);
	} catch {
		throw new NodeOperationError(ctx.getNode(), `${label} is not valid JSON (item ${itemIndex})`, { itemIndex });
	}
}
