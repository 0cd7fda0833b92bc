import { orderOptions, readOrder, type OrderOptionValues } from '../shared/trigger-options';
import type { INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { followLinkedConversations, linkedFollowProperties, readLinkedFollowSettings } from '../shared/linked-conversations';
import { runSocketTrigger } from '../shared/trigger';
import { CREDENTIAL_TYPE, loadConnection } from './client';
import { startListener } from './listener';
import type { NovaTalksWsEvent } from './protocol';

interface TriggerOptions extends OrderOptionValues {
	rawOutput?: boolean;
	subscribeTimeout?: number;
}

export class NovaTalksTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'NovaTalks Trigger',
		name: 'novaTalksTrigger',
		icon: { light: 'file:novatalks.svg', dark: 'file:novatalks.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			'Starts the workflow on NovaTalks events of one or more conversations (agent replies, status changes, typing) over the WebSocket',
		defaults: { name: 'NovaTalks Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: CREDENTIAL_TYPE, required: true },
			{ name: 'chatBridgeApi', required: true, displayOptions: { show: { follow: ['bridge'] } } },
		],
		properties: [
			{
				displayName: 'Follow',
				name: 'follow',
				type: 'options',
				noDataExpression: true,
				default: 'tokens',
				options: [
					{ name: 'Contact Tokens', value: 'tokens', description: 'The conversations of the contact tokens given here' },
					{
						name: 'Chats Handed Over by a Chat Bridge',
						value: 'bridge',
						description: 'Every NovaTalks conversation a Chat Bridge node opens at hand-over, until its chat ends',
					},
				],
			},
			...linkedFollowProperties({ follow: ['bridge'] }),
			{
				displayName: 'Contact Tokens',
				name: 'contactTokens',
				type: 'string',
				typeOptions: { password: true },
				required: true,
				default: '',
				displayOptions: { show: { follow: ['tokens'] } },
				description:
					'Pubsub tokens of the contacts to follow, separated by commas or new lines (Create Conversation outputs one as contactToken). All share one connection.',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Conversation Status Changed', value: 'conversation.status_changed' },
					{ name: 'Message Created', value: 'message.created' },
					{ name: 'Message Deleted', value: 'message.deleted' },
					{ name: 'Message Reaction Updated', value: 'message.reaction_updated' },
					{ name: 'Message Updated', value: 'message.updated' },
					{ name: 'Typing', value: 'typing' },
				],
				default: ['message.created'],
				required: true,
				description: 'The events to start the workflow on',
			},
			{
				displayName: 'Only Agent Side',
				name: 'onlyAgentSide',
				type: 'boolean',
				default: true,
				description:
					"Whether to leave out what the contact did (its own messages, typing and reactions), so only the desk's side (message_type outgoing) starts the workflow",
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Raw Output',
						name: 'rawOutput',
						type: 'boolean',
						default: false,
						description: 'Whether to output the NovaTalks frame ({event, data}) instead of a ChatEvent',
					},
					{
						displayName: 'Subscription Timeout (Seconds)',
						name: 'subscribeTimeout',
						type: 'number',
						typeOptions: { minValue: 0.1 },
						default: 10,
						description: 'How long to wait for confirm_subscription after each subscribe',
					},
					...orderOptions,
				],
			},
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const connection = await loadConnection(this);
		const followsBridge = this.getNodeParameter('follow', 'tokens') === 'bridge';
		const tokens = followsBridge ? [] : parseTokens(this.getNodeParameter('contactTokens'));
		if (!followsBridge && tokens.length === 0) {
			throw new NodeOperationError(this.getNode(), 'Contact Tokens is empty', {
				description: 'Give at least one contact token (the contactToken that Create Conversation returns)',
			});
		}
		const events = this.getNodeParameter('events', []) as NovaTalksWsEvent[];
		if (events.length === 0) {
			throw new NodeOperationError(this.getNode(), 'Choose at least one event in Events');
		}
		const onlyAgentSide = this.getNodeParameter('onlyAgentSide', true) as boolean;
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const settings = { connection, events, onlyAgentSide, subscribeTimeoutMs: Math.round((options.subscribeTimeout ?? 10) * 1000) };
		const linked = followsBridge ? readLinkedFollowSettings(this, 'novatalks') : undefined;
		return await runSocketTrigger(
			this,
			async (sink) =>
				linked
					? // One connection per handed-over conversation, read from the start the bridge recorded.
						await followLinkedConversations(this, linked, async (link) => {
							const token = link.deskAddress?.contactToken;
							if (!token) throw new NodeOperationError(this.getNode(), `The link of chat ${link.chatId} has no contact token`);
							const startAfter = { conversationId: Number(link.deskConversationId), lastId: Number(link.deskStartAfter ?? 0) || 0 };
							return await startListener(this, sink, { ...settings, tokens: [token], startAfter });
						})
					: await startListener(this, sink, { ...settings, tokens }),
			{ rawOutput: options.rawOutput, order: readOrder(options) },
		);
	}
}

/** Tokens from text (commas, spaces or new lines) or from an array an expression returned; each once. */
export function parseTokens(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\s,;]+/);
	return [...new Set(parts.map((part) => part.trim()).filter(Boolean))];
}
