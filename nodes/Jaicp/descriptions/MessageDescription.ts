import type { INodeProperties } from 'n8n-workflow';

import { replyToProperties } from '../../shared/reply-address';
import { clientIdField, operationField, replyOutputOptions, showFor } from './common';

const RESOURCE = 'message';
const ALL = ['send', 'sendSimple', 'sendAsync'];

export const messageOperations: INodeProperties[] = [
	operationField(
		RESOURCE,
		[
			{
				name: 'Send',
				value: 'send',
				description: 'Send a client query or event and get the bot replies',
				action: 'Send a message',
			},
			{
				name: 'Send Async',
				value: 'sendAsync',
				description: 'Send a client query or event; the replies go to the channel webhook',
				action: 'Send a message asynchronously',
			},
			{
				name: 'Send Simple',
				value: 'sendSimple',
				description: 'Send a client query or event with the simplified GET method',
				action: 'Send a simple message',
			},
		],
		'send',
	),
];

export const messageFields: INodeProperties[] = [
	...replyToProperties('JAICP', { resource: [RESOURCE], operation: ALL }),
	clientIdField(RESOURCE, ALL),
	{
		displayName: 'Send',
		name: 'inputType',
		type: 'options',
		options: [
			{ name: 'Text Query', value: 'query', description: 'What the client typed' },
			{ name: 'Event', value: 'event', description: 'A chat application event, such as /start or a custom event' },
		],
		default: 'query',
		displayOptions: showFor(RESOURCE, ALL),
	},
	{
		displayName: 'Query',
		name: 'query',
		type: 'string',
		typeOptions: { rows: 2 },
		required: true,
		default: '',
		description: 'Text of the client message',
		displayOptions: { show: { resource: [RESOURCE], operation: ALL, inputType: ['query'] } },
	},
	{
		displayName: 'Event Name',
		name: 'event',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'fileEvent',
		description: 'Name of the event to send to the bot',
		displayOptions: { show: { resource: [RESOURCE], operation: ALL, inputType: ['event'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showFor(RESOURCE, ['send', 'sendAsync']),
		options: [
			{
				displayName: 'Connection ID',
				name: 'cid',
				type: 'string',
				default: '',
				description: 'Any string naming the current connection of the chat app (cid); Get Events can filter by it',
			},
			{
				displayName: 'Data (JSON)',
				name: 'data',
				type: 'json',
				default: '{}',
				description: 'Object passed to the bot with the request (for example the client name or an event payload)',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(RESOURCE, ['send', 'sendSimple']),
		options: replyOutputOptions,
	},
];
