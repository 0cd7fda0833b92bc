import type { ICredentialDataDecryptedObject, ICredentialTestFunctions } from 'n8n-workflow';
import path from 'node:path';

import { Expertflow } from '../../nodes/Expertflow/Expertflow.node';
import { closePooledConnections } from '../../nodes/Expertflow/actions/connection-pool';
import { describeConnectError } from '../../nodes/Expertflow/connect-errors';
import { ExpertflowEmulator } from '../emulators/expertflow';
import { closedPort } from '../helpers/ports';
import { startTrigger } from '../helpers/trigger';
import { waitFor } from '../helpers/wait';
import { readWorkflow, runWorkflow } from '../helpers/workflow';
import { credentialsFor, emulatorPerTest, expertflowAction, selfSignedTls, sendAsCustomer } from './helpers';

/** The credential test n8n runs from the credential dialog (the node's testedBy method). */
async function testCredential(data: ICredentialDataDecryptedObject) {
	const test = new Expertflow().methods.credentialTest.testExpertflowConnection;
	return await test.call({} as ICredentialTestFunctions, { id: '1', name: 'Expertflow account', type: 'expertflowApi', data });
}

const PROXY = {
	headers: { 'X-Proxy-Key': 'header-secret-123' },
	query: { token: 'query-secret-456' },
	auth: { token: 'auth-secret-789' },
};
const proxyCredential = {
	extraHeaders: JSON.stringify(PROXY.headers),
	extraQuery: JSON.stringify(PROXY.query),
	socketAuth: JSON.stringify(PROXY.auth),
};

describe('Expertflow credential', () => {
	let emulator: ExpertflowEmulator;

	afterEach(async () => {
		await closePooledConnections();
		await emulator.close();
	});

	it('is tested by opening and closing a Socket.IO connection', async () => {
		emulator = await ExpertflowEmulator.start({ requireHeaders: PROXY.headers });

		expect(await testCredential({ serverUrl: emulator.url, ...proxyCredential })).toEqual({
			status: 'OK',
			message: 'Connected to the Expertflow Socket.IO server',
		});
		await waitFor(() => emulator.connectedSockets === 0, 3000, () => 'the test connection to close');
		expect(emulator.initRequests).toHaveLength(0);

		const refused = await testCredential({ serverUrl: emulator.url });
		expect(refused).toEqual({
			status: 'Error',
			message: `Could not connect to the Expertflow server at ${emulator.url}/socket.io: the server refused the connection (unauthorized (X-Proxy-Key))`,
		});

		const port = await closedPort();
		expect((await testCredential({ serverUrl: `http://127.0.0.1:${port}` })).message).toBe(
			`Could not connect to the Expertflow server at http://127.0.0.1:${port}/socket.io: the connection was refused (is the server running?)`,
		);
		expect(await testCredential({ serverUrl: emulator.url, extraHeaders: '{"X-Proxy-Key": ' })).toEqual({
			status: 'Error',
			message: 'Extra Headers must be a JSON object, for example {"X-Api-Key": "…"}',
		});
		expect((await testCredential({ serverUrl: emulator.url, socketPath: 'socket.io' })).message).toBe(
			'Socket.IO Path must start with "/", for example /socket.io',
		);
	});

	it('sends extra headers, query parameters and auth through an auth proxy on REST and Socket.IO, and never shows them', async () => {
		emulator = await ExpertflowEmulator.start({
			requireHeaders: PROXY.headers,
			requireQuery: PROXY.query,
			requireAuth: PROXY.auth,
		});
		const credentials = credentialsFor(emulator, { ...proxyCredential, transport: 'websocket' });

		const initiated = await runWorkflow(expertflowAction({ resource: 'chat', operation: 'initiate', channel: 'web', phone: '+15550100' }), {
			credentials,
		});
		expect(initiated.status).toBe('success');
		const [{ conversationId, participant }] = initiated.json('Action') as Array<{ conversationId: string; participant: { id: string } }>;
		expect(emulator.initRequests[0].headers['x-proxy-key']).toBe('header-secret-123');

		const sent = await runWorkflow(
			expertflowAction({ resource: 'message', operation: 'send', conversationId, participantId: participant.id, text: 'through the proxy' }),
			{ credentials },
		);
		expect(sent.status).toBe('success');
		const [handshake] = emulator.handshakes;
		expect(handshake.headers['x-proxy-key']).toBe('header-secret-123');
		expect(handshake.query).toMatchObject({ token: 'query-secret-456', transport: 'websocket' });
		expect(handshake.auth).toEqual({ token: 'auth-secret-789' });

		const transcript = await runWorkflow(expertflowAction({ resource: 'transcript', operation: 'get', conversationId, type: 'email' }), {
			credentials,
		});
		expect(transcript.nodeError('Action')?.message).toMatch(/still active/);
		expect(emulator.transcriptRequests[0].headers['x-proxy-key']).toBe('header-secret-123');

		const refused = await runWorkflow(
			expertflowAction({ resource: 'message', operation: 'send', conversationId, participantId: participant.id, text: 'x' }),
			{ credentials: credentialsFor(emulator, { ...proxyCredential, socketAuth: '{"token": "wrong-secret-000"}' }) },
		);
		const error = refused.nodeError('Action');
		expect(error?.message).toBe(
			`Could not connect to the Expertflow server at ${emulator.url}/socket.io: the server refused the connection (unauthorized (token))`,
		);
		const shown = JSON.stringify([initiated.run.data, sent.run.data, transcript.run.data, refused.run.data]);
		for (const secret of ['header-secret-123', 'query-secret-456', 'auth-secret-789', 'wrong-secret-000']) {
			expect(shown).not.toContain(secret);
		}
	});

	it('refuses a self-signed certificate with a hint, and accepts it when told to ignore SSL issues', async () => {
		emulator = await ExpertflowEmulator.start({ tls: selfSignedTls() });
		const conversation = emulator.createConversation();
		const send = sendAsCustomer(conversation, { text: 'over TLS' });

		const strict = await runWorkflow(send, { credentials: credentialsFor(emulator) });
		expect(strict.nodeError('Action')?.message).toBe(
			`Could not connect to the Expertflow server at ${emulator.url}/socket.io: the TLS certificate was not accepted (self-signed certificate); for a self-signed certificate turn on "Ignore SSL Issues" in the credential`,
		);

		const relaxed = await runWorkflow(send, { credentials: credentialsFor(emulator, { ignoreSslIssues: true }) });
		expect(relaxed.status).toBe('success');
		const initiated = await runWorkflow(expertflowAction({ resource: 'chat', operation: 'initiate', channel: 'web', phone: '1' }), {
			credentials: credentialsFor(emulator, { ignoreSslIssues: true }),
		});
		expect(initiated.status).toBe('success');
		expect(conversation.messages.map((message) => message.text)).toEqual(['over TLS']);
	});
});

