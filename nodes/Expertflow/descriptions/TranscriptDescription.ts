import type { INodeProperties } from 'n8n-workflow';

import { conversationIdField, REST_TIMEOUT_DESCRIPTION, timeoutOption } from './common';

const get = { resource: ['transcript'], operation: ['get'] };

export const transcriptOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['transcript'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a transcript',
				description: 'Get the transcript of an ended chat as a PDF file, or have it emailed',
			},
		],
		default: 'get',
	},
];

export const transcriptFields: INodeProperties[] = [
	conversationIdField(get),
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{ name: 'PDF', value: 'pdf', description: 'Download the transcript as a PDF file' },
			{ name: 'Email', value: 'email', description: 'Have the server email the transcript' },
		],
		default: 'pdf',
		displayOptions: { show: get },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the output binary field to put the PDF in',
		displayOptions: { show: { ...get, type: ['pdf'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: get },
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				description: 'Name of the PDF file; transcript-&lt;conversation ID&gt;.pdf when empty',
			},
			timeoutOption(REST_TIMEOUT_DESCRIPTION),
			{
				displayName: 'Max File Size (MB)',
				name: 'maxFileSizeMb',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 64,
				description: 'A larger answer is an error, and is not read into memory',
			},
		],
	},
];
