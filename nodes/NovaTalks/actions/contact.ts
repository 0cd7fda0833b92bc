import { NodeOperationError } from 'n8n-workflow';

import { SocketError } from '../../shared/socket';
import { novaTalksRequest } from '../client';
import { asNodeError } from '../../shared/errors';
import { ROUTES } from '../protocol';
import { contactToken, requiredId, requiredString, withItem, type Operation } from './context';

/** Typing over the execution's WebSocket: connect once, subscribe each token once, send. */
const sendTyping: Operation = async function (itemIndex, scope) {
	const token = contactToken(this, itemIndex);
	const conversationId = requiredId(this, 'conversationId', 'Conversation ID', itemIndex);
	try {
		await scope.typingChannel().sendTyping(token, conversationId);
	} catch (error) {
		if (!(error instanceof SocketError)) throw asNodeError(this.getNode(), error, itemIndex);
		const message = error.message.startsWith('No reply to the subscription')
			? `NovaTalks did not confirm the subscription of the contact token: ${error.message}`
			: error.message;
		throw new NodeOperationError(this.getNode(), message, {
			message,
			description: 'Check the Contact Token, the Account ID and the WebSocket URL of the credential',
			itemIndex,
		});
	}
	return [withItem({ typing: true, conversationId }, itemIndex)];
};

const deletePushToken: Operation = async function (itemIndex, { connection }) {
	const token = contactToken(this, itemIndex);
	const pushToken = requiredString(this, 'pushToken', 'Push Token', itemIndex);
	await novaTalksRequest(this, connection, { method: 'DELETE', path: ROUTES.pushToken(pushToken), token, itemIndex });
	return [withItem({ deleted: true }, itemIndex)];
};

export const contactOperations: Record<string, Operation> = { sendTyping, deletePushToken };
