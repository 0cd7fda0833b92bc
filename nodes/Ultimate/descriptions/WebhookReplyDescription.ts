import type { INodeProperties } from 'n8n-workflow';

import { keyValueCollection } from './keyValueCollection';

const showFor = (...operation: string[]) => ({ show: { resource: ['webhookReply'], operation } });

export const webhookReplyOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['webhookReply'] } },
		options: [
			{
				name: 'Answer Action',
				value: 'answerAction',
				description:
					'Build the {"results": [...]} answer to an action; end the Ultimate Trigger\'s Action branch with it',
				action: 'Answer an action',
			},
			{
				name: 'Answer Team Online Query',
				value: 'answerTeamOnline',
				description:
					'Build the {"isOnline": …} answer to isTeamOnline; end the workflow with it when the trigger answers from the workflow',
				action: 'Answer a team online query',
			},
		],
		default: 'answerAction',
	},
];

export const webhookReplyFields: INodeProperties[] = [
	{
		displayName:
			"This builds the answer only: the Ultimate Trigger sends the last node's first item back to Ultimate, so this node must be the last one to run",
		name: 'replyNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['webhookReply'] } },
	},
	{
		displayName: 'Team Is Online',
		name: 'isOnline',
		type: 'boolean',
		default: true,
		displayOptions: showFor('answerTeamOnline'),
		description: 'Whether human agents are available to take the conversation',
	},
	{
		displayName: 'Results From',
		name: 'resultsMode',
		type: 'options',
		options: [
			{ name: 'Fields Below', value: 'fields' },
			{ name: 'JSON', value: 'json', description: 'An array of {key, value, sanitize?}, for example from an expression' },
		],
		default: 'fields',
		displayOptions: showFor('answerAction'),
	},
	{
		...keyValueCollection({
			name: 'results',
			displayName: 'Results',
			entryName: 'Result',
			keyDescription: 'The key the action asked for (its data[].key or saveAs)',
		}),
		displayOptions: { show: { resource: ['webhookReply'], operation: ['answerAction'], resultsMode: ['fields'] } },
	},
	{
		displayName: 'Results (JSON)',
		name: 'resultsJson',
		type: 'json',
		default: '[]',
		displayOptions: { show: { resource: ['webhookReply'], operation: ['answerAction'], resultsMode: ['json'] } },
		description: 'An array of objects with key, value and optionally sanitize',
	},
];
