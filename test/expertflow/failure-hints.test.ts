import { createServer, type Server, type Socket } from 'node:net';

import { closePooledConnections } from '../../nodes/Expertflow/actions/connection-pool';
import { ExpertflowEmulator } from '../emulators/expertflow';
import { closedPort } from '../helpers/ports';
import { runWorkflow } from '../helpers/workflow';
import { credentialsFor, expertflowAction, selfSignedTls, sendAsCustomer } from './helpers';

/** A server that accepts TCP connections and never answers: neither the Socket.IO handshake nor REST. */
async function hangingServer(): Promise<{ url: string; close: () => Promise<void> }> {
	const sockets: Socket[] = [];
	const server: Server = createServer((socket) => sockets.push(socket));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${port}`,
		close: async () => {
			sockets.forEach((socket) => socket.destroy());
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

const CONFIRMATION_HINT = /Wait for Confirmation/;

describe('Expertflow: what to check, per kind of failure', () => {
	const send = { resource: 'message', operation: 'send', conversationId: 'c-1', participantId: 'p-1', text: 'hi' };
	let emulator: ExpertflowEmulator | undefined;
	let hanging: Awaited<ReturnType<typeof hangingServer>> | undefined;

	afterEach(async () => {
		await closePooledConnections();
		await emulator?.close();
		emulator = undefined;
		await hanging?.close();
		hanging = undefined;
	});

	it('a connection that never opens is not told to turn off Wait for Confirmation', async () => {
		hanging = await hangingServer();
		const timedOut = await runWorkflow(expertflowAction({ ...send, options: { timeout: 500 } }), { credentials: credentialsFor(hanging.url) });
		const timeoutError = timedOut.nodeError('Action');
		expect(timeoutError?.description).toMatch(/^The Socket\.IO handshake never finished/);
		expect(timeoutError?.description).not.toMatch(CONFIRMATION_HINT);

		const port = await closedPort();
		const refused = await runWorkflow(expertflowAction(send), { credentials: credentialsFor(`http://127.0.0.1:${port}`) });
		expect(refused.nodeError('Action')?.description).toMatch(/^Nothing accepts connections at that address/);

		emulator = await ExpertflowEmulator.start({ requireHeaders: { 'x-api-key': 'key-1234' } });
		const rejected = await runWorkflow(expertflowAction(send), { credentials: credentialsFor(emulator) });
		expect(rejected.nodeError('Action')?.description).toMatch(/refused the handshake: check Extra Headers/);
		await emulator.close();

		emulator = await ExpertflowEmulator.start({ tls: selfSignedTls() });
		const tls = await runWorkflow(expertflowAction(send), { credentials: credentialsFor(emulator) });
		expect(tls.nodeError('Action')?.description).toMatch(/TLS certificate was not accepted/);
	});

	it('an open connection whose events are never acknowledged is told about Wait for Confirmation', async () => {
		emulator = await ExpertflowEmulator.start();
		const conversation = emulator.createConversation({ firstName: 'Jane' });
		emulator.acks = false;
		emulator.answerJoins = false;
		const run = await runWorkflow(sendAsCustomer(conversation, { text: 'hi', options: { timeout: 300 } }), {
			credentials: credentialsFor(emulator),
		});
		expect(run.nodeError('Action')?.description).toMatch(CONFIRMATION_HINT);
	});

	it('REST calls to a hanging server give up after Options > Timeout', async () => {
		hanging = await hangingServer();
		const started = Date.now();
		const initiated = await runWorkflow(
			expertflowAction({ resource: 'chat', operation: 'initiate', channel: 'web', phone: '1', options: { timeout: 500 } }),
			{ credentials: credentialsFor(hanging.url) },
		);
		const initiateMs = Date.now() - started;
		expect(initiated.status).toBe('error');
		const transcriptStarted = Date.now();
		const transcript = await runWorkflow(
			expertflowAction({ resource: 'transcript', operation: 'get', conversationId: 'c-1', type: 'pdf', options: { timeout: 500 } }),
			{ credentials: credentialsFor(hanging.url) },
		);
		const transcriptMs = Date.now() - transcriptStarted;
		expect(transcript.status).toBe('error');
		console.log(`expertflow: REST on a hanging server failed after ${initiateMs} ms (init) and ${transcriptMs} ms (transcript): ${initiated.nodeError('Action')?.message}`);
		expect(initiateMs).toBeLessThan(3000);
		expect(transcriptMs).toBeLessThan(3000);
	});
});
