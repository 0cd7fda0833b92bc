import { closePooledConnections, pooledConnectionKeys } from '../../nodes/Expertflow/actions/connection-pool';
import { ExpertflowEmulator } from '../emulators/expertflow';
import { waitFor } from '../helpers/wait';
import { runWorkflow } from '../helpers/workflow';
import { credentialsFor, sendAsCustomer } from './helpers';

/** A routing flow runs the action node once per message: each run must not open a socket and join again. */
describe('Expertflow action node: one connection across executions', () => {
	let emulator: ExpertflowEmulator;

	beforeEach(async () => {
		emulator = await ExpertflowEmulator.start();
	});

	afterEach(async () => {
		await closePooledConnections();
		await emulator.close();
	});

	const joins = () => emulator.eventsNamed('joinConversation').length;

	it('8 executions for 2 chats: 1 connection, 1 join per chat, every message delivered', async () => {
		const chats = [emulator.createConversation({ firstName: 'Ann' }), emulator.createConversation({ firstName: 'Bo' })];
		for (let round = 0; round < 4; round++) {
			for (const chat of chats) {
				const run = await runWorkflow(sendAsCustomer(chat, { text: `message ${round}` }), { credentials: credentialsFor(emulator) });
				expect(run.status).toBe('success');
			}
		}
		console.log(`expertflow: 8 executions for 2 chats -> ${emulator.handshakes.length} connection(s), ${joins()} join(s)`);
		expect(emulator.handshakes).toHaveLength(1);
		expect(joins()).toBe(2);
		for (const chat of chats) expect(chat.messages.map((message) => message.text)).toEqual([0, 1, 2, 3].map((round) => `message ${round}`));
	});

	it('closes the connection once it has been idle for Keep Connection Open', async () => {
		const chat = emulator.createConversation({ firstName: 'Ann' });
		const run = await runWorkflow(sendAsCustomer(chat, { text: 'hi', options: { keepConnectionOpen: 0.3 } }), {
			credentials: credentialsFor(emulator),
		});
		expect(run.status).toBe('success');
		expect(emulator.connectedSockets).toBe(1);
		expect(pooledConnectionKeys()).toHaveLength(1);
		await waitFor(() => emulator.connectedSockets === 0, 2000, () => 'the idle connection to close');
		expect(pooledConnectionKeys()).toEqual([]);

		// The next execution opens a new one and joins again.
		await runWorkflow(sendAsCustomer(chat, { text: 'again', options: { keepConnectionOpen: 0 } }), { credentials: credentialsFor(emulator) });
		expect(emulator.handshakes).toHaveLength(2);
		expect(joins()).toBe(2);
		await waitFor(() => emulator.connectedSockets === 0, 2000, () => 'Keep Connection Open 0 to close at once');
	});

	it('keys connections by a hash of the credential, never its secrets, and keeps credentials apart', async () => {
		await emulator.close();
		emulator = await ExpertflowEmulator.start({ requireHeaders: { 'x-api-key': 'secret-key-123456' } });
		const chat = emulator.createConversation({ firstName: 'Ann' });
		const withKey = credentialsFor(emulator, { extraHeaders: '{"x-api-key": "secret-key-123456"}' });
		await runWorkflow(sendAsCustomer(chat, { text: 'one' }), { credentials: withKey });
		const wrong = await runWorkflow(sendAsCustomer(chat, { text: 'two' }), {
			credentials: credentialsFor(emulator, { extraHeaders: '{"x-api-key": "other-key-999999"}' }),
		});
		expect(wrong.status).toBe('error');
		await runWorkflow(sendAsCustomer(chat, { text: 'three' }), { credentials: withKey });
		expect(chat.messages.map((message) => message.text)).toEqual(['one', 'three']);
		const keys = pooledConnectionKeys();
		expect(keys).toHaveLength(1);
		expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
		expect(keys.join()).not.toContain('secret-key');
	});

	it('joins again after the connection dropped between executions', async () => {
		const chat = emulator.createConversation({ firstName: 'Ann' });
		await runWorkflow(sendAsCustomer(chat, { text: 'before' }), { credentials: credentialsFor(emulator) });
		for (const socket of emulator.io.of('/').sockets.values()) socket.conn.close();
		await waitFor(() => emulator.handshakes.length === 2 && emulator.connectedSockets === 1, 3000, () => 'the reconnect');
		const run = await runWorkflow(sendAsCustomer(chat, { text: 'after' }), { credentials: credentialsFor(emulator) });
		expect(run.status).toBe('success');
		expect(joins()).toBe(2);
		expect(chat.messages.map((message) => message.text)).toEqual(['before', 'after']);
	});
});
