import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { activityMessage, chatMessage, echoOf, EVENTS, isRecord, type MessagePayload } from '../protocol';
import { attachmentsOf } from './attachments';
import { conversationIdOf, emitOptionsOf, jsonParameter, participantOf, recipientsOf, requiredText } from './params';
import type { ActionSession } from './session';

/** Joins as the participant and emits a ChatMessage (text, attachments, recipients, whisper). */
export async function sendMessage(ctx: IExecuteFunctions, session: ActionSession, itemIndex: number): Promise<INodeExecutionData> {
	const conversationId = conversationIdOf(ctx, itemIndex);
	const from = participantOf(ctx, itemIndex, true, session.settings.restBaseUrl)!;
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const text = (ctx.getNodeParameter('text', itemIndex, '') as string | undefined | null) ?? '';
	const attachments = await attachmentsOf(ctx, fields, itemIndex);
	if (text.trim() === '' && attachments.length === 0) {
		throw new NodeOperationError(ctx.getNode(), `Text is empty and there are no attachments (item ${itemIndex})`, { itemIndex });
	}
	const message = chatMessage({
		conversationId,
		from,
		to: recipientsOf(fields),
		text,
		attachments,
		whisper: fields.whisper === true,
		refId: typeof fields.refId === 'string' ? fields.refId.trim() : undefined,
	});
	return await emitMessage(ctx, session, message, itemIndex);
}

/** Joins as the participant and emits an ActivityMessage such as typing. */
export async function sendActivity(ctx: IExecuteFunctions, session: ActionSession, itemIndex: number): Promise<INodeExecutionData> {
	const conversationId = conversationIdOf(ctx, itemIndex);
	const from = participantOf(ctx, itemIndex, true, session.settings.restBaseUrl)!;
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const choice = ctx.getNodeParameter('activityType', itemIndex) as string;
	const activityType = choice === 'custom' ? requiredText(ctx, 'customActivityType', 'Custom Activity Type', itemIndex) : choice;
	const info = jsonParameter(ctx, fields.info, 'Info (JSON)', itemIndex);
	if (info !== undefined && (typeof info !== 'object' || info === null || Array.isArray(info))) {
		throw new NodeOperationError(ctx.getNode(), `Info (JSON) must be a JSON object (item ${itemIndex})`, { itemIndex });
	}
	const message = activityMessage({
		conversationId,
		from,
		to: recipientsOf(fields),
		activityType,
		info: info as Record<string, unknown> | undefined,
	});
	return await emitMessage(ctx, session, message, itemIndex);
}

async function emitMessage(
	ctx: IExecuteFunctions,
	session: ActionSession,
	message: MessagePayload,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const options = emitOptionsOf(ctx, itemIndex);
	const conversationId = message.conversationId as string;
	await session.join(conversationId, { id: message.from!.id!, name: message.from!.name }, options);
	const confirmation = await session.emit(EVENTS.sendMessage, message, {
		...options,
		label: `sendMessage (${message.type}, conversation ${conversationId})`,
		confirmedBy: echoOf(message.id),
	});
	const reply = isRecord(confirmation.reply) ? confirmation.reply : {};
	return {
		json: {
			conversationId,
			messageId: typeof reply.id === 'string' ? reply.id : message.id,
			type: message.type,
			confirmedBy: confirmation.via,
			message: message as IDataObject,
		},
	};
}
