import type { INodeProperties } from 'n8n-workflow';

export const settingsOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['settings'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get the SDK channel settings (no contact token needed)',
				action: 'Get the SDK settings',
			},
		],
		default: 'get',
	},
];

export const settingsFields: INodeProperties[] = [];
