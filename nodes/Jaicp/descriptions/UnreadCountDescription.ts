import type { INodeProperties } from 'n8n-workflow';

import { clientIdField, operationField } from './common';

const RESOURCE = 'unreadCount';

export const unreadCountOperations: INodeProperties[] = [
	operationField(
		RESOURCE,
		[
			{
				name: 'Get',
				value: 'get',
				description: 'Get how many messages the client has not read',
				action: 'Get the unread count',
			},
		],
		'get',
	),
];

export const unreadCountFields: INodeProperties[] = [clientIdField(RESOURCE, ['get'])];
