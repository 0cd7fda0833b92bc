import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { HIDDEN_WHEN_REPLYING } from '../../shared/reply-address';
/** Shows a field only for these operations of this resource. */
export const showFor = (resource: string, operation: string[]) => ({ show: { resource: [resource], operation } });

/** The Operation selector of one resource. */
export function operationField(resource: string, options: INodePropertyOptions[], defaultValue: string): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: defaultValue,
	};
}

/** The client (customer) a call is about; shown for the given operations when a resource is named. */
export function clientIdField(resource?: string, operation: string[] = []): INodeProperties {
	return {
		displayName: 'Client ID',
		name: 'clientId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'customer-42',
		description: 'ID of the chat client (the customer) in this channel; a ChatEvent carries it as conversationId',
		...(resource ? { displayOptions: { ...showFor(resource, operation), hide: HIDDEN_WHEN_REPLYING } } : {}),
	};
}

/** How replies come out: one ChatEvent per reply, or all replies of one request or event folded into one. */
export function splitOption(defaultValue: 'reply' | 'request', foldedName = 'One Item per Request'): INodeProperties {
	return {
		displayName: 'Output',
		name: 'split',
		type: 'options',
		options: [
			{
				name: 'One Item per Reply',
				value: 'reply',
				description: 'Each text, buttons, image, audio, carousel, switch or hangup reply is its own ChatEvent',
			},
			{ name: foldedName, value: 'request', description: 'All replies to one request folded into one ChatEvent' },
		],
		default: defaultValue,
	};
}

export const rawOutputOption: INodeProperties = {
	displayName: 'Raw Output',
	name: 'rawOutput',
	type: 'boolean',
	default: false,
	description: 'Whether to output the payload as JAICP sent it (token masked) instead of ChatEvents',
};

export const replyOutputOptions: INodeProperties[] = [splitOption('reply'), rawOutputOption];

/** The `/events` filters, shared by Get Events and the events trigger. */
export const eventFilterOptions: INodeProperties[] = [
	{
		displayName: 'All Channel Events',
		name: 'all',
		type: 'boolean',
		default: false,
		description:
			'Whether to get every event of the channel (bot replies, requests from other pages) instead of operator replies only',
	},
	{
		displayName: 'Connection ID',
		name: 'cid',
		type: 'string',
		default: '',
		description: 'Only events of this connection (the cid sent with the requests)',
	},
];
