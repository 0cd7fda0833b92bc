import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { replyAddressOf } from '../shared/reply-address';
import type { ConciergeCredentials } from './connection';
import {
	contentTypeFor,
	MAX_MESSAGE_BYTES,
	apiFrame,
	messagesRoute,
	messageToChatEvent,
	numericId,
	ROUTES,
	type ChatMessage,
	type ChatSession,
	type ContentType,
	type MessagesPage,
} from './protocol';
import { uploadFile } from './upload';

/** Calls a route on the execution's one connection and hands back the reply body. */
export type CallRoute = <T = IDataObject>(route: string, body: IDataObject, chatSessionId?: string) => Promise<T>;

export interface ActionContext {
	ctx: IExecuteFunctions;
	itemIndex: number;
	credentials: ConciergeCredentials;
	call: CallRoute;
}

/** One item's work: its output as one JSON object or several. */
type Action = (action: ActionContext) => Promise<IDataObject | IDataObject[]>;

const MAX_PAGES = 10_000;

/** Every operation of the Concierge node, by `resource.operation`. */
export const ACTIONS: Record<string, Action> = {
	'chatSession.start': async ({ call }) => await call(ROUTES.initChat, { newSession: true }),

	'chatSession.resume': async ({ ctx, itemIndex, call }) => {
		const chatSessionId = requiredString(ctx, 'chatSessionId', itemIndex, 'Chat Session ID');
		if (ctx.getNodeParameter('checkOpen', itemIndex, true) as boolean) {
			const current = await call<{ chatSession?: ChatSession }>(ROUTES.getSession, { chatSessionId }, chatSessionId);
			if (current.chatSession?.isSessionClosed === true) {
				throw new NodeOperationError(ctx.getNode(), `Chat session ${chatSessionId} is closed`, {
					description: 'A closed session cannot be resumed. Start a new session instead.',
					itemIndex,
				});
			}
		}
		return await call(ROUTES.initChat, { newSession: false, chatSessionId }, chatSessionId);
	},

	'chatSession.get': async (action) => await sessionCall(action, ROUTES.getSession),
	'chatSession.ping': async (action) => await sessionCall(action, ROUTES.ping),
	'chatSession.end': async (action) => await sessionCall(action, ROUTES.endChat),

	'message.sendText': async ({ ctx, itemIndex, call }) => {
		const chatSessionId = sessionToWrite(ctx, itemIndex);
		const text = ctx.getNodeParameter('text', itemIndex) as string;
		if (typeof text !== 'string' || text.trim() === '') {
			throw new NodeOperationError(ctx.getNode(), 'Text is empty: there is nothing to send', { itemIndex });
		}
		return await sendMessage({ ctx, itemIndex, call }, chatSessionId, 'TEXT', text);
	},

	'message.sendFile': async ({ ctx, itemIndex, call, credentials }) => {
		const chatSessionId = sessionToWrite(ctx, itemIndex);
		const property = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
		const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const binary = ctx.helpers.assertBinaryData(itemIndex, property);
		const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
		const mimeType = binary.mimeType || 'application/octet-stream';
		const fileName =
			(fields.fileName as string | undefined) || binary.fileName || `file${binary.fileExtension ? `.${binary.fileExtension}` : ''}`;
		const upload = await uploadFile(
			ctx,
			credentials,
			{ bytes, fileName, mimeType, folder: (fields.uploadType as string | undefined) || 'chat-images' },
			itemIndex,
		);
		const contentType = chosenContentType(fields, contentTypeFor(mimeType, fileName));
		const reply = await sendMessage({ ctx, itemIndex, call }, chatSessionId, contentType, upload.resourceUrl);
		return { ...reply, upload: { fileName, mimeType, size: bytes.length, resourceUrl: upload.resourceUrl, uploadPath: upload.uploadPath } };
	},

	'message.sendFileUrl': async ({ ctx, itemIndex, call }) => {
		const chatSessionId = sessionToWrite(ctx, itemIndex);
		const fileUrl = requiredString(ctx, 'fileUrl', itemIndex, 'File URL');
		let path: string;
		try {
			const url = new URL(fileUrl);
			if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('not http');
			path = url.pathname;
		} catch {
			throw new NodeOperationError(ctx.getNode(), `File URL "${fileUrl}" is not an http(s) URL`, { itemIndex });
		}
		const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const contentType = chosenContentType(fields, contentTypeFor(undefined, path));
		return await sendMessage({ ctx, itemIndex, call }, chatSessionId, contentType, fileUrl);
	},

	'message.getMany': async ({ ctx, itemIndex, call }) => {
		const chatSessionId = requiredString(ctx, 'chatSessionId', itemIndex, 'Chat Session ID');
		const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const messages: ChatMessage[] = [];
		if (returnAll) {
			const pageSize = positiveInteger(ctx, options.pageSize ?? 50, 'Page Size', itemIndex);
			const ids = new Set<string>();
			for (let page = 1; page <= MAX_PAGES; page++) {
				const body = await call<MessagesPage>(messagesRoute(page, pageSize), { chatSessionId }, chatSessionId);
				const batch = (Array.isArray(body?.messages) ? body.messages : []).filter((message) => !ids.has(String(message.id)));
				batch.forEach((message) => ids.add(String(message.id)));
				messages.push(...batch);
				if (batch.length === 0 || (body.messages ?? []).length < (Number(body.paginate?.per_page) || pageSize)) break;
			}
		} else {
			const page = positiveInteger(ctx, ctx.getNodeParameter('page', itemIndex, 1), 'Page', itemIndex);
			const limit = positiveInteger(ctx, ctx.getNodeParameter('limit', itemIndex, 50), 'Limit', itemIndex);
			const body = await call<MessagesPage>(messagesRoute(page, limit), { chatSessionId }, chatSessionId);
			messages.push(...(Array.isArray(body?.messages) ? body.messages : []));
		}
		if (options.rawOutput === true) return messages as IDataObject[];
		return messages.map((message) => messageToChatEvent(message) as unknown as IDataObject);
	},

	'message.unsend': async (action) => await messageCall(action, ROUTES.deleteMessage),
	'message.markSeen': async (action) => await messageCall(action, ROUTES.markSeen),

	'unreadCount.get': async ({ call }) => {
		const body = await call(ROUTES.unreadCount, {});
		const count = Number(body?.unreadMsgCount);
		return { ...body, unreadMsgCount: Number.isFinite(count) ? count : body?.unreadMsgCount };
	},
};

