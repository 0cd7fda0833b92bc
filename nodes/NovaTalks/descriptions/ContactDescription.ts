import type { INodeProperties } from 'n8n-workflow';

import { contactTokenField } from './common';

const show = (operation: string[]) => ({ show: { resource: ['contact'], operation } });

export const contactOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Delete Push Token',
				value: 'deletePushToken',
				description: "Stop push notifications to one of the contact's push tokens",
				action: 'Delete a push token',
			},
			{
				name: 'Send Typing',
				value: 'sendTyping',
				description: 'Show the agent that the contact is typing (over the WebSocket)',
				action: 'Send typing',
			},
		],
		default: 'sendTyping',
	},
];

export const contactFields: INodeProperties[] = [
	contactTokenField('contact', ['sendTyping', 'deletePushToken']),
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'number',
		required: true,
		default: 0,
		placeholder: '={{ $json.conversationId }}',
		description: 'ID of the contact’s conversation, as Create Conversation outputs it',
		displayOptions: show(['sendTyping']),
	},
	{
		displayName: 'Push Token',
		name: 'pushToken',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description: 'The push token to remove from the conversation’s notifications',
		displayOptions: show(['deletePushToken']),
	},
];
