import FormData from 'form-data';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chatEventsToItems } from '../../shared/chat-event';
import { replyAddressOf, requiredInAddress } from '../../shared/reply-address';
import { fetchAllMessages, fetchMessages, fetchUncursored, novaTalksRequest, type MessageQuery } from '../client';
import {
	buildReplyContent,
	MESSAGE_PAGE_SIZE,
	MESSAGE_STATUSES,
	messageToChatEvent,
	ROUTES,
	type MessageStatus,
	type NovaTalksMessage,
} from '../protocol';
import { contactToken, newEchoId, requiredId, requiredString, toId, withItem, type Operation } from './context';

interface SendOptions {
	binaryProperties?: string;
	echoId?: string;
	outputCreatedMessage?: boolean;
	replyToMessageId?: string;
	replyToDialogId?: string;
	replyToContent?: string;
}

interface OutgoingFile {
	field: string;
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/** The files of the named binary fields of one item. */
async function readFiles(ctx: IExecuteFunctions, itemIndex: number, fields: string | undefined): Promise<OutgoingFile[]> {
	const names = (fields ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	const files: OutgoingFile[] = [];
	for (const field of names) {
		const binary = ctx.helpers.assertBinaryData(itemIndex, field);
		const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, field);
		files.push({
			field,
			data,
			fileName: binary.fileName ?? `${field}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`,
			mimeType: binary.mimeType || 'application/octet-stream',
		});
	}
	return files;
}

function messageForm(content: string, echoId: string, files: OutgoingFile[]): () => FormData {
	return () => {
		const form = new FormData();
		if (content !== '') form.append('message[content]', content);
		form.append('message[echo_id]', echoId);
		for (const file of files) {
			form.append('attachments[]', file.data, { filename: file.fileName, contentType: file.mimeType });
		}
		return form;
	};
}

/** Text, files (multipart `attachments[]`) or both, optionally as a reply; `echo_id` generated when empty. */
const send: Operation = async function (itemIndex, { connection }) {
	const address = replyAddressOf(this, itemIndex, 'novatalks');
	const token = address ? requiredInAddress(this, address, 'contactToken', itemIndex) : contactToken(this, itemIndex);
	const text = String(this.getNodeParameter('text', itemIndex, '') ?? '');
	const options = this.getNodeParameter('sendOptions', itemIndex, {}) as SendOptions;
	const echoId = options.echoId?.trim() || newEchoId();
	const files = await readFiles(this, itemIndex, options.binaryProperties);
	if (text.trim() === '' && files.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Nothing to send: Text is empty and no file is attached', {
			description: `Set "Text" or "Attachments (Input Binary Fields)" for item ${itemIndex}`,
			itemIndex,
		});
	}
	const replyTo = options.replyToMessageId?.trim();
	const content = replyTo
		? buildReplyContent(
				{
					dialogId: options.replyToDialogId?.trim() ?? '',
					messageId: toId(this, replyTo, 'Reply To Message ID', itemIndex),
					content: options.replyToContent ?? '',
				},
				text,
			)
		: text;

	await novaTalksRequest(this, connection, {
		method: 'POST',
		path: ROUTES.messages,
		token,
		...(files.length > 0
			? { multipart: messageForm(content, echoId, files) }
			: { body: { message: { content, echo_id: echoId } } }),
		itemIndex,
	});

	const sent = {
		sent: true,
		echoId,
		content,
		attachments: files.map((file) => ({ fileName: file.fileName, mimeType: file.mimeType, size: file.data.length })),
	};
	if (!options.outputCreatedMessage) return [withItem(sent, itemIndex)];
	// The message is sent: from here on nothing may fail the item, or a retry would send it twice.
	const isCreated = (message: NovaTalksMessage) => message.echo_id === echoId;
	let note: string;
	try {
		const newest = await fetchUncursored((query) => fetchMessages(this, connection, token, query, { itemIndex }), { until: isCreated });
		const created = newest.find(isCreated);
		if (created) return chatEventsToItems([messageToChatEvent(created)], { itemIndex });
		note = `No message with echo ID ${echoId} is among the conversation's newest messages yet`;
	} catch (error) {
		note = `Reading the created message back failed: ${error instanceof Error ? error.message : String(error)}`;
	}
	return [withItem({ ...sent, createdMessage: null, note: `The message was sent. ${note}; do not send it again.` }, itemIndex)];
};

interface MessageFilters {
	before?: number;
	after?: number;
	updatedAt?: string | number;
}

function epochMs(ctx: IExecuteFunctions, value: string | number, itemIndex: number): number {
	const text = String(value).trim();
	const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
	if (!Number.isFinite(ms)) {
		throw new NodeOperationError(ctx.getNode(), `Updated After "${text}" is not a date or epoch milliseconds`, {
			itemIndex,
		});
	}
	return ms;
}

