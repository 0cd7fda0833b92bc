import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { actionWorkflow } from '../helpers/workflow-builder';
import { runWorkflow } from '../helpers/workflow';

/**
 * A provider host that answers every request with a redirect to a second host (another origin),
 * which records what reaches it. Credentials must never reach the second host, whatever the
 * credential type: the node refuses to follow and says why.
 */
interface Seen {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
	const server = http.createServer(handler);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

let other: { server: http.Server; url: string };
let provider: { server: http.Server; url: string };
let seenByOther: Seen[];
let seenByProvider: Seen[];
let redirectStatus: number;

beforeEach(async () => {
	seenByOther = [];
	seenByProvider = [];
	redirectStatus = 307;
	other = await listen((req, res) => {
		seenByOther.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
		req.resume();
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify({ count: 1, conversationId: 'x', payload: {}, data: { uploadUrlData: { uploadURL: `${other.url}/put`, resourceUrl: `${other.url}/r` } } }));
	});
	provider = await listen((req, res) => {
		seenByProvider.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
		req.resume();
		res.writeHead(redirectStatus, { location: `${other.url}${req.url ?? '/'}` });
		res.end();
	});
});

afterEach(async () => {
	for (const { server } of [other, provider]) {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
});

const everything = (seen: Seen[]) => JSON.stringify(seen);

interface Case {
	credential: string;
	type: string;
	parameters: INodeParameters;
	credentials: () => Record<string, ICredentialDataDecryptedObject>;
	/** Values that must not reach the second host. */
	secrets: string[];
	startData?: () => IDataObject[];
}

const JAICP_TOKEN = 'AbCdEfGh:0123456789abcdef0123456789abcdef01234567';
const cases: Case[] = [
	{
		credential: 'ultimateApi',
		type: 'ultimate',
		parameters: { resource: 'conversation', operation: 'startSession', conversationId: 'chat-1' },
		credentials: () => ({ ultimateApi: { apiKey: 'ult-key-5f2d9c1e7a', botId: '618a30beee4e8e87d2f94015', baseUrl: provider.url } }),
		secrets: ['ult-key-5f2d9c1e7a', '618a30beee4e8e87d2f94015'],
	},
	{
		credential: 'novaTalksApi',
		type: 'novaTalks',
		parameters: { resource: 'message', operation: 'updateStatus', contactToken: 'kJGO53QxaEuhHaOU3h5Dc5', messageIds: '1,2', status: 'seen' },
		credentials: () => ({ novaTalksApi: { baseUrl: provider.url } }),
		secrets: ['kJGO53QxaEuhHaOU3h5Dc5'],
	},
	{
		credential: 'jaicpApi',
		type: 'jaicp',
		parameters: { resource: 'unreadCount', operation: 'get', clientId: 'client-1' },
		credentials: () => ({ jaicpApi: { token: JAICP_TOKEN, baseUrl: `${provider.url}/chatapi` } }),
		secrets: [JAICP_TOKEN, encodeURIComponent(JAICP_TOKEN)],
	},
	{
		credential: 'expertflowApi',
		type: 'expertflow',
		parameters: { resource: 'chat', operation: 'initiate', channel: 'web', firstName: 'Jane', phone: '+491701234567' },
		credentials: () => ({
			expertflowApi: {
				serverUrl: provider.url,
				extraHeaders: JSON.stringify({ 'X-Gateway-Key': 'gw-secret-7788aa' }),
				extraQuery: JSON.stringify({ apiKey: 'q-secret-99887766' }),
			},
		}),
		secrets: ['gw-secret-7788aa', 'q-secret-99887766'],
	},
	{
		credential: 'conciergeApi',
		type: 'concierge',
		parameters: { resource: 'message', operation: 'sendFile', chatSessionId: '123', binaryPropertyName: 'data' },
		credentials: () => ({
			conciergeApi: { socketOrigin: 'ws://127.0.0.1:9', accessToken: 'tenant-token-34', deviceId: 'n8n-test', serverUrl: provider.url },
		}),
		secrets: ['tenant-token-34'],
		startData: () => [{ json: {}, binary: { data: { data: Buffer.from('hello').toString('base64'), mimeType: 'text/plain', fileName: 'a.txt' } } }],
	},
];

describe('credentials never follow a redirect to another host', () => {
	it.each(cases)('$credential: a 307 to another host is refused and the other host sees nothing', async (test) => {
		const run = await runWorkflow(actionWorkflow(test.type, test.parameters, { continueOnFail: true }), {
			credentials: test.credentials(),
			startData: test.startData ? [test.startData() as never] : undefined,
		});

		// The provider was asked (with the credential), the other host never was.
		expect(seenByProvider.length).toBeGreaterThanOrEqual(1);
		const leaked = test.secrets.filter((secret) => everything(seenByOther).includes(secret));
		expect(leaked).toEqual([]);
		expect(seenByOther).toEqual([]);
		const [output] = run.json('Action');
		expect(String(output.error)).toMatch(/redirected .* to another host \(http:\/\/127\.0\.0\.1:\d+\)/);
		expect(JSON.stringify(output)).not.toContain(test.secrets[0]);
	});

	it.each([301, 302, 303, 308])('Ultimate: a %i to another host is refused too', async (status) => {
		redirectStatus = status;
		const [ultimate] = cases;
		const run = await runWorkflow(actionWorkflow(ultimate.type, ultimate.parameters, { continueOnFail: true }), {
			credentials: ultimate.credentials(),
		});
		expect(seenByOther).toEqual([]);
		expect(String(run.json('Action')[0].error)).toContain(`answered ${status}`);
	});
});
