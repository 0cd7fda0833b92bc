import { randomBytes } from 'node:crypto';
import { NodeOperationError } from 'n8n-workflow';

import type { ReplyAddress } from '../../shared/chat-event';
import { loadConnection, novaTalksRequest } from '../../NovaTalks/client';
import { ROUTES, type CreateConversationResponse } from '../../NovaTalks/protocol';
import { textWithLinks, type DeskParty, type PartyScope } from './party';

/** A NovaTalks desk: the bridge is the contact; the contact token addresses the conversation. */
export async function novaTalksDesk({ ctx, itemIndex }: PartyScope): Promise<DeskParty> {
	const connection = await loadConnection(ctx);
	const tokenOf = (address: ReplyAddress) => {
		if (!address.contactToken) {
			throw new NodeOperationError(ctx.getNode(), `The NovaTalks conversation ${address.conversationId} has no contact token in its link`, {
				itemIndex: itemIndex(),
			});
		}
		return address.contactToken;
	};
	return {
		provider: 'novatalks',
		open: async (customer) => {
			const response = await novaTalksRequest<CreateConversationResponse>(ctx, connection, {
				method: 'POST',
				path: ROUTES.conversations,
				body: { name: customer.name, custom_attributes: { chatId: customer.chatId } },
				itemIndex: itemIndex(),
			});
			const token = response?.payload?.contactInbox?.pubsubToken;
			const conversationId = response?.payload?.conversation?.id;
			if (!token || conversationId === undefined) {
				throw new NodeOperationError(ctx.getNode(), 'NovaTalks answered without a contact token or conversation', { itemIndex: itemIndex() });
			}
			// Every agent message of the new conversation is for the customer: the trigger reads from its start.
			return { address: { provider: 'novatalks', conversationId: String(conversationId), contactToken: token }, startAfter: '0' };
		},
		send: async (address, message) => {
			await novaTalksRequest(ctx, connection, {
				method: 'POST',
				path: ROUTES.messages,
				token: tokenOf(address),
				body: { message: { content: textWithLinks(message), echo_id: randomBytes(6).toString('hex') } },
				itemIndex: itemIndex(),
			});
		},
		// The contact side of the SDK has no call that resolves a conversation: the desk closes it.
		end: async () => undefined,
		close: async () => undefined,
	};
}
