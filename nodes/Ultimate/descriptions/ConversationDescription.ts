import type { INodeProperties } from 'n8n-workflow';

import { HIDDEN_WHEN_REPLYING, replyToProperties } from '../../shared/reply-address';
import { keyValueCollection } from './keyValueCollection';

const showFor = (...operation: string[]) => ({ show: { resource: ['conversation'], operation } });

const metadata = (description: string) =>
	keyValueCollection({
		name: 'metadata',
		displayName: 'Metadata',
		entryName: 'Metadata',
		description,
		keyDescription: 'Name of the session parameter the bot can use',
		valueDescription: 'Value of the parameter; Ultimate keeps text values only',
	});

export const conversationOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{
				name: 'Click Button',
				value: 'clickButton',
				description: "Press one of the bot's buttons",
				action: 'Click a button',
			},
			{
				name: 'End Session',
				value: 'endSession',
				description: 'End the conversation (when the chat is closed)',
				action: 'End a session',
			},
			{
				name: 'Select Card',
				value: 'selectCard',
				description: "Press a button on one of the bot's carousel cards",
				action: 'Select a carousel card',
			},
			{
				name: 'Send Message',
				value: 'sendMessage',
				description: "Send the visitor's text to the bot",
				action: 'Send a message',
			},
			{
				name: 'Send Metadata',
				value: 'sendMetadata',
				description: 'Store session parameters the bot can use to personalize the conversation',
				action: 'Send metadata',
			},
			{
				name: 'Start Session',
				value: 'startSession',
				description: 'Start a conversation; the bot answers with its welcome message on the trigger',
				action: 'Start a session',
			},
		],
		default: 'sendMessage',
	},
];

export const conversationFields: INodeProperties[] = [
	...replyToProperties('Ultimate', { resource: ['conversation'], operation: ['sendMessage', 'clickButton', 'selectCard'] }),
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		default: '',
		displayOptions: showFor('startSession'),
		description:
			'Your ID for the new conversation (platformConversationId). Leave empty to generate one; the output returns it.',
	},
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { ...showFor('sendMessage', 'clickButton', 'selectCard', 'sendMetadata', 'endSession'), hide: HIDDEN_WHEN_REPLYING },
		description: 'The ID the conversation was started with (the trigger outputs it as conversationId)',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 3 },
		displayOptions: showFor('sendMessage'),
		description: 'What the visitor typed',
	},
	{
		displayName: 'Button Text',
		name: 'buttonText',
		type: 'string',
		required: true,
		default: '',
		displayOptions: showFor('clickButton', 'selectCard'),
		description: "The button's text as the bot sent it (the trigger outputs it as buttons[].value)",
	},
	{
		displayName: 'Card Index',
		name: 'cardIndex',
		type: 'number',
		required: true,
		default: 0,
		typeOptions: { minValue: 0, numberPrecision: 0 },
		displayOptions: showFor('selectCard'),
		description: 'Position of the card in the carousel, counted from 0',
	},
	{ ...metadata('The session parameters to store'), displayOptions: showFor('sendMetadata') },
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor('startSession', 'sendMessage', 'clickButton', 'selectCard'),
		options: [metadata('Session parameters sent along with this event')],
	},
];
