import type { INodeProperties } from 'n8n-workflow';

import { clientIdField, eventFilterOptions, operationField, replyOutputOptions, showFor } from './common';

const RESOURCE = 'events';

export const eventsOperations: INodeProperties[] = [
	operationField(
		RESOURCE,
		[
			{
				name: 'Get',
				value: 'get',
				description: 'Wait (long poll) for chat events such as operator replies, up to 250 at a time',
				action: 'Get events',
			},
		],
		'get',
	),
];

export const eventsFields: INodeProperties[] = [
	clientIdField(RESOURCE, ['get']),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(RESOURCE, ['get']),
		options: [
			...eventFilterOptions,
			{
				displayName: 'Since',
				name: 'ts',
				type: 'string',
				default: '',
				placeholder: '1700000000000',
				description: 'Only events after this time: epoch milliseconds or a date. Empty: events since the last call to the server.',
			},
			{
				displayName: 'Wait (Seconds)',
				name: 'waitSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 300 },
				default: 30,
				description: 'How long to wait for an event before returning no items',
			},
			...replyOutputOptions,
		],
	},
];
