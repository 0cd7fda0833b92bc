import type { INodeProperties } from 'n8n-workflow';

export const unreadCountOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['unreadCount'] } },
		default: 'get',
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get how many concierge messages the tenant has not seen yet',
				action: 'Get the unread message count',
			},
		],
	},
];
