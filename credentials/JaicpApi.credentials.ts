import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * A JAICP Chat API channel: its token (part of every URL path, so it is masked wherever it could
 * show) and the Chat API base URL (on-premise installs have their own).
 */
export class JaicpApi implements ICredentialType {
	name = 'jaicpApi';

	displayName = 'JAICP API';

	icon = 'file:../nodes/Jaicp/jaicp.svg' as const;

	documentationUrl = 'https://help.just-ai.com/docs/en/api/chat_api';

	properties: INodeProperties[] = [
		{
			displayName: 'Chat API Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'Token of the Chat API channel (Channels → Chat API → Edit), like "AbCdEfGh:0123…"',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://app.jaicp.com/chatapi',
			description: 'Chat API base URL, without the token. Older projects use https://bot.jaicp.com/chatapi; on-premise installs have their own.',
		},
	];
	// Tested by the nodes' `jaicpApiTest` (nodes/Jaicp/token-check.ts): it proves the token without a client.
}
