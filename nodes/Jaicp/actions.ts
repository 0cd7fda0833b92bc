import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chatEventsToItems } from '../shared/chat-event';
import { asNodeError } from '../shared/errors';
import { replyAddressOf } from '../shared/reply-address';
import { answers } from './answers';
import { jaicpRequest, type JaicpCredentials } from './client';
import { DEFAULT_MAX_HISTORY_ENTRIES, readHistory } from './history';
import { epochMs, jsonObject, queryOrEvent, requiredString } from './input';
import {
	envelopesToEvents,
	eventEnvelopes,
	historyEntryToEvents,
	MAX_EVENTS_PER_POLL,
	MESSAGE_STATUSES,
	responseToEvents,
	routes,
	type JaicpResponse,
	type SplitMode,
} from './protocol';

type Operation = (ctx: IExecuteFunctions, credentials: JaicpCredentials, itemIndex: number) => Promise<INodeExecutionData[]>;

interface ReplyOptions {
	split?: SplitMode;
	rawOutput?: boolean;
}

const item = (json: IDataObject, itemIndex: number): INodeExecutionData => ({ json, pairedItem: { item: itemIndex } });

const asObject = (value: unknown): IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as IDataObject) : {};

/** The client: from the fields, or from a JAICP ChatEvent's reply address (Message operations). */
function clientId(ctx: IExecuteFunctions, itemIndex: number): string {
	return replyAddressOf(ctx, itemIndex, 'jaicp')?.conversationId ?? requiredString(ctx, 'clientId', 'Client ID', itemIndex);
}

function replyItems(response: JaicpResponse, options: ReplyOptions, itemIndex: number): INodeExecutionData[] {
	if (options.rawOutput) return [item(response as IDataObject, itemIndex)];
	const events = responseToEvents(response, { split: options.split ?? 'reply', role: 'bot' });
	return chatEventsToItems(events, { itemIndex });
}

function sendBody(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const body: IDataObject = { clientId: clientId(ctx, itemIndex), ...queryOrEvent(ctx, itemIndex) };
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as { cid?: string; data?: unknown };
	if (fields.cid) body.cid = fields.cid;
	if (fields.data !== undefined) {
		const data = jsonObject(ctx, fields.data, 'Data (JSON)', itemIndex);
		if (Object.keys(data).length > 0) body.data = data;
	}
	return body;
}

const send: Operation = async (ctx, credentials, itemIndex) => {
	const response = await jaicpRequest<JaicpResponse>(ctx, credentials, {
		operation: 'JAICP Send',
		answer: answers.send,
		method: 'POST',
		path: routes.send,
		body: sendBody(ctx, itemIndex),
		itemIndex,
	});
	return replyItems(response, ctx.getNodeParameter('options', itemIndex, {}) as ReplyOptions, itemIndex);
};

const sendSimple: Operation = async (ctx, credentials, itemIndex) => {
	const response = await jaicpRequest<JaicpResponse>(ctx, credentials, {
		operation: 'JAICP Send (Simple)',
		answer: answers.send,
		method: 'GET',
		path: routes.send,
		qs: { clientId: clientId(ctx, itemIndex), ...queryOrEvent(ctx, itemIndex) },
		itemIndex,
	});
	return replyItems(response, ctx.getNodeParameter('options', itemIndex, {}) as ReplyOptions, itemIndex);
};

const sendAsync: Operation = async (ctx, credentials, itemIndex) => {
	const body = sendBody(ctx, itemIndex);
	const response = await jaicpRequest<unknown>(ctx, credentials, {
		operation: 'JAICP Send Async',
		answer: answers.sendAsync,
		method: 'POST',
		path: routes.sendAsync,
		body,
		itemIndex,
	});
	const answer = typeof response === 'string' ? { questionId: response } : asObject(response);
	return [item({ clientId: body.clientId, ...answer }, itemIndex)];
};

