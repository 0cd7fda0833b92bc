import type { ICredentialDataDecryptedObject, ICredentialType, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_SOCKET_PATH, extraRequestParts, type ExpertflowCredentialData } from '../nodes/Expertflow/settings';

/**
 * Expertflow Hybrid Chat's Customer Channel API has no authentication of its own; deployments behind
 * an auth proxy need extra headers or query parameters, which go on every REST call and on the
 * Socket.IO handshake. There is no harmless REST endpoint to test with, so the credential is tested
 * by the Expertflow node opening (and closing) a Socket.IO connection (`testedBy`).
 */
export class ExpertflowApi implements ICredentialType {
	name = 'expertflowApi';

	displayName = 'Expertflow API';

	icon = 'file:../nodes/Expertflow/expertflow.svg' as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-chat-bridge#expertflow';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'serverUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://chat.example.com',
			description: 'Address of the Hybrid Chat server; REST calls go to <Server URL>/api/customer/…',
		},
		{
			displayName: 'Socket.IO URL',
			name: 'socketUrl',
			type: 'string',
			default: '',
			placeholder: 'https://chat.example.com:8443',
			description: 'Origin of the Socket.IO server, when it differs from the Server URL (another host or port)',
		},
		{
			displayName: 'Socket.IO Path',
			name: 'socketPath',
			type: 'string',
			default: DEFAULT_SOCKET_PATH,
			description: 'Path the Socket.IO server listens on',
		},
		{
			displayName: 'Transport',
			name: 'transport',
			type: 'options',
			options: [
				{ name: 'HTTP Long-Polling, Then WebSocket', value: 'pollingThenWebsocket' },
				{ name: 'WebSocket Only', value: 'websocket' },
			],
			default: 'pollingThenWebsocket',
			description: 'How Socket.IO connects: its default (polling upgraded to WebSocket) or WebSocket right away',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- holds the auth proxy's tokens
		{
			displayName: 'Extra Headers',
			name: 'extraHeaders',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '{"Authorization": "Bearer …"}',
			description: 'JSON object of headers for deployments behind an auth proxy; sent on REST calls and the Socket.IO handshake',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- holds the auth proxy's tokens
		{
			displayName: 'Extra Query Parameters',
			name: 'extraQuery',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '{"token": "…"}',
			description: 'JSON object of query parameters sent on REST calls and the Socket.IO handshake',
		},
		// eslint-disable-next-line @n8n/community-nodes/credential-unnecessary-password -- holds the auth proxy's tokens
		{
			displayName: 'Socket.IO Auth',
			name: 'socketAuth',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '{"token": "…"}',
			description: 'JSON object sent as the Socket.IO handshake auth payload, if the server asks for one',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description: 'Whether to connect even if the TLS certificate cannot be verified (self-signed certificates)',
		},
	];

	/** Adds the extra headers and query parameters to every REST call. */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const { headers, query } = extraRequestParts(credentials as ExpertflowCredentialData);
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, ...headers },
			qs: { ...requestOptions.qs, ...query },
		};
	}
}
