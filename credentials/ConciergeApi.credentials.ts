import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/**
 * ServiceMind concierge chat, tenant side: the access token authorizes the WebSocket (as `Auth` in
 * the connect URL) and the REST call that hands out file upload URLs.
 */
export class ConciergeApi implements ICredentialType {
	name = 'conciergeApi';

	displayName = 'Concierge API';

	icon = 'file:../nodes/Concierge/concierge.svg' as const;

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-chat-bridge#concierge-servicemind';

	properties: INodeProperties[] = [
		{
			displayName: 'WebSocket URL',
			name: 'socketOrigin',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'wss://abc123.execute-api.ap-southeast-1.amazonaws.com/uat',
			description: 'The socket origin of the concierge API (AWS API Gateway WebSocket stage URL)',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The tenant access token; sent as the Auth query parameter when the socket connects',
		},
		{
			displayName: 'Device ID',
			name: 'deviceId',
			type: 'string',
			default: 'n8n',
			required: true,
			description: 'Identifies this client to the service (the deviceId query parameter)',
		},
		{
			displayName: 'Server URL',
			name: 'serverUrl',
			type: 'string',
			default: '',
			placeholder: 'https://api.example.com',
			description:
				'REST server that hands out file upload URLs (POST {Server URL}/file-new/get-upload-url). Needed only to send files from binary data.',
		},
		{
			displayName: 'Server Authentication',
			name: 'uploadAuthentication',
			type: 'options',
			default: 'bearer',
			description: 'How requests to the REST server carry the access token',
			options: [
				{ name: 'Bearer Token', value: 'bearer', description: 'Authorization: Bearer <access token>' },
				{ name: 'Custom Header', value: 'header', description: 'The access token as the value of a header you name' },
				{ name: 'None', value: 'none', description: 'Send no credentials' },
			],
		},
		{
			displayName: 'Header Name',
			name: 'uploadAuthHeader',
			type: 'string',
			default: 'Authorization',
			displayOptions: { show: { uploadAuthentication: ['header'] } },
			description: 'Header that carries the access token as it is',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description: 'Whether to connect (socket and REST server) even if the SSL certificate cannot be verified',
		},
	];

	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const token = String(credentials.accessToken ?? '');
		const mode = credentials.uploadAuthentication ?? 'bearer';
		if (mode === 'none' || token === '') return requestOptions;
		const name = mode === 'header' ? String(credentials.uploadAuthHeader || 'Authorization') : 'Authorization';
		const value = mode === 'header' ? token : `Bearer ${token}`;
		return { ...requestOptions, headers: { ...requestOptions.headers, [name]: value } };
	};
}
