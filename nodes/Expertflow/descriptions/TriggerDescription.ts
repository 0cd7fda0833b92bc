import { linkedFollowProperties } from '../../shared/linked-conversations';
import { orderOptions } from '../../shared/trigger-options';
import type { INodeProperties } from 'n8n-workflow';

import { ACTIVITY_TYPES } from '../protocol';

/** Activity types emitted unless the user picks others: greetings and typing are left out (chatty). */
export const DEFAULT_ACTIVITY_TYPES = ACTIVITY_TYPES.filter((type) => type !== 'greetings' && type !== 'typing');

const ACTIVITY_NAMES: Record<(typeof ACTIVITY_TYPES)[number], string> = {
	greetings: 'Greetings',
	typing: 'Typing',
	participantAdded: 'Participant Added',
	participantRemoved: 'Participant Removed',
	participantJoined: 'Participant Joined',
	participantLeft: 'Participant Left',
	handOff: 'Hand Off',
	noAgentAvailable: 'No Agent Available',
	endOfConversation: 'End of Conversation',
};

const conversationMode = { mode: ['conversation'] };
/** Modes that join conversations as their customer participant: listed ones, or the bridge's. */
const joiningModes = { mode: ['conversation', 'bridge'] };
const connectorMode = { mode: ['connector'] };

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Conversation',
				value: 'conversation',
				description: 'Join conversations as their customer participant and emit what arrives',
			},
			{
				name: 'Connector',
				value: 'connector',
				description: 'Register as a channel connector and emit the third-party messages the server hands it',
			},
			{
				name: 'Chats Handed Over by a Chat Bridge',
				value: 'bridge',
				description: 'Join every conversation a Chat Bridge node opens at hand-over, as its customer participant, until its chat ends',
			},
		],
		default: 'conversation',
	},
	...linkedFollowProperties({ mode: ['bridge'] }),
	{
		displayName: 'Conversations',
		name: 'conversations',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Conversation',
		default: {},
		required: true,
		description: 'Conversations to join, each with the participant Chat > Initiate returned for it',
		displayOptions: { show: conversationMode },
		options: [
			{
				displayName: 'Conversation',
				name: 'conversation',
				values: [
					{ displayName: 'Conversation ID', name: 'conversationId', type: 'string', default: '', required: true },
					{ displayName: 'Participant ID', name: 'participantId', type: 'string', default: '', required: true },
					{ displayName: 'Participant Name', name: 'participantName', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: [
			{ name: 'Activity Messages', value: 'activityMessage', description: 'Typing, participants joining or leaving, hand-off, end of conversation, …' },
			{ name: 'Chat Messages', value: 'chatMessage', description: 'Text and attachments from agents and bots' },
			{ name: 'Conversation Info', value: 'conversationInfo', description: 'The conversation\'s details, sent after each join (emitted when its state changes)' },
		],
		default: ['chatMessage', 'activityMessage'],
		displayOptions: { show: joiningModes },
	},
	{
		displayName: 'Activity Types',
		name: 'activityTypes',
		type: 'multiOptions',
		options: ACTIVITY_TYPES.map((type) => ({ name: ACTIVITY_NAMES[type], value: type })).sort((a, b) =>
			a.name.localeCompare(b.name),
		),
		default: [...DEFAULT_ACTIVITY_TYPES],
		description: 'Activity messages to emit; none selected means every type',
		displayOptions: { show: { ...joiningModes, events: ['activityMessage'] } },
	},
	{
		displayName: 'Connector ID',
		name: 'connectorId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'sms',
		description: 'ID the chat server knows the connector by; the same as the channel name',
		displayOptions: { show: connectorMode },
	},
	{
		displayName: 'Connector Name',
		name: 'connectorName',
		type: 'string',
		default: 'n8n',
		description: 'Friendly name of the connector',
		displayOptions: { show: connectorMode },
	},
	{
		displayName: 'Channel',
		name: 'connectorChannel',
		type: 'string',
		default: '',
		description: 'Name of the channel; the connector ID when empty',
		displayOptions: { show: connectorMode },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Connector Events',
				name: 'connectorEvents',
				type: 'string',
				default: 'messageArrived',
				description: 'Comma-separated Socket.IO events that carry third-party messages to the connector',
				displayOptions: { show: { '/mode': ['connector'] } },
			},
			{
				displayName: 'Emit Earlier Messages on Start',
				name: 'emitHistory',
				type: 'boolean',
				default: false,
				description: 'Whether to emit the messages a conversation already had when the trigger first joined it',
				displayOptions: { show: { '/mode': ['conversation'] } },
			},
			{
				displayName: 'Include Own Messages',
				name: 'includeOwnMessages',
				type: 'boolean',
				default: false,
				description: 'Whether to emit messages sent as the joined participant too (for example by the Expertflow node)',
				displayOptions: { show: { '/mode': ['conversation', 'bridge'] } },
			},
			{
				displayName: 'Max Reconnect Attempts',
				name: 'maxReconnectAttempts',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10,
				description:
					'Reconnect attempts after a dropped connection (delays grow from 0.2 s to 30 s, with jitter) before the trigger reports an error',
			},
			{
				displayName: 'Raw Output',
				name: 'rawOutput',
				type: 'boolean',
				default: false,
				description: 'Whether to output the server\'s payload instead of the ChatEvent',
			},
			{
				displayName: 'Timeout (Ms)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 100 },
				default: 10000,
				description: 'How long to wait for the connection and for each join to be confirmed',
			},
			...orderOptions,
		],
	},
];
