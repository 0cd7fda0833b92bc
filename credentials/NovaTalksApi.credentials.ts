import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * One NovaTalks SDK channel. The contact's pubsub token is not stored here: Create Conversation
 * returns it and later operations take it as the Contact Token parameter, so one credential serves
 * every conversation of the channel.
 */
export class NovaTalksApi implements ICredentialType {
	name = 'novaTalksApi';

	displayName = 'NovaTalks API';

	icon = { light: 'file:../nodes/NovaTalks/novatalks.svg', dark: 'file:../nodes/NovaTalks/novatalks.dark.svg' } as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-chat-bridge#novatalks';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://devlight.cloud.novatalks.com.ua',
			placeholder: 'https://your-desk.cloud.novatalks.com.ua',
			description: 'Origin of the NovaTalks installation (the SDK API lives under /api/v1/sdk)',
			required: true,
		},
		{
			displayName: 'WebSocket URL',
			name: 'webSocketUrl',
			type: 'string',
			default: '',
			placeholder: 'wss://your-desk.cloud.novatalks.com.ua/ws',
			description:
				'Leave empty to derive it from the base URL: wss://&lt;host&gt;/ws (ws:// for an http:// base URL)',
		},
		{
			displayName: 'Account ID',
			name: 'accountId',
			type: 'number',
			default: 1,
			description: 'Account the SDK channel belongs to (sent when subscribing and typing)',
		},
		{
			displayName: 'Push Webhook Bearer Token',
			name: 'pushBearerToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Bearer token the channel sends with push notifications (Authorization: Bearer …). Only the NovaTalks Push Trigger uses it.',
		},
		{
			displayName: 'Push Webhook Header Name',
			name: 'pushHeaderName',
			type: 'string',
			default: '',
			placeholder: 'X-Custom-Header',
			description: 'Custom header the channel sends with push notifications. Only the NovaTalks Push Trigger uses it.',
		},
		{
			displayName: 'Push Webhook Header Value',
			name: 'pushHeaderSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Value the custom header must carry',
		},
	];

	// The SDK settings route needs no contact token and changes nothing: it proves the base URL
	// points at a NovaTalks SDK API.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/api/v1/sdk/settings',
			method: 'GET',
		},
	};
}
