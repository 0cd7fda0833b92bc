import type { INodeProperties } from 'n8n-workflow';

import { HIDDEN_WHEN_REPLYING } from '../../shared/reply-address';

/** The contact's pubsub token (Create Conversation outputs it as `contactToken`). */
export function contactTokenField(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Contact Token',
		name: 'contactToken',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		placeholder: '={{ $json.contactToken }}',
		description:
			"The contact's pubsub token, as Create Conversation returns it (contactToken). It is sent in the access_token header.",
		displayOptions: { show: { resource: [resource], operation: operations }, hide: HIDDEN_WHEN_REPLYING },
	};
}

/** The Raw Output switch every operation that returns messages has. */
export function rawOutputField(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Raw Output',
		name: 'rawOutput',
		type: 'boolean',
		default: false,
		description: "Whether to output NovaTalks' own message objects instead of ChatEvents",
		displayOptions: { show: { resource: [resource], operation: operations } },
	};
}
