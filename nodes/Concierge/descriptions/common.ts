import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_REPLY_TIMEOUT_MS } from '../protocol';

/** The chat session a resource's operations act on. */
export function chatSessionIdField(displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Chat Session ID',
		name: 'chatSessionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '4482e256-da14-47cc-b119-9575bbb3b6d3',
		description: 'The chat session (its conversationId in ChatEvents)',
		displayOptions,
	};
}

export const replyTimeoutOption: INodeProperties = {
	displayName: 'Reply Timeout (Ms)',
	name: 'replyTimeout',
	type: 'number',
	default: DEFAULT_REPLY_TIMEOUT_MS,
	typeOptions: { minValue: 1 },
	description:
		'How long to wait for the connection to open and for the reply to each request (the gateway gives up after 29 seconds)',
};