/** Long poll bounded by "Wait": nothing within it gives no items; cancelling the execution stops it. */
const getEvents: Operation = async (ctx, credentials, itemIndex) => {
	const id = clientId(ctx, itemIndex);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as ReplyOptions & {
		all?: boolean;
		cid?: string;
		ts?: string | number;
		waitSeconds?: number;
	};
	const qs: IDataObject = { clientId: id };
	const ts = epochMs(ctx, options.ts, 'Since', itemIndex);
	if (ts !== undefined) qs.ts = ts;
	if (options.all) qs.all = true;
	if (options.cid) qs.cid = options.cid;

	const waitMs = Math.max(1, options.waitSeconds ?? 30) * 1000;
	const controller = new AbortController();
	const cancel = ctx.getExecutionCancelSignal?.();
	const onCancel = () => controller.abort();
	cancel?.addEventListener('abort', onCancel);
	let waitedOut = false;
	const timer = setTimeout(() => {
		waitedOut = true;
		controller.abort();
	}, waitMs);
	let body: unknown;
	try {
		body = await jaicpRequest<unknown>(ctx, credentials, {
			operation: 'JAICP Get Events',
			answer: answers.events,
			method: 'GET',
			path: routes.events,
			qs,
			itemIndex,
			abortSignal: controller.signal,
			timeoutMs: waitMs + 5000,
		});
	} catch (error) {
		if (waitedOut) return [];
		throw asNodeError(ctx.getNode(), error, itemIndex);
	} finally {
		clearTimeout(timer);
		cancel?.removeEventListener('abort', onCancel);
	}

	const envelopes = eventEnvelopes(body).slice(0, MAX_EVENTS_PER_POLL);
	if (options.rawOutput) return envelopes.map((envelope) => item(envelope as IDataObject, itemIndex));
	const events = envelopesToEvents(envelopes, { split: options.split ?? 'reply', all: options.all === true, clientId: id });
	return chatEventsToItems(events, { itemIndex });
};

const getHistory: Operation = async (ctx, credentials, itemIndex) => {
	const id = clientId(ctx, itemIndex);
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : (ctx.getNodeParameter('limit', itemIndex, 50) as number);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as ReplyOptions & { from?: string; to?: string; maxEntries?: number };
	const period: IDataObject = {};
	const from = epochMs(ctx, options.from, 'From', itemIndex);
	const to = epochMs(ctx, options.to, 'To', itemIndex);
	if (from !== undefined) period.from = from;
	if (to !== undefined) period.to = to;

	const maxEntries = options.maxEntries ?? DEFAULT_MAX_HISTORY_ENTRIES;
	const kept = await readHistory(ctx, credentials, { clientId: id, period, limit, maxEntries, itemIndex });
	if (options.rawOutput) return kept.map((entry) => item(entry as IDataObject, itemIndex));
	const events = kept.flatMap((entry) => historyEntryToEvents({ ...entry, clientId: entry.clientId ?? id }, options.split ?? 'reply'));
	return chatEventsToItems(events, { itemIndex });
};

const saveChatState: Operation = async (ctx, credentials, itemIndex) => {
	const id = clientId(ctx, itemIndex);
	const state = jsonObject(ctx, ctx.getNodeParameter('state', itemIndex), 'State (JSON)', itemIndex);
	await jaicpRequest<unknown>(ctx, credentials, {
		operation: 'JAICP Save Chat State',
		answer: answers.chatStateSave,
		method: 'POST',
		path: routes.chatState(id),
		body: state,
		itemIndex,
	});
	return [item({ clientId: id, saved: true, state }, itemIndex)];
};

const loadChatState: Operation = async (ctx, credentials, itemIndex) => {
	const id = clientId(ctx, itemIndex);
	const state = await jaicpRequest<unknown>(ctx, credentials, {
		operation: 'JAICP Load Chat State',
		answer: answers.chatStateLoad,
		method: 'GET',
		path: routes.chatState(id),
		itemIndex,
	});
	return [item({ clientId: id, state: (state ?? null) as IDataObject }, itemIndex)];
};

