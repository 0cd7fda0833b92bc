import type { INodeProperties } from 'n8n-workflow';

import { clientIdField, operationField, replyOutputOptions, showFor } from './common';

const RESOURCE = 'history';

export const historyOperations: INodeProperties[] = [
	operationField(
		RESOURCE,
		[
			{
				name: 'Get',
				value: 'get',
				description: 'Get the conversation history of a client',
				action: 'Get history',
			},
		],
		'get',
	),
];

export const historyFields: INodeProperties[] = [
	clientIdField(RESOURCE, ['get']),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: showFor(RESOURCE, ['get']),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { resource: [RESOURCE], operation: ['get'], returnAll: [false] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(RESOURCE, ['get']),
		options: [
			{
				displayName: 'From',
				name: 'from',
				type: 'dateTime',
				default: '',
				description: 'Start of the period; empty: from the first message',
			},
			{
				displayName: 'To',
				name: 'to',
				type: 'dateTime',
				default: '',
				description: 'End of the period; empty: up to now',
			},
			{
				displayName: 'Max Entries (Return All)',
				name: 'maxEntries',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10000,
				description: 'With Return All, the most entries read: a longer history is an error (narrow From and To, or raise this), so a server that ignores paging cannot fill the memory',
			},
			...replyOutputOptions,
		],
	},
];
