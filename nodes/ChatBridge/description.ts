import type { INodeProperties } from 'n8n-workflow';

const forOperations = (...operation: string[]) => ({ show: { operation } });

export const bridgeProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'relay',
		options: [
			{
				name: 'End Chat',
				value: 'end',
				action: 'End a bridged chat',
				description: 'Close the link and end the conversation on the side that has the chat',
			},
			{
				name: 'Get Transcript',
				value: 'getTranscript',
				action: 'Get the transcript of a chat',
				description: "Every side's messages of a chat, in conversation order",
			},
			{
				name: 'Hand Over',
				value: 'handOver',
				action: 'Hand a chat over to the desk',
				description: 'Open a conversation on the desk, send it the transcript and link it',
			},
			{
				name: 'Record Message',
				value: 'record',
				action: 'Record a message in the transcript',
				description: "Keep an event's message in its chat's transcript without relaying it",
			},
			{
				name: 'Relay',
				value: 'relay',
				action: 'Relay an event to where it belongs',
				description:
					"Deliver a ChatEvent or a front-end message to the bot, the desk or the customer; hand over on escalation, end with the session",
			},
		],
	},
	{
		displayName: 'Bot',
		name: 'bot',
		type: 'options',
		default: 'ultimate',
		options: [
			{ name: 'JAICP', value: 'jaicp' },
			{ name: 'Ultimate', value: 'ultimate' },
		],
		description: 'The bot the customer talks to first',
	},
	{
		displayName: 'Desk',
		name: 'desk',
		type: 'options',
		default: 'novatalks',
		options: [
			{ name: 'Concierge', value: 'concierge' },
			{ name: 'Expertflow', value: 'expertflow' },
			{ name: 'NovaTalks', value: 'novatalks' },
		],
		description: 'The human desk the chat is handed over to',
	},
	{
		displayName: 'Event',
		name: 'event',
		type: 'json',
		default: '={{ $json }}',
		required: true,
		displayOptions: forOperations('relay', 'record'),
		description:
			"A ChatEvent from any trigger of this package, or the customer front end's JSON ({conversationId, text, replyUrl, ...}) as a Webhook node gives it",
	},
	{
		displayName: 'Chat ID',
		name: 'chatId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: forOperations('handOver', 'end', 'getTranscript'),
		description: "The front end's conversationId of the chat",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Bridge Name',
				name: 'bridgeName',
				type: 'string',
				default: 'chat_bridge',
				description:
					'Names the Data Tables that keep the links and transcripts (&lt;name&gt;_links, &lt;name&gt;_messages); bridges with different names never see each other\'s chats',
			},
			{
				displayName: 'Customer Name',
				name: 'customerName',
				type: 'string',
				default: 'Web customer',
				description: 'The name the desk shows when the front end sends none (customer.name)',
			},
			{
				displayName: 'End Notice',
				name: 'endNotice',
				type: 'string',
				default: 'The chat has ended.',
				description: 'What the customer is told when the bot or the desk ends the chat (empty: nothing)',
			},
			{
				displayName: 'End on Session End',
				name: 'endOnSessionEnd',
				type: 'boolean',
				default: true,
				description: 'Whether a session_ended event from the bot (before hand-over) or the desk ends the chat',
			},
			{
				displayName: 'Expertflow Channel',
				name: 'expertflowChannel',
				type: 'string',
				default: 'web',
				description: 'The channel of the chat request made on Expertflow at hand-over (web, fb, sms, twitter or your own)',
			},
			{
				displayName: 'Hand Over on Escalation',
				name: 'handOverOnEscalation',
				type: 'boolean',
				default: true,
				description: "Whether the bot's escalation event hands the chat over to the desk",
			},
			{
				displayName: 'Hand-Over Notice',
				name: 'handOverNotice',
				type: 'string',
				default: 'An agent has joined the chat.',
				description: 'What the customer is told once the desk has the chat (empty: nothing)',
			},
			{
				displayName: 'Transcript Header',
				name: 'transcriptHeader',
				type: 'string',
				default: 'Handed over by the bot. Transcript so far:',
				description: 'The first line of the transcript the desk gets',
			},
			{
				displayName: 'Unknown Conversations',
				name: 'unknownConversation',
				type: 'options',
				default: 'error',
				options: [
					{ name: 'Error', value: 'error', description: 'Fail the item: the message would be lost otherwise' },
					{ name: 'Send to Not Relayed', value: 'notRelayed', description: 'For triggers that also hear conversations of other workflows' },
				],
				description: 'What to do with a message from a conversation no chat of this bridge is linked to',
			},
		],
	},
];
