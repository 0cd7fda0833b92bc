import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ChatProvider, ReplyAddress } from './chat-event';

/** Shown with a send operation: address it by its fields, or by a ChatEvent's reply address. */
export function replyToProperties(providerName: string, show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Address By',
			name: 'addressBy',
			type: 'options',
			default: 'fields',
			options: [
				{ name: 'Fields', value: 'fields', description: 'Give the conversation in the fields below' },
				{
					name: 'Reply to a ChatEvent',
					value: 'replyTo',
					description: `Answer in the conversation of a ChatEvent from any ${providerName} trigger or operation`,
				},
			],
			displayOptions: { show },
		},
		{
			displayName: 'Reply To',
			name: 'replyTo',
			type: 'json',
			default: '={{ $json }}',
			required: true,
			description: `A ${providerName} ChatEvent, or its replyTo object: everything needed to answer in its conversation`,
			displayOptions: { show: { ...show, addressBy: ['replyTo'] } },
		},
	];
}

/** Hides a field that the reply address replaces. */
export const HIDDEN_WHEN_REPLYING = { addressBy: ['replyTo'] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The reply address the item gives when the operation is addressed by a ChatEvent (undefined when it is
 * addressed by fields). Refuses an address of another provider or without a conversation, naming the item.
 */
export function replyAddressOf(ctx: IExecuteFunctions, itemIndex: number, provider: ChatProvider): ReplyAddress | undefined {
	if (ctx.getNodeParameter('addressBy', itemIndex, 'fields') !== 'replyTo') return undefined;
	let value = ctx.getNodeParameter('replyTo', itemIndex, {}) as unknown;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			throw new NodeOperationError(ctx.getNode(), `Reply To is not valid JSON (item ${itemIndex})`, { itemIndex });
		}
	}
	const address = isRecord(value) && isRecord(value.replyTo) ? value.replyTo : value;
	if (!isRecord(address) || typeof address.provider !== 'string') {
		throw new NodeOperationError(ctx.getNode(), `Reply To of item ${itemIndex} is neither a ChatEvent nor a reply address`, {
			description: 'Map a ChatEvent ({{ $json }} after a trigger of this package) or its replyTo object',
			itemIndex,
		});
	}
	if (address.provider !== provider) {
		throw new NodeOperationError(ctx.getNode(), `Reply To of item ${itemIndex} is a ${address.provider} address, not a ${provider} one`, {
			description: 'A ChatEvent can only be answered through its own provider; to send it elsewhere, use the Chat Bridge node',
			itemIndex,
		});
	}
	const conversationId = address.conversationId;
	if ((typeof conversationId !== 'string' && typeof conversationId !== 'number') || String(conversationId).trim() === '') {
		throw new NodeOperationError(ctx.getNode(), `Reply To of item ${itemIndex} has no conversationId`, { itemIndex });
	}
	const result: ReplyAddress = { provider, conversationId: String(conversationId) };
	for (const key of ['contactToken', 'participantId', 'participantName'] as const) {
		if (typeof address[key] === 'string' && address[key] !== '') result[key] = address[key];
	}
	return result;
}

/** A field the provider needs in the reply address; the error names it and the item. */
export function requiredInAddress(ctx: IExecuteFunctions, address: ReplyAddress, field: 'contactToken' | 'participantId', itemIndex: number): string {
	const value = address[field];
	if (!value) {
		throw new NodeOperationError(ctx.getNode(), `Reply To of item ${itemIndex} has no ${field}`, {
			description: `The ${address.provider} reply address needs ${field}: map the ChatEvent of a ${address.provider} trigger`,
			itemIndex,
		});
	}
	return value;
}
