import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Where the Chat Bridge keeps its links and transcripts: this n8n's own Data Tables, reached through
 * n8n's public API with an API key (Settings > n8n API), so every n8n process (main, workers, webhook
 * processors) sees the same links. The key goes only to the n8n URL given here.
 */
export class ChatBridgeApi implements ICredentialType {
	name = 'chatBridgeApi';

	displayName = 'Chat Bridge Store API';

	icon = 'file:../nodes/ChatBridge/chatBridge.svg' as const;

	documentationUrl = 'https://docs.n8n.io/api/authentication/';

	properties: INodeProperties[] = [
		{
			displayName: 'n8n URL',
			name: 'baseUrl',
			type: 'string',
			default: 'http://localhost:5678',
			required: true,
			description: "This n8n's address as its own processes reach it (the public API is at <URL>/api/v1)",
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'An n8n API key with the scopes dataTable:create, dataTable:list, dataTable:read, dataTableRow:create, dataTableRow:read and dataTableRow:update',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { 'X-N8N-API-KEY': '={{$credentials.apiKey}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "").replace(/\\/api\\/v1$/, "")}}/api/v1',
			url: '/data-tables',
			qs: { limit: 1 },
		},
	};
}
