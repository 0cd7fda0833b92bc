import type { INodeProperties } from 'n8n-workflow';

import { conversationIdField, participantFields, restOptions, socketOptions } from './common';

const initiate = { resource: ['chat'], operation: ['initiate'] };
const end = { resource: ['chat'], operation: ['end'] };

export const chatOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['chat'] } },
		options: [
			{
				name: 'End',
				value: 'end',
				action: 'End a chat',
				description: 'End an active conversation (endConversation)',
			},
			{
				name: 'Initiate',
				value: 'initiate',
				action: 'Initiate a chat',
				description: 'Request a chat for a customer and get its conversation ID and participant',
			},
		],
		default: 'initiate',
	},
];

export const chatFields: INodeProperties[] = [
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		required: true,
		options: [
			{ name: 'Custom', value: 'custom' },
			{ name: 'Facebook', value: 'fb' },
			{ name: 'SMS', value: 'sms' },
			{ name: 'Twitter', value: 'twitter' },
			{ name: 'Web', value: 'web' },
		],
		default: 'web',
		description: 'Channel the customer writes from',
		displayOptions: { show: initiate },
	},
	{
		displayName: 'Custom Channel',
		name: 'customChannel',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'whatsapp',
		description: 'Name of the channel, as configured on the chat server',
		displayOptions: { show: { ...initiate, channel: ['custom'] } },
	},
	{
		displayName: 'First Name',
		name: 'firstName',
		type: 'string',
		default: '',
		description: 'Customer first name',
		displayOptions: { show: initiate },
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		default: '',
		description: 'Customer phone number; also used as reference ID when none is given',
		displayOptions: { show: initiate },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: initiate },
		options: [
			{ displayName: 'Comment', name: 'comment', type: 'string', default: '' },
			{
				displayName: 'Custom Fields',
				name: 'customFields',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				description: 'Further request parameters your deployment defines',
				options: [
					{
						displayName: 'Field',
						name: 'field',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{ displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '' },
			{ displayName: 'Language', name: 'language', type: 'string', default: 'en', description: 'Language of the customer' },
			{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
			{
				displayName: 'Reference ID',
				name: 'refId',
				type: 'string',
				default: '',
				description: 'Identifier of the customer on the channel (normally the phone number)',
			},
			{
				displayName: 'Request ID',
				name: 'requestId',
				type: 'string',
				default: '',
				description: 'GUID of this chat request; one is generated when empty',
			},
			{
				displayName: 'Subject (MRE Queue)',
				name: 'subject',
				type: 'string',
				default: '',
				description: 'Skill group: the Media Routing Engine queue the chat is routed to',
			},
			{
				displayName: 'Timestamp',
				name: 'timestamp',
				type: 'dateTime',
				default: '',
				description: 'Time of the request (ISO 8601); now when empty',
			},
			{ displayName: 'URL', name: 'url', type: 'string', default: '', description: 'Page the customer is on' },
		],
	},
	restOptions(initiate),
	conversationIdField(end),
	...participantFields(end, false),
	socketOptions(end),
];
