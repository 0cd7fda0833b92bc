import type { INodeProperties } from 'n8n-workflow';

import { HIDDEN_WHEN_REPLYING } from '../../shared/reply-address';

/** Fields every Socket.IO operation shares: the conversation, the participant, the timeout. */

type Show = { resource: string[]; operation: string[] };

export function conversationIdField(show: Show): INodeProperties {
	return {
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		required: true,
		default: '',
		description: 'The conversationId returned by Chat > Initiate',
		displayOptions: { show, hide: HIDDEN_WHEN_REPLYING },
	};
}

export function participantFields(show: Show, required: boolean): INodeProperties[] {
	return [
		{
			displayName: 'Participant ID',
			name: 'participantId',
			type: 'string',
			required,
			default: '',
			description: required
				? 'The participant ID returned by Chat > Initiate; the node joins the conversation as this participant'
				: 'If set, the node first joins the conversation as this participant (the participant ID returned by Chat > Initiate)',
			displayOptions: { show, hide: HIDDEN_WHEN_REPLYING },
		},
		{
			displayName: 'Participant Name',
			name: 'participantName',
			type: 'string',
			default: '',
			description: 'Name shown for the participant in the conversation',
			displayOptions: { show, hide: HIDDEN_WHEN_REPLYING },
		},
	];
}

export function recipientsField(): INodeProperties {
	return {
		displayName: 'Recipients',
		name: 'recipients',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'Participants the message is for; without any it goes to the whole conversation',
		options: [
			{
				displayName: 'Recipient',
				name: 'recipient',
				values: [
					{ displayName: 'ID', name: 'id', type: 'string', default: '', required: true },
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
				],
			},
		],
	};
}

/** An operation's Options collection. */
function optionsCollection(show: Show, options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions: { show }, options };
}

export function socketOptions(show: Show): INodeProperties {
	return optionsCollection(show, [
		timeoutOption('How long to wait for the connection and for the server to confirm each event'),
		{
			displayName: 'Wait for Confirmation',
			name: 'waitForConfirmation',
			type: 'boolean',
			default: true,
			description:
				'Whether to wait until the server acknowledges the event (or echoes it back); turn off for servers that never acknowledge',
		},
		{
			displayName: 'Keep Connection Open (S)',
			name: 'keepConnectionOpen',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 60,
			description:
				'How long the connection, with the conversations it joined, stays open after the execution for the next one with the same credential (in this n8n process); 0 closes it at once',
		},
	]);
}

/** The one timeout option of every operation: Socket.IO events and REST calls alike. */
export function timeoutOption(description: string): INodeProperties {
	return {
		displayName: 'Timeout (Ms)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 100 },
		default: 10000,
		description,
	};
}

export const REST_TIMEOUT_DESCRIPTION = 'How long to wait for the server to answer each request (a retried 503 gets it anew)';

/** Options of a REST operation: its timeout. */
export function restOptions(show: Show): INodeProperties {
	return optionsCollection(show, [timeoutOption(REST_TIMEOUT_DESCRIPTION)]);
}
