import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chatEventsToItems } from '../../shared/chat-event';
import { novaTalksRequest, sortById } from '../client';
import { messageToChatEvent, readConversation, ROUTES, type CreateConversationResponse } from '../protocol';
import { contactToken, jsonObject, newEchoId, requiredString, withItem, type Operation } from './context';

const EMAIL_MAX_LENGTH = 74;

interface CreateFields {
	email?: string;
	phoneNumber?: string;
	customAttributes?: unknown;
	additionalAttributes?: unknown;
	message?: string;
	echoId?: string;
}

/** Creates the contact and its conversation; the contact token comes out at the top level. */
const create: Operation = async function (itemIndex, { connection }) {
	const name = requiredString(this, 'name', 'Name', itemIndex);
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as CreateFields;
	const body: IDataObject = { name };
	const email = fields.email?.trim();
	if (email) {
		if (email.length > EMAIL_MAX_LENGTH || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
			throw new NodeOperationError(this.getNode(), `Email "${email}" is not a valid address of at most 74 characters`, {
				itemIndex,
			});
		}
		body.email = email;
	}
	if (fields.phoneNumber?.trim()) body.phone_number = fields.phoneNumber.trim();
	if (fields.customAttributes !== undefined) {
		body.custom_attributes = jsonObject(this, fields.customAttributes, 'Custom Attributes', itemIndex);
	}
	if (fields.additionalAttributes !== undefined) {
		body.additional_attributes = jsonObject(this, fields.additionalAttributes, 'Additional Attributes', itemIndex);
	}
	if (fields.message?.trim()) {
		body.message = { content: fields.message, echo_id: fields.echoId?.trim() || newEchoId() };
	}

	const response = await novaTalksRequest<CreateConversationResponse>(this, connection, {
		method: 'POST',
		path: ROUTES.conversations,
		body,
		itemIndex,
	});
	const payload = response?.payload;
	const token = payload?.contactInbox?.pubsubToken;
	if (!token || payload.conversation?.id === undefined) {
		throw new NodeOperationError(this.getNode(), 'NovaTalks answered without a contact token or conversation', {
			description: 'The response had no payload.contactInbox.pubsubToken or payload.conversation.id',
			itemIndex,
		});
	}
	return [
		withItem(
			{
				contactToken: token,
				conversationId: payload.conversation.id,
				accountId: payload.account_id ?? connection.accountId,
				conversationStatus: payload.conversation.status,
				contact: (payload.contact ?? {}) as IDataObject,
				conversation: payload.conversation as unknown as IDataObject,
			},
			itemIndex,
		),
	];
};

/** The conversation and its latest messages (as ChatEvents unless Raw Output is on). */
const get: Operation = async function (itemIndex, { connection }) {
	const token = contactToken(this, itemIndex);
	const limit = this.getNodeParameter('limit', itemIndex, 20) as number;
	const rawOutput = this.getNodeParameter('rawOutput', itemIndex, false) as boolean;
	const body = await novaTalksRequest<unknown>(this, connection, {
		method: 'GET',
		path: ROUTES.conversations,
		token,
		qs: { limit },
		itemIndex,
	});
	if (rawOutput) return [withItem((Array.isArray(body) ? { messages: body } : body) as IDataObject, itemIndex)];
	const { conversation, messages } = readConversation(body);
	const events = chatEventsToItems(sortById(messages).map((message) => messageToChatEvent(message)));
	return [
		withItem(
			{
				conversationId: conversation?.id ?? messages[0]?.conversation_id ?? null,
				status: conversation?.status ?? null,
				substatus: conversation?.substatus ?? null,
				conversation: (conversation ?? null) as IDataObject | null,
				messages: events.map((item) => item.json),
			},
			itemIndex,
		),
	];
};

export const conversationOperations: Record<string, Operation> = { create, get };
