import type { INodeProperties } from 'n8n-workflow';

import { MESSAGE_STATUSES } from '../protocol';
import { clientIdField, operationField, showFor } from './common';

const RESOURCE = 'messageStatus';

const statusOptions = MESSAGE_STATUSES.map((status) => ({
	name: status
		.toLowerCase()
		.split('_')
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' '),
	value: status,
}));

export const messageStatusOperations: INodeProperties[] = [
	operationField(
		RESOURCE,
		[
			{
				name: 'Get',
				value: 'get',
				description: 'Get the status of a message the bot sent',
				action: 'Get a message status',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Set the status of a message',
				action: 'Update a message status',
			},
			{
				name: 'Update Many',
				value: 'updateMany',
				description: 'Set the statuses of several messages at once',
				action: 'Update many message statuses',
			},
		],
		'get',
	),
];

export const messageStatusFields: INodeProperties[] = [
	clientIdField(RESOURCE, ['get', 'update', 'updateMany']),
	{
		displayName: 'Question ID',
		name: 'questionId',
		type: 'string',
		required: true,
		default: '',
		description: 'ID of the message (questionId, the messageId of a ChatEvent)',
		displayOptions: showFor(RESOURCE, ['get', 'update']),
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: statusOptions,
		default: 'READ',
		displayOptions: showFor(RESOURCE, ['update']),
	},
	{
		displayName: 'Statuses',
		name: 'statuses',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Status',
		default: {},
		displayOptions: showFor(RESOURCE, ['updateMany']),
		options: [
			{
				displayName: 'Status',
				name: 'status',
				values: [
					{
						displayName: 'Question ID',
						name: 'questionId',
						type: 'string',
						default: '',
						description: 'ID of the message',
					},
					{
						displayName: 'Status',
						name: 'status',
						type: 'options',
						options: statusOptions,
						default: 'READ',
					},
				],
			},
		],
	},
];
