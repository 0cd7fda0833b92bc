import type { INodeProperties } from 'n8n-workflow';

import { clientIdField, operationField, showFor } from './common';

const RESOURCE = 'chatState';

export const chatStateOperations: INodeProperties[] = [
	operationField(
		RESOURCE,
		[
			{
				name: 'Load',
				value: 'load',
				description: 'Load the object saved for a client',
				action: 'Load chat state',
			},
			{
				name: 'Save',
				value: 'save',
				description: 'Save any JSON object for a client (JAICP does not check it)',
				action: 'Save chat state',
			},
		],
		'save',
	),
];

export const chatStateFields: INodeProperties[] = [
	clientIdField(RESOURCE, ['save', 'load']),
	{
		displayName: 'State (JSON)',
		name: 'state',
		type: 'json',
		required: true,
		default: '{}',
		description: 'Object to save; a later Load returns it as it was',
		displayOptions: showFor(RESOURCE, ['save']),
	},
];
