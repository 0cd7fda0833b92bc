import type { INodeProperties } from 'n8n-workflow';

import { HIDDEN_WHEN_REPLYING, replyToProperties } from '../../shared/reply-address';
import { chatSessionIdField } from './common';

const showFor = (operation: string[], extra: Record<string, unknown[]> = {}) => ({
	show: { resource: ['message'], operation, ...extra },
});

const contentTypeOption = (autoDescription: string): INodeProperties => ({
	displayName: 'Content Type',
	name: 'contentType',
	type: 'options',
	default: 'auto',
	options: [
		{ name: 'Automatic', value: 'auto', description: autoDescription },
		{ name: 'File', value: 'FILE' },
		{ name: 'Image', value: 'IMAGE' },
	],
});

const metadataOption: INodeProperties = {
	displayName: 'Metadata',
	name: 'metadata',
	type: 'json',
	default: '{}',
	description: 'Any extra keys to store with the message (sent as the API\'s "metdata" field)',
};

export const messageOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		default: 'sendText',
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get the messages of a chat session, page by page',
				action: 'Get many messages',
			},
			{
				name: 'Mark Seen',
				value: 'markSeen',
				description: 'Mark a concierge message as seen',
				action: 'Mark a message as seen',
			},
			{
				name: 'Send File',
				value: 'sendFile',
				description: 'Upload a file or image from binary data and send it',
				action: 'Send a file',
			},
			{
				name: 'Send File by URL',
				value: 'sendFileUrl',
				description: 'Send a file or image that is already online',
				action: 'Send a file by URL',
			},
			{
				name: 'Send Text',
				value: 'sendText',
				description: 'Send a text message',
				action: 'Send a text message',
			},
			{
				name: 'Unsend',
				value: 'unsend',
				description: 'Take back a message the tenant sent',
				action: 'Unsend a message',
			},
		],
	},
];

export const messageFields: INodeProperties[] = [
	...replyToProperties('Concierge', { resource: ['message'], operation: ['sendFile', 'sendFileUrl', 'sendText'] }),
	chatSessionIdField({ ...showFor(['getMany', 'markSeen', 'sendFile', 'sendFileUrl', 'sendText', 'unsend']), hide: HIDDEN_WHEN_REPLYING }),
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 3 },
		description: 'The message to send',
		displayOptions: showFor(['sendText']),
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the input binary field containing the file to send',
		displayOptions: showFor(['sendFile']),
	},
	{
		displayName: 'File URL',
		name: 'fileUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://example.com/floor-plan.pdf',
		description: 'Public URL of the file or image',
		displayOptions: showFor(['sendFileUrl']),
	},
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '133',
		description: 'The message (its messageId in ChatEvents)',
		displayOptions: showFor(['markSeen', 'unsend']),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showFor(['sendText']),
		options: [metadataOption],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showFor(['sendFile']),
		options: [
			contentTypeOption('Image for image/* MIME types, File otherwise'),
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				description: 'Name to upload the file under (default: the binary data\'s file name)',
			},
			metadataOption,
			{
				displayName: 'Upload Type',
				name: 'uploadType',
				type: 'string',
				default: 'chat-images',
				description: 'The "type" the upload URL is requested for (the folder the file is stored in)',
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showFor(['sendFileUrl']),
		options: [contentTypeOption('Image when the URL ends in an image extension, File otherwise'), metadataOption],
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: showFor(['getMany']),
	},
	{
		displayName: 'Page',
		name: 'page',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1 },
		description: 'Which page of messages to get',
		displayOptions: showFor(['getMany'], { returnAll: [false] }),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: showFor(['getMany'], { returnAll: [false] }),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(['getMany']),
		options: [
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				default: 50,
				typeOptions: { minValue: 1 },
				description: 'Messages per request when returning all',
				displayOptions: { show: { '/returnAll': [true] } },
			},
			{
				displayName: 'Raw Output',
				name: 'rawOutput',
				type: 'boolean',
				default: false,
				description: 'Whether to output the messages as the service sends them instead of ChatEvents',
			},
		],
	},
];
