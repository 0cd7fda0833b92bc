import type { INodeProperties } from 'n8n-workflow';

import { replyToProperties } from '../../shared/reply-address';
import { ACTIVITY_TYPES } from '../protocol';
import { conversationIdField, participantFields, recipientsField, socketOptions } from './common';

const send = { resource: ['message'], operation: ['send'] };
const sendActivity = { resource: ['message'], operation: ['sendActivity'] };
const both = { resource: ['message'], operation: ['send', 'sendActivity'] };

export const messageOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				action: 'Send a message',
				description: 'Send a chat message (text and attachments) to a conversation',
			},
			{
				name: 'Send Activity',
				value: 'sendActivity',
				action: 'Send an activity',
				description: 'Send an activity such as typing to a conversation',
			},
		],
		default: 'send',
	},
];

export const messageFields: INodeProperties[] = [
	...replyToProperties('Expertflow', both),
	conversationIdField(both),
	...participantFields(both, true),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Text of the message (may be empty when the message has attachments)',
		displayOptions: { show: send },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: send },
		options: [
			{
				displayName: 'Attachments',
				name: 'attachments',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				description: 'Files the message links to',
				options: [
					{
						displayName: 'Attachment',
						name: 'attachment',
						values: [
							{
								displayName: 'URL',
								name: 'url',
								type: 'string',
								default: '',
								required: true,
								description: 'HTTP, HTTPS, file or data URL of the content',
							},
							{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'File name shown; taken from the URL when empty' },
							{
								displayName: 'MIME Type',
								name: 'mimeType',
								type: 'string',
								default: '',
								placeholder: 'image/png',
								description: 'Media type of the content; guessed from the file name when empty',
							},
							{ displayName: 'Thumbnail URL', name: 'thumbnailUrl', type: 'string', default: '' },
						],
					},
				],
			},
			{
				displayName: 'Attachments (JSON)',
				name: 'attachmentsJson',
				type: 'json',
				default: '[]',
				description:
					'Attachments as a ChatEvent from any trigger of this package carries them (map its attachments field here): a list of objects with URL, name and MIME type',
			},
			{
				displayName: 'Binary Properties',
				name: 'binaryProperties',
				type: 'string',
				default: '',
				placeholder: 'data, file',
				description:
					'Comma-separated binary properties of the input item to send inline as data URLs (together at most 700 kB, as Socket.IO servers refuse bigger messages)',
			},
			recipientsField(),
			{
				displayName: 'Reference ID',
				name: 'refId',
				type: 'string',
				default: '',
				description: 'Account ID of the receiving account (the phone number for SMS)',
			},
			{
				displayName: 'Whisper',
				name: 'whisper',
				type: 'boolean',
				default: false,
				description: 'Whether to tag the message as a whisper, which is not shown to the customer',
			},
		],
	},
	{
		displayName: 'Activity Type',
		name: 'activityType',
		type: 'options',
		options: [
			...ACTIVITY_TYPES.map((type) => ({ name: titleOf(type), value: type })),
			{ name: 'Custom', value: 'custom' },
		].sort((a, b) => a.name.localeCompare(b.name)),
		default: 'typing',
		displayOptions: { show: sendActivity },
	},
	{
		displayName: 'Custom Activity Type',
		name: 'customActivityType',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show: { ...sendActivity, activityType: ['custom'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: sendActivity },
		options: [
			{
				displayName: 'Info (JSON)',
				name: 'info',
				type: 'json',
				default: '{}',
				description: 'Notification data sent as the activity\'s info object',
			},
			recipientsField(),
		],
	},
	socketOptions(both),
];

function titleOf(camel: string): string {
	const words = camel.replace(/([A-Z])/g, ' $1');
	return words.charAt(0).toUpperCase() + words.slice(1);
}
