import type { INodeProperties } from 'n8n-workflow';

import { replyToProperties } from '../../shared/reply-address';
import { contactTokenField, rawOutputField } from './common';

const show = (operation: string[]) => ({ show: { resource: ['message'], operation } });

const messageIdField = (operations: string[], description: string): INodeProperties => ({
	displayName: 'Message ID',
	name: 'messageId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '={{ $json.messageId }}',
	description,
	displayOptions: show(operations),
});

export const messageOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: "Delete one of the contact's messages",
				action: 'Delete a message',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get messages of the conversation, before or after a message or updated since a time',
				action: 'Get many messages',
			},
			{
				name: 'React',
				value: 'react',
				description: 'Add, change or remove the contact’s reaction to a message',
				action: 'React to a message',
			},
			{
				name: 'Send',
				value: 'send',
				description: 'Send a message as the contact, with text, files or both, optionally as a reply',
				action: 'Send a message',
			},
			{
				name: 'Set Interactive Value',
				value: 'setInteractiveValue',
				description: 'Answer an interactive message (quick reply, feedback or card) with a value',
				action: 'Set the value of an interactive message',
			},
			{
				name: 'Update Status',
				value: 'updateStatus',
				description: 'Mark messages as sent, delivered, seen or failed',
				action: 'Update the status of messages',
			},
		],
		default: 'send',
	},
];

export const messageFields: INodeProperties[] = [
	...replyToProperties('NovaTalks', { resource: ['message'], operation: ['send'] }),
	contactTokenField('message', ['send', 'getMany', 'updateStatus', 'setInteractiveValue', 'delete', 'react']),

	// Send
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		description: 'Text of the message; may be empty when files are attached',
		displayOptions: show(['send']),
	},
	{
		displayName: 'Options',
		name: 'sendOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show(['send']),
		options: [
			{
				displayName: 'Attachments (Input Binary Fields)',
				name: 'binaryProperties',
				type: 'string',
				default: '',
				placeholder: 'data, invoice',
				description: 'Names of the binary fields whose files are attached, separated by commas',
			},
			{
				displayName: 'Echo ID',
				name: 'echoId',
				type: 'string',
				default: '',
				description:
					'Client-side ID the server echoes back in message.created, to recognise the message; generated when empty',
			},
			{
				displayName: 'Output Created Message',
				name: 'outputCreatedMessage',
				type: 'boolean',
				default: false,
				description:
					'Whether to look the new message up by its echo ID (one more request) and output it, with its message ID, instead of a confirmation',
			},
			{
				displayName: 'Replied Content',
				name: 'replyToContent',
				type: 'string',
				default: '',
				description: 'Text of the message replied to, shown as the quote',
			},
			{
				displayName: 'Reply To Dialog ID',
				name: 'replyToDialogId',
				type: 'string',
				default: '',
				description: 'Dialog ID (dialog_id) of the message replied to',
			},
			{
				displayName: 'Reply To Message ID',
				name: 'replyToMessageId',
				type: 'string',
				default: '',
				description: 'Send the message as a reply to this message',
			},
		],
	},

	// Get Many
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: show(['getMany']),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { resource: ['message'], operation: ['getMany'], returnAll: [false] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show(['getMany']),
		options: [
			{
				displayName: 'After Message ID',
				name: 'after',
				type: 'number',
				default: 0,
				description: 'Only messages newer than this message ID',
			},
			{
				displayName: 'Before Message ID',
				name: 'before',
				type: 'number',
				default: 0,
				description: 'Only messages older than this message ID',
			},
			{
				displayName: 'Updated After',
				name: 'updatedAt',
				type: 'dateTime',
				default: '',
				description: 'Only messages created or changed after this time (a date, or epoch milliseconds)',
			},
		],
	},
	rawOutputField('message', ['getMany']),

	// Update Status
	{
		displayName: 'Message IDs',
		name: 'messageIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: '101, 102',
		description: 'IDs of the messages, separated by commas (an array from an expression works too)',
		displayOptions: show(['updateStatus']),
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Delivered', value: 'delivered' },
			{ name: 'Failed', value: 'failed' },
			{ name: 'Seen', value: 'seen' },
			{ name: 'Sent', value: 'sent' },
		],
		default: 'seen',
		displayOptions: show(['updateStatus']),
	},

	// Set Interactive Value
	messageIdField(['setInteractiveValue'], 'ID of the interactive message (quick reply, feedback or card)'),
	{
		displayName: 'Value',
		name: 'value',
		type: 'string',
		required: true,
		default: '',
		description: 'The chosen value (for example a quick reply button value) or the feedback text',
		displayOptions: show(['setInteractiveValue']),
	},

	// Delete
	messageIdField(['delete'], "ID of the contact's message to delete"),

	// React
	messageIdField(['react'], 'ID of the message to react to'),
	{
		displayName: 'Action',
		name: 'reactionAction',
		type: 'options',
		options: [
			{ name: 'Add or Change', value: 'set', description: 'Set the contact’s reaction to an emoji' },
			{ name: 'Remove', value: 'remove', description: 'Remove the contact’s reaction' },
		],
		default: 'set',
		displayOptions: show(['react']),
	},
	{
		displayName: 'Emoji',
		name: 'reaction',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. a thumbs-up emoji',
		description: 'One emoji from the set NovaTalks accepts (thumbs up, heart, fire, …)',
		displayOptions: { show: { resource: ['message'], operation: ['react'], reactionAction: ['set'] } },
	},
];
