import { randomUUID } from 'node:crypto';
import { NodeApiError, type IDataObject } from 'n8n-workflow';

import type { ReplyAddress } from '../../shared/chat-event';
import { apiRequest } from '../../shared/http';
import { DEFAULT_IDLE_MS } from '../../Expertflow/actions/connection-pool';
import { ActionSession } from '../../Expertflow/actions/session';
import { chatMessage, echoOf, endConfirmation, EVENTS, participantIdOf, ROUTES, type InitResponse, type ParticipantRef } from '../../Expertflow/protocol';
import type { ExpertflowCredentialData } from '../../Expertflow/settings';
import type { DeskParty, PartyScope } from './party';

/** Confirmed sends; the connection stays open for the next executions of the chat (the node's pool). */
const CONFIRM = { timeoutMs: 10_000, confirm: true, idleMs: DEFAULT_IDLE_MS };

/**
 * An Expertflow desk: the bridge asks for a chat as the customer (customer/init), joins as the
 * customer participant and writes there; one Socket.IO connection per execution.
 */
export async function expertflowDesk({ ctx, itemIndex }: PartyScope, channel: string): Promise<DeskParty> {
	const session = new ActionSession(ctx, await ctx.getCredentials<ExpertflowCredentialData>('expertflowApi'));
	const participantOf = (address: ReplyAddress): ParticipantRef => ({
		id: address.participantId ?? '',
		name: address.participantName,
	});
	return {
		provider: 'expertflow',
		open: async (customer) => {
			const { settings } = session;
			const answer = await apiRequest<InitResponse>(ctx, {
				method: 'POST',
				url: `${settings.restBaseUrl}${ROUTES.init}`,
				credentialType: 'expertflowApi',
				body: {
					channel,
					firstName: customer.name,
					refId: customer.chatId,
					requestId: randomUUID(),
					timestamp: new Date().toISOString(),
				} as IDataObject,
				secrets: settings.secrets,
				itemIndex: itemIndex(),
				skipSslCertificateValidation: settings.skipSslCertificateValidation,
			});
			const participantId = participantIdOf(answer?.participant);
			if (!answer?.conversationId || !participantId) {
				throw new NodeApiError(ctx.getNode(), { message: 'No conversationId or participant in the answer' }, {
					message: 'Expertflow accepted the chat request but sent no conversationId or participant',
					itemIndex: itemIndex(),
				});
			}
			const participant = answer.participant as { name?: unknown } | string | undefined;
			const participantName = typeof participant === 'object' && typeof participant?.name === 'string' ? participant.name : customer.name;
			const address: ReplyAddress = { provider: 'expertflow', conversationId: answer.conversationId, participantId, participantName };
			await session.join(address.conversationId, participantOf(address), CONFIRM);
			return { address };
		},
		send: async (address, message) => {
			const from = participantOf(address);
			await session.join(address.conversationId, from, CONFIRM);
			const payload = chatMessage({
				conversationId: address.conversationId,
				from,
				text: message.text,
				attachments: message.attachments.map((attachment) => ({ type: attachment.mimeType ?? 'file', name: attachment.name, contentUrl: attachment.url })),
			});
			await session.emit(EVENTS.sendMessage, payload, {
				...CONFIRM,
				label: `sendMessage (conversation ${address.conversationId})`,
				confirmedBy: echoOf(payload.id),
			});
		},
		end: async (address) => {
			await session.join(address.conversationId, participantOf(address), CONFIRM);
			await session.emit(EVENTS.endConversation, { conversationId: address.conversationId }, {
				...CONFIRM,
				label: `endConversation (conversation ${address.conversationId})`,
				confirmedBy: endConfirmation(address.conversationId),
			});
		},
		close: async () => await session.close(),
	};
}
