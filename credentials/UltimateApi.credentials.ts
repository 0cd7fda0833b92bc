import type { IAuthenticateGeneric, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Ultimate (Zendesk AI agents) Chat API: the API key goes raw into `Authorization` (no "Bearer"),
 * the bot ID into `botid`. The connection test lives on the Ultimate node (`testedBy`), because
 * it has to read a 400 as "key and bot accepted".
 */
export class UltimateApi implements ICredentialType {
	name = 'ultimateApi';

	displayName = 'Ultimate API';

	icon = 'file:../nodes/Ultimate/ultimate.svg' as const;

	documentationUrl = 'https://developer.zendesk.com/api-reference/ai-agents/chat/chat-api/';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The Chat API key, sent as it is in the Authorization header',
		},
		{
			displayName: 'Bot ID',
			name: 'botId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '618a30beee4e8e87d2f94015',
			description: "The bot's 24-character ID, as in the dashboard URL of the bot",
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.ultimate.ai',
			description: 'Where the Chat API lives; change it for a Zendesk-hosted region',
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. When set, the Ultimate Trigger only accepts webhook calls that carry this value in the secret header (configure the same header in the Ultimate dashboard)',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '={{$credentials.apiKey}}',
				botid: '={{$credentials.botId}}',
			},
		},
	};
}