function statusValue(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): string {
	const status = String(value ?? '');
	if (!(MESSAGE_STATUSES as readonly string[]).includes(status)) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be one of ${MESSAGE_STATUSES.join(', ')}, not "${status}"`, {
			itemIndex,
		});
	}
	return status;
}

const getMessageStatus: Operation = async (ctx, credentials, itemIndex) => {
	const id = clientId(ctx, itemIndex);
	const questionId = requiredString(ctx, 'questionId', 'Question ID', itemIndex);
	const response = await jaicpRequest<unknown>(ctx, credentials, {
		operation: 'JAICP Get Message Status',
		answer: answers.statusGet,
		method: 'GET',
		path: routes.messageStatus(id, questionId),
		itemIndex,
	});
	const answer = typeof response === 'string' ? { status: response } : asObject(response);
	return [item({ clientId: id, questionId, ...answer }, itemIndex)];
};

const updateMessageStatus: Operation = async (ctx, credentials, itemIndex) => {
	const id = clientId(ctx, itemIndex);
	const questionId = requiredString(ctx, 'questionId', 'Question ID', itemIndex);
	const status = statusValue(ctx, ctx.getNodeParameter('status', itemIndex), 'Status', itemIndex);
	const response = await jaicpRequest<unknown>(ctx, credentials, {
		operation: 'JAICP Update Message Status',
		answer: answers.statusUpdate,
		method: 'POST',
		path: routes.messageStatus(id, questionId),
		body: { status },
		itemIndex,
	});
	return [item({ clientId: id, questionId, status, ...asObject(response) }, itemIndex)];
};

const updateManyMessageStatuses: Operation = async (ctx, credentials, itemIndex) => {
	const id = clientId(ctx, itemIndex);
	const given = (ctx.getNodeParameter('statuses', itemIndex, {}) as { status?: Array<{ questionId?: string; status?: string }> })
		.status ?? [];
	if (given.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'Statuses needs at least one entry', { itemIndex });
	}
	const statuses = given.map((entry, index) => {
		const questionId = String(entry.questionId ?? '').trim();
		if (questionId === '') {
			throw new NodeOperationError(ctx.getNode(), `Statuses entry ${index + 1} has no Question ID`, { itemIndex });
		}
		return { questionId, status: statusValue(ctx, entry.status, `Statuses entry ${index + 1}`, itemIndex) };
	});
	const response = await jaicpRequest<unknown>(ctx, credentials, {
		operation: 'JAICP Update Message Statuses',
		answer: answers.statusUpdate,
		method: 'POST',
		path: routes.messageStatuses(id),
		body: { statuses },
		itemIndex,
	});
	return [item({ clientId: id, statuses, ...asObject(response) }, itemIndex)];
};

const getUnreadCount: Operation = async (ctx, credentials, itemIndex) => {
	const id = clientId(ctx, itemIndex);
	const response = await jaicpRequest<unknown>(ctx, credentials, {
		operation: 'JAICP Get Unread Count',
		answer: answers.unreadCount,
		method: 'GET',
		path: routes.unreadCount(id),
		itemIndex,
	});
	const answer = typeof response === 'number' ? { count: response } : asObject(response);
	return [item({ clientId: id, ...answer }, itemIndex)];
};

/** Every operation, by `resource:operation`. */
export const operations: Record<string, Operation> = {
	'message:send': send,
	'message:sendSimple': sendSimple,
	'message:sendAsync': sendAsync,
	'events:get': getEvents,
	'history:get': getHistory,
	'chatState:save': saveChatState,
	'chatState:load': loadChatState,
	'messageStatus:get': getMessageStatus,
	'messageStatus:update': updateMessageStatus,
	'messageStatus:updateMany': updateManyMessageStatuses,
	'unreadCount:get': getUnreadCount,
};
