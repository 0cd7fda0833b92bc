import { randomUUID } from 'node:crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { apiRequest } from '../../shared/http';
import { endConfirmation, EVENTS, participantIdOf, ROUTES, type InitResponse } from '../protocol';
import { initParticipantName, rememberParticipantName } from '../participant-names';
import { conversationIdOf, emitOptionsOf, optionalText, participantOf, timeoutOf } from './params';
import type { ActionSession } from './session';

const INIT_FIELDS = ['lastName', 'email', 'language', 'refId', 'url', 'comment', 'subject'] as const;

/** POST /api/customer/init: a chat request for a customer; returns conversationId, participant and requestId. */
export async function initiateChat(ctx: IExecuteFunctions, session: ActionSession, itemIndex: number): Promise<INodeExecutionData> {
	const body = initBody(ctx, itemIndex);
	const { settings } = session;
	const response = await apiRequest<InitResponse>(ctx, {
		method: 'POST',
		url: `${settings.restBaseUrl}${ROUTES.init}`,
		credentialType: 'expertflowApi',
		body,
		secrets: settings.secrets,
		itemIndex,
		timeoutMs: timeoutOf(ctx, itemIndex),
		skipSslCertificateValidation: settings.skipSslCertificateValidation,
	});
	if (typeof response !== 'object' || response === null || !response.conversationId) {
		throw new NodeApiError(ctx.getNode(), { message: 'No conversationId in the answer' }, {
			message: 'The server accepted the chat request but sent no conversationId',
			description: `POST ${ROUTES.init} answered: ${JSON.stringify(response ?? null).slice(0, 300)}`,
			itemIndex,
		});
	}
	// participantId: the participant's id whether the server sends an object or a plain id.
	const participantId = participantIdOf(response.participant);
	if (participantId) {
		const requested = [body.firstName, body.lastName].filter((part) => typeof part === 'string').join(' ');
		rememberParticipantName(settings.restBaseUrl, participantId, initParticipantName(response) ?? requested);
	}
	return {
		json: {
			...response,
			requestId: response.requestId ?? body.requestId,
			...(participantId ? { participantId } : {}),
		} as IDataObject,
	};
}

function initBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const channelChoice = ctx.getNodeParameter('channel', itemIndex) as string;
	const channel =
		channelChoice === 'custom' ? optionalText(ctx, 'customChannel', itemIndex) : channelChoice;
	if (!channel) {
		throw new NodeOperationError(ctx.getNode(), `Custom Channel is empty (item ${itemIndex})`, { itemIndex });
	}
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = { channel };
	const firstName = optionalText(ctx, 'firstName', itemIndex);
	const phone = optionalText(ctx, 'phone', itemIndex);
	if (firstName) body.firstName = firstName;
	if (phone) body.phone = phone;
	for (const name of INIT_FIELDS) {
		const value = typeof fields[name] === 'string' ? (fields[name] as string).trim() : '';
		if (value) body[name] = value;
	}
	if (!body.refId && phone) body.refId = phone;
	if (!body.refId && !body.email) {
		throw new NodeOperationError(ctx.getNode(), `The chat request needs an identifier (item ${itemIndex})`, {
			itemIndex,
			description: 'Fill in Phone, or Reference ID or Email under Additional Fields',
		});
	}
	const custom = ((fields.customFields as IDataObject | undefined)?.field ?? []) as Array<{ name?: string; value?: string }>;
	for (const { name, value } of custom) {
		if (name && name.trim()) body[name.trim()] = value ?? '';
	}
	body.requestId = String(fields.requestId ?? '').trim() || randomUUID();
	body.timestamp = isoTimestamp(ctx, fields.timestamp, itemIndex);
	return body;
}

function isoTimestamp(ctx: IExecuteFunctions, value: unknown, itemIndex: number): string {
	if (value === undefined || value === null || value === '') return new Date().toISOString();
	const parsed = Date.parse(String(value));
	if (Number.isNaN(parsed)) {
		throw new NodeOperationError(ctx.getNode(), `Timestamp "${String(value)}" is not a date (item ${itemIndex})`, { itemIndex });
	}
	return new Date(parsed).toISOString();
}

/** endConversation, after joining as the participant when one is given. */
export async function endChat(ctx: IExecuteFunctions, session: ActionSession, itemIndex: number): Promise<INodeExecutionData> {
	const conversationId = conversationIdOf(ctx, itemIndex);
	const participant = participantOf(ctx, itemIndex, false, session.settings.restBaseUrl);
	const options = emitOptionsOf(ctx, itemIndex);
	if (participant) await session.join(conversationId, participant, options);
	const confirmation = await session.emit(EVENTS.endConversation, { conversationId }, {
		...options,
		label: `endConversation (conversation ${conversationId})`,
		confirmedBy: endConfirmation(conversationId),
	});
	session.ended(conversationId);
	return { json: { conversationId, ended: true, confirmedBy: confirmation.via } };
}
