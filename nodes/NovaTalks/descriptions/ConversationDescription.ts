import type { INodeProperties } from 'n8n-workflow';

import { contactTokenField, rawOutputField } from './common';

const show = (operation: string[]) => ({ show: { resource: ['conversation'], operation } });

export const conversationOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a contact and its conversation; outputs the contact token for later operations',
				action: 'Create a conversation',
			},
			{
				name: 'Get',
				value: 'get',
				description: "Get the contact's conversation with its latest messages",
				action: 'Get a conversation',
			},
		],
		default: 'create',
	},
];

export const conversationFields: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Jane Doe',
		description: "The contact's name",
		displayOptions: show(['create']),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show(['create']),
		options: [
			{
				displayName: 'Additional Attributes (JSON)',
				name: 'additionalAttributes',
				type: 'json',
				default: '{}',
				description: "The contact's additional attributes, as a JSON object",
			},
			{
				displayName: 'Custom Attributes (JSON)',
				name: 'customAttributes',
				type: 'json',
				default: '{}',
				description: "The contact's custom attributes, as a JSON object",
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: "The contact's email address (at most 74 characters)",
			},
			{
				displayName: 'First Message',
				name: 'message',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: 'Text the contact opens the conversation with',
			},
			{
				displayName: 'First Message Echo ID',
				name: 'echoId',
				type: 'string',
				default: '',
				description: 'Client-side ID of the first message; generated when empty',
			},
			{
				displayName: 'Phone Number',
				name: 'phoneNumber',
				type: 'string',
				default: '',
				placeholder: '+1415555555',
				description: "The contact's phone number",
			},
		],
	},
	contactTokenField('conversation', ['get']),
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: show(['get']),
	},
	rawOutputField('conversation', ['get']),
];
