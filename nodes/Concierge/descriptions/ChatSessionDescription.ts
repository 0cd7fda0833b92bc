import type { INodeProperties } from 'n8n-workflow';

import { chatSessionIdField } from './common';

const showFor = (operation: string[]) => ({ show: { resource: ['chatSession'], operation } });

export const chatSessionOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['chatSession'] } },
		default: 'start',
		options: [
			{
				name: 'End',
				value: 'end',
				description: 'End a chat session; it cannot be reopened',
				action: 'End a chat session',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a chat session, including whether it is closed',
				action: 'Get a chat session',
			},
			{
				name: 'Ping',
				value: 'ping',
				description: 'Keep a chat session alive (the app does this every 30 seconds)',
				action: 'Ping a chat session',
			},
			{
				name: 'Resume',
				value: 'resume',
				description: 'Continue a chat session that is not closed',
				action: 'Resume a chat session',
			},
			{
				name: 'Start',
				value: 'start',
				description: 'Start a new chat session with a concierge',
				action: 'Start a chat session',
			},
		],
	},
];

export const chatSessionFields: INodeProperties[] = [
	chatSessionIdField(showFor(['end', 'get', 'ping', 'resume'])),
	{
		displayName: 'Check Session First',
		name: 'checkOpen',
		type: 'boolean',
		default: true,
		description:
			'Whether to get the session first and fail with a clear error if it is closed (a closed session cannot be resumed)',
		displayOptions: showFor(['resume']),
	},
];