describe('examples/expertflow-connector.json', () => {
	let emulator: ExpertflowEmulator;
	emulatorPerTest((started) => (emulator = started));

	it('opens a reply chat for each campaign SMS handed to the connector and leaves the agent a whisper', async () => {
		const workflow = readWorkflow(path.join(__dirname, '../../examples/expertflow-connector.json'));
		const trigger = await startTrigger(workflow, { credentials: credentialsFor(emulator), runDownstream: true });
		try {
			await waitFor(() => emulator.connectors.has('sms'), 3000, () => 'the connector to register');
			emulator.handToConnector('sms', { text: 'Spring sale: 20% off until Sunday', refId: '+491701234567' });
			await waitFor(() => trigger.runs.length === 1, 3000, () => 'the workflow to run');
			const run = await trigger.runs[0];

			expect(run.status).toBe('success');
			expect(emulator.initRequests[0].body).toMatchObject({
				channel: 'sms',
				phone: '+491701234567',
				refId: '+491701234567',
				subject: 'campaign-replies',
				comment: 'Campaign message: Spring sale: 20% off until Sunday',
			});
			const [conversation] = emulator.conversations.values();
			expect(conversation.messages).toEqual([
				expect.objectContaining({
					type: 'ChatMessage',
					tag: 'whisper',
					from: { id: conversation.customer.id, name: '+491701234567' },
					text: 'This customer was sent: Spring sale: 20% off until Sunday',
				}),
			]);
			expect(run.json('Note for Agent')[0]).toMatchObject({ conversationId: conversation.id, confirmedBy: 'ack' });
		} finally {
			await trigger.close();
		}
	});
});

describe('Expertflow connection errors', () => {
	it('describes Socket.IO connection failures in plain words', () => {
		const transport = (description: unknown, context?: unknown) =>
			Object.assign(new Error('xhr poll error'), { type: 'TransportError', description, context });
		expect(describeConnectError(transport(403))).toEqual({
			cause: 'auth',
			text: 'the server answered HTTP 403 (check the extra headers, query parameters or auth)',
		});
		expect(describeConnectError(transport(0, { responseText: 'Error: getaddrinfo ENOTFOUND chat.invalid' }))).toEqual({
			cause: 'network',
			text: 'the host name was not found',
		});
		expect(describeConnectError(Object.assign(new Error('timeout'), {}))).toEqual({ cause: 'timeout', text: 'the server did not answer in time' });
		expect(describeConnectError(Object.assign(new Error('Not authorized'), { data: { message: 'token expired' } }))).toEqual({
			cause: 'auth',
			text: 'the server refused the connection (token expired)',
		});
	});
});
