import type { IDataObject } from 'n8n-workflow';

import { apiRequest } from '../../shared/http';
import { converseUrl, type ConverseRequest, type UltimateCredentials } from '../../Ultimate/protocol';
import { textWithLinks, type BotParty, type PartyScope } from './party';

/** The Ultimate bot: converse requests; its replies come later, through the Ultimate Trigger. */
export async function ultimateBot({ ctx, itemIndex }: PartyScope): Promise<BotParty> {
	const credentials = await ctx.getCredentials<UltimateCredentials>('ultimateApi');
	const converse = async (request: ConverseRequest) => {
		await apiRequest(ctx, {
			method: 'POST',
			url: converseUrl(credentials.baseUrl),
			credentialType: 'ultimateApi',
			body: request as unknown as IDataObject,
			secrets: [credentials.apiKey],
			itemIndex: itemIndex(),
		});
		return [];
	};
	return {
		provider: 'ultimate',
		start: async (conversationId) => await converse({ platformConversationId: conversationId, eventType: 'startSession' }),
		send: async (conversationId, message) =>
			await converse({ platformConversationId: conversationId, eventType: 'message', text: textWithLinks(message) }),
		end: async (conversationId) => {
			await converse({ platformConversationId: conversationId, eventType: 'endSession' });
		},
		close: async () => undefined,
	};
}
