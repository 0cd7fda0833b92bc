import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import type { SocketSession } from '../../shared/socket';
import { conciergeSession, RouteCaller, type ConciergeCredentials } from '../../Concierge/connection';
import { contentTypeFor, DEFAULT_REPLY_TIMEOUT_MS, ROUTES, type ChatSession } from '../../Concierge/protocol';
import type { DeskParty, PartyScope } from './party';

/** A Concierge desk: the bridge starts a chat session as the tenant's customer and writes there. */
export async function conciergeDesk({ ctx, itemIndex }: PartyScope): Promise<DeskParty> {
	const credentials = await ctx.getCredentials<ConciergeCredentials>('conciergeApi');
	const caller = new RouteCaller(DEFAULT_REPLY_TIMEOUT_MS);
	let session: SocketSession | undefined;
	let opening: Promise<SocketSession> | undefined;
	const connection = () =>
		(opening ??= (async () => {
			session = conciergeSession(credentials, { requestTimeoutMs: DEFAULT_REPLY_TIMEOUT_MS, maxReconnectAttempts: 3, logger: ctx.logger });
			await session.connect();
			return session;
		})());
	const call = async <T = IDataObject>(route: string, body: IDataObject, chatSessionId?: string) =>
		await caller.call<T>(await connection(), route, body, chatSessionId);

	return {
		provider: 'concierge',
		open: async () => {
			const reply = await call<{ chatSessionId?: string; chatSession?: ChatSession }>(ROUTES.initChat, { newSession: true });
			const id = String(reply.chatSessionId ?? reply.chatSession?.chatSessionId ?? '');
			if (id === '') throw new NodeOperationError(ctx.getNode(), 'Starting a Concierge chat session gave no chatSessionId', { itemIndex: itemIndex() });
			return { address: { provider: 'concierge', conversationId: id } };
		},
		send: async (address, message) => {
			const chatSessionId = address.conversationId;
			if (message.text.trim() !== '') {
				await call(ROUTES.sendMessage, { chatSessionId, contentType: 'TEXT', messageContent: message.text }, chatSessionId);
			}
			for (const attachment of message.attachments) {
				const contentType = contentTypeFor(attachment.mimeType, attachment.name ?? new URL(attachment.url).pathname);
				await call(ROUTES.sendMessage, { chatSessionId, contentType, messageContent: attachment.url }, chatSessionId);
			}
		},
		end: async (address) => {
			await call(ROUTES.endChat, { chatSessionId: address.conversationId }, address.conversationId);
		},
		close: async () => await session?.close(),
	};
}