/** Messages before/after an ID or updated since a time; Return All pages until the server has no more. */
const getMany: Operation = async function (itemIndex, { connection }) {
	const token = contactToken(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as MessageFilters;
	const rawOutput = this.getNodeParameter('rawOutput', itemIndex, false) as boolean;
	const query: MessageQuery = {};
	if (filters.before) query.before = toId(this, filters.before, 'Before Message ID', itemIndex);
	if (filters.after) query.after = toId(this, filters.after, 'After Message ID', itemIndex);
	if (filters.updatedAt !== undefined && filters.updatedAt !== '') {
		query.updatedAt = epochMs(this, filters.updatedAt, itemIndex);
	}
	if (query.before !== undefined && query.after !== undefined) {
		throw new NodeOperationError(this.getNode(), 'Use either Before Message ID or After Message ID, not both', {
			itemIndex,
		});
	}
	const pageSize = Math.min(limit, MESSAGE_PAGE_SIZE);
	const forward = query.after !== undefined || query.updatedAt !== undefined;
	const fetchPage = (page: MessageQuery) => fetchMessages(this, connection, token, { limit: pageSize, ...page }, { itemIndex });
	// Without a cursor the server may list from either end: read to the newest, then back as far as needed
	// (an update-time filter keeps the oldest matches, so it reads back to the first of them).
	const all =
		query.before === undefined && query.after === undefined
			? await fetchUncursored(fetchPage, {
					updatedAt: query.updatedAt,
					// One more than wanted: a page that comes back short is then the whole list, read in one request.
					firstPageSize: Math.min(limit + 1, MESSAGE_PAGE_SIZE),
					olderUntil: query.updatedAt !== undefined ? Infinity : limit,
				})
			: await fetchAllMessages(fetchPage, query, { maxMessages: limit });
	// Forward paging keeps the oldest matches, backward paging the newest, as one request would.
	const messages: NovaTalksMessage[] = Number.isFinite(limit)
		? forward
			? all.slice(0, limit)
			: all.slice(-limit)
		: all;
	return chatEventsToItems(
		messages.map((message) => messageToChatEvent(message)),
		{ rawOutput, itemIndex },
	);
};

function messageIdList(ctx: IExecuteFunctions, itemIndex: number): number[] {
	const value = ctx.getNodeParameter('messageIds', itemIndex, '') as unknown;
	const parts = Array.isArray(value) ? value : String(value ?? '').split(/[\s,;]+/);
	const ids = parts.filter((part) => String(part).trim() !== '').map((part) => toId(ctx, part, 'Message IDs', itemIndex));
	if (ids.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Message IDs is empty', {
			description: `Set "Message IDs" for item ${itemIndex}`,
			itemIndex,
		});
	}
	return ids;
}

const updateStatus: Operation = async function (itemIndex, { connection }) {
	const token = contactToken(this, itemIndex);
	const messageIds = messageIdList(this, itemIndex);
	const status = this.getNodeParameter('status', itemIndex) as MessageStatus;
	if (!MESSAGE_STATUSES.includes(status)) {
		throw new NodeOperationError(this.getNode(), `Status "${status}" is not one of ${MESSAGE_STATUSES.join(', ')}`, {
			itemIndex,
		});
	}
	await novaTalksRequest(this, connection, {
		method: 'PATCH',
		path: ROUTES.messageStatus,
		token,
		body: { status, messageIds },
		itemIndex,
	});
	return [withItem({ updated: true, status, messageIds }, itemIndex)];
};

const setInteractiveValue: Operation = async function (itemIndex, { connection }) {
	const token = contactToken(this, itemIndex);
	const messageId = requiredId(this, 'messageId', 'Message ID', itemIndex);
	const value = requiredString(this, 'value', 'Value', itemIndex);
	await novaTalksRequest(this, connection, {
		method: 'PATCH',
		path: ROUTES.interactiveAttribute(messageId),
		token,
		body: { selected_content_attribute_value: value },
		itemIndex,
	});
	return [withItem({ updated: true, messageId, value }, itemIndex)];
};

const deleteMessage: Operation = async function (itemIndex, { connection }) {
	const token = contactToken(this, itemIndex);
	const messageId = requiredId(this, 'messageId', 'Message ID', itemIndex);
	await novaTalksRequest(this, connection, { method: 'DELETE', path: ROUTES.message(messageId), token, itemIndex });
	return [withItem({ deleted: true, messageId }, itemIndex)];
};

const react: Operation = async function (itemIndex, { connection }) {
	const token = contactToken(this, itemIndex);
	const messageId = requiredId(this, 'messageId', 'Message ID', itemIndex);
	const action = this.getNodeParameter('reactionAction', itemIndex, 'set') as 'set' | 'remove';
	const reaction = action === 'remove' ? null : requiredString(this, 'reaction', 'Emoji', itemIndex);
	const body: IDataObject = { reaction };
	await novaTalksRequest(this, connection, { method: 'POST', path: ROUTES.reactions(messageId), token, body, itemIndex });
	return [withItem({ messageId, reaction }, itemIndex)];
};

export const messageOperations: Record<string, Operation> = {
	send,
	getMany,
	updateStatus,
	setInteractiveValue,
	delete: deleteMessage,
	react,
};