/** The session a message goes to: the field, or a Concierge ChatEvent's reply address. */
function sessionToWrite(ctx: IExecuteFunctions, itemIndex: number): string {
	return replyAddressOf(ctx, itemIndex, 'concierge')?.conversationId ?? requiredString(ctx, 'chatSessionId', itemIndex, 'Chat Session ID');
}

async function sessionCall({ ctx, itemIndex, call }: ActionContext, route: string): Promise<IDataObject> {
	const chatSessionId = requiredString(ctx, 'chatSessionId', itemIndex, 'Chat Session ID');
	return await call(route, { chatSessionId }, chatSessionId);
}

async function messageCall({ ctx, itemIndex, call }: ActionContext, route: string): Promise<IDataObject> {
	const chatSessionId = requiredString(ctx, 'chatSessionId', itemIndex, 'Chat Session ID');
	const messageId = requiredString(ctx, 'messageId', itemIndex, 'Message ID');
	return await call(route, { chatSessionId, messageId: numericId(messageId) }, chatSessionId);
}

async function sendMessage(
	{ ctx, itemIndex, call }: Pick<ActionContext, 'ctx' | 'itemIndex' | 'call'>,
	chatSessionId: string,
	contentType: ContentType,
	messageContent: string,
): Promise<IDataObject> {
	const fields = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body: IDataObject = { chatSessionId, contentType, messageContent };
	const metadata = parseMetadata(ctx, fields.metadata, itemIndex);
	// Spelled as the service documents it.
	if (metadata) body.metdata = metadata;
	const size = Buffer.byteLength(JSON.stringify(apiFrame(ROUTES.sendMessage, body)));
	if (size > MAX_MESSAGE_BYTES) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The message is too large to send: ${size} bytes, over the gateway's limit of ${MAX_MESSAGE_BYTES} bytes (128 KB)`,
			{
				description:
					'The gateway would close the connection (code 1009). Shorten the text or the metadata, or send long content as a file.',
				itemIndex,
			},
		);
	}
	return await call(ROUTES.sendMessage, body, chatSessionId);
}

function chosenContentType(fields: IDataObject, automatic: ContentType): ContentType {
	const chosen = fields.contentType as string | undefined;
	return chosen === 'FILE' || chosen === 'IMAGE' ? chosen : automatic;
}

function parseMetadata(ctx: IExecuteFunctions, value: unknown, itemIndex: number): IDataObject | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			throw new NodeOperationError(ctx.getNode(), 'Metadata is not valid JSON', { itemIndex });
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw new NodeOperationError(ctx.getNode(), 'Metadata must be a JSON object', { itemIndex });
	}
	return Object.keys(parsed).length > 0 ? (parsed as IDataObject) : undefined;
}

function requiredString(ctx: IExecuteFunctions, name: string, itemIndex: number, label: string): string {
	const value = String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (value === '') throw new NodeOperationError(ctx.getNode(), `${label} is empty`, { itemIndex });
	return value;
}

function positiveInteger(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number < 1) {
		throw new NodeOperationError(ctx.getNode(), `${label} must be a whole number of at least 1 (got ${String(value)})`, {
			itemIndex,
		});
	}
	return number;
}
