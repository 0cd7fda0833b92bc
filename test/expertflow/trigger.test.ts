import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { ExpertflowEmulator, type EmulatedConversation } from '../emulators/expertflow';
import { closedPort } from '../helpers/ports';
import { startTrigger, type TriggerHandle } from '../helpers/trigger';
import { delay, waitFor } from '../helpers/wait';
import { closePooledConnections } from '../../nodes/Expertflow/actions/connection-pool';
import { runWorkflow } from '../helpers/workflow';
import { credentialsFor, expertflowTrigger, joining, sendAsCustomer } from './helpers';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('Expertflow Trigger', () => {
	let emulator: ExpertflowEmulator;
	const handles: TriggerHandle[] = [];

	const start = async (parameters: INodeParameters, credential: ICredentialDataDecryptedObject = {}) => {
		const handle = await startTrigger(expertflowTrigger(parameters), { credentials: credentialsFor(emulator, credential) });
		handles.push(handle);
		return handle;
	};
	const texts = (trigger: TriggerHandle) => trigger.json.map((event) => event.text);

	beforeEach(async () => {
		emulator = await ExpertflowEmulator.start();
	});

	afterEach(async () => {
		await Promise.all(handles.splice(0).map((handle) => handle.close()));
		await closePooledConnections();
		await emulator.close();
	});

	describe('Conversation mode', () => {
		let conversation: EmulatedConversation;

		beforeEach(() => {
			conversation = emulator.createConversation({ firstName: 'Jane', lastName: 'Doe' });
		});

		it('joins every conversation as its participant and emits agent, bot and system events as ChatEvents', async () => {
			const second = emulator.createConversation({ firstName: 'Max' });
			second.participants.push({ id: 'bot-9', name: 'Helper', role: 'bot' });
			emulator.agentSays(conversation.id, 'said before the trigger started');
			const trigger = await start({
				mode: 'conversation',
				conversations: {
					conversation: [
						{ conversationId: conversation.id, participantId: conversation.customer.id, participantName: 'Jane Doe' },
						{ conversationId: second.id, participantId: second.customer.id },
					],
				},
			});
			await waitFor(() => emulator.socketsIn(conversation.id) === 1 && emulator.socketsIn(second.id) === 1, 3000, () => 'both joins');
			expect(emulator.eventsNamed('joinConversation').map((entry) => entry.payload)).toEqual([
				{ conversationId: conversation.id, id: conversation.customer.id, name: 'Jane Doe' },
				{ conversationId: second.id, id: second.customer.id, name: 'Customer' },
			]);
			expect(emulator.handshakes).toHaveLength(1);

			emulator.agentJoins(conversation.id);
			emulator.activity(conversation.id, 'typing', { from: { id: 'agent-1', name: 'Alice' } });
			const hello = emulator.agentSays(conversation.id, 'Hi Jane', {
				attachments: [{ type: 'image/png', name: 'map', contentUrl: 'https://cdn.example.com/map.png', thumbnailUrl: 'https://cdn.example.com/t.png' }],
			});
			emulator.agentSays(second.id, 'I can help with that', { from: { id: 'bot-9', name: 'Helper' } });
			emulator.activity(second.id, 'handOff');
			emulator.activity(second.id, 'noAgentAvailable');
			emulator.endChat(conversation.id);

			await trigger.waitForItems(6);
			await delay(100);
			const events = trigger.json;
			expect(events).toHaveLength(6);
			// In order within each conversation; the two conversations run side by side.
			const inConversation = (id: string) => events.filter((event) => event.conversationId === id).map((event) => [event.type, event.status ?? event.text]);
			expect(inConversation(conversation.id)).toEqual([
				['status', 'participantJoined'],
				['message', 'Hi Jane'],
				['session_ended', 'endOfConversation'],
			]);
			expect(inConversation(second.id)).toEqual([
				['message', 'I can help with that'],
				['escalation', 'handOff'],
				['status', 'noAgentAvailable'],
			]);
			const byText = (text: string) => events.find((event) => event.text === text);
			expect(byText('Hi Jane')).toEqual({
				provider: 'expertflow',
				type: 'message',
				conversationId: conversation.id,
				messageId: hello.id,
				from: { role: 'agent', id: 'agent-1', name: 'Alice' },
				text: 'Hi Jane',
				attachments: [{ url: 'https://cdn.example.com/map.png', name: 'map', mimeType: 'image/png' }],
				timestamp: hello.timestamp,
				replyTo: { provider: 'expertflow', conversationId: conversation.id, participantId: conversation.customer.id, participantName: 'Jane Doe' },
				raw: hello,
			});
			expect(events.find((event) => event.status === 'participantJoined')).toMatchObject({ conversationId: conversation.id, from: { role: 'system', id: 'system' }, attachments: [] });
			expect(byText('I can help with that')).toMatchObject({ conversationId: second.id, from: { role: 'bot', id: 'bot-9', name: 'Helper' } });
			expect(events.every((event) => ISO.test(event.timestamp as string))).toBe(true);
		});

		it('filters by event kind and activity type, and emits conversationInfo once per state', async () => {
			const trigger = await start(
				joining(conversation.id, conversation.customer.id, {
					events: ['activityMessage', 'conversationInfo'],
					activityTypes: ['typing', 'greetings'],
				}),
			);
			await trigger.waitForItems(2);
			emulator.agentSays(conversation.id, 'not wanted');
			emulator.agentJoins(conversation.id);
			emulator.activity(conversation.id, 'typing', { from: { id: 'agent-1', name: 'Alice' } });
			await trigger.waitForItems(3);
			await delay(100);

			const events = trigger.json;
			expect(events.map((event) => [event.type, event.status])).toEqual([
				['status', 'active'],
				['session_started', 'greetings'],
				['typing', 'typing'],
			]);
			expect(events[0]).toMatchObject({ conversationId: conversation.id, from: { role: 'system' } });
			expect((events[0].raw as IDataObject).conversation).toMatchObject({ id: conversation.id, state: 'active' });
			expect(events[2].from).toEqual({ role: 'agent', id: 'agent-1', name: 'Alice' });

			// A reconnect brings the same conversationInfo again: it is not emitted twice.
			emulator.dropConnections();
			await waitFor(() => emulator.eventsNamed('joinConversation').length === 2, 3000, () => 'the rejoin');
			emulator.activity(conversation.id, 'typing');
			await trigger.waitForItems(5);
			await delay(100);
			expect(trigger.json.slice(3).map((event) => event.type)).toEqual(['session_started', 'typing']);
		});

		it('outputs the raw payload when asked', async () => {
			const trigger = await start(joining(conversation.id, conversation.customer.id, { options: { rawOutput: true } }));
			await waitFor(() => emulator.socketsIn(conversation.id) === 1, 3000, () => 'the join');
			const message = emulator.agentSays(conversation.id, 'raw please');
			await trigger.waitForItems(1);
			expect(trigger.json).toEqual([message]);
		});

		it('skips what n8n itself sent as the participant, unless asked to include it', async () => {
			const quiet = await start(joining(conversation.id, conversation.customer.id));
			const chatty = await start(joining(conversation.id, conversation.customer.id, { options: { includeOwnMessages: true } }));
			await waitFor(() => emulator.socketsIn(conversation.id) === 2, 3000, () => 'both triggers to join');

			const sent = await runWorkflow(sendAsCustomer(conversation, { text: 'from the customer side' }), {
				credentials: credentialsFor(emulator),
			});
			expect(sent.status).toBe('success');
			emulator.agentSays(conversation.id, 'agent answer');

			await chatty.waitForItems(2);
			await quiet.waitForItems(1);
			await delay(100);
			expect(chatty.json.map((event) => [event.text, (event.from as IDataObject).role])).toEqual([
				['from the customer side', 'customer'],
				['agent answer', 'agent'],
			]);
			expect(texts(quiet)).toEqual(['agent answer']);
		});

		it('resolves a manual test run with the first event and then closes', async () => {
			const running = runWorkflow(expertflowTrigger(joining(conversation.id, conversation.customer.id)), {
				mode: 'manual',
				credentials: credentialsFor(emulator),
			});
			await waitFor(() => emulator.socketsIn(conversation.id) === 1, 3000, () => 'the manual trigger to join');
			emulator.agentSays(conversation.id, 'first');
			emulator.agentSays(conversation.id, 'second');
			const run = await running;
			expect(run.status).toBe('success');
			expect(run.json('Expertflow Trigger').map((event) => event.text)).toEqual(['first']);
			await waitFor(() => emulator.connectedSockets === 0, 3000, () => 'the manual trigger to disconnect');
		});

		it('emits the history on first join only when asked', async () => {
			emulator.agentSays(conversation.id, 'older message');
			const trigger = await start(joining(conversation.id, conversation.customer.id, { options: { emitHistory: true } }));
			await trigger.waitForItems(1);
			expect(texts(trigger)).toEqual(['older message']);
		});

		it('rejoins after a dropped connection and emits what was said meanwhile, nothing twice', async () => {
			const trigger = await start(joining(conversation.id, conversation.customer.id));
			await waitFor(() => emulator.socketsIn(conversation.id) === 1, 3000, () => 'the join');
			emulator.agentSays(conversation.id, 'before the drop');
			await trigger.waitForItems(1);

			emulator.suspend();
			emulator.dropConnections();
			await waitFor(() => emulator.connectedSockets === 0, 3000, () => 'the drop');
			emulator.agentSays(conversation.id, 'during the drop 1');
			emulator.agentSays(conversation.id, 'during the drop 2');
			emulator.resume();
			await waitFor(() => emulator.socketsIn(conversation.id) === 1, 5000, () => 'the rejoin');
			emulator.agentSays(conversation.id, 'after the drop');

			await trigger.waitForItems(4);
			await delay(200);
			expect(texts(trigger)).toEqual(['before the drop', 'during the drop 1', 'during the drop 2', 'after the drop']);
			expect(emulator.eventsNamed('joinConversation')).toHaveLength(2);
			expect(trigger.errors).toEqual([]);
		});

		it('is back and joined soon after a drop, and emits a message delivered twice only once', async () => {
			const trigger = await start(joining(conversation.id, conversation.customer.id));
			await waitFor(() => emulator.socketsIn(conversation.id) === 1, 3000, () => 'the join');

			const droppedAt = Date.now();
			emulator.dropConnections();
			await waitFor(() => emulator.eventsNamed('joinConversation').length === 2 && emulator.socketsIn(conversation.id) === 1, 5000, () => 'the rejoin');
			const backAfterMs = Date.now() - droppedAt;
			console.log(`Expertflow trigger: rejoined ${backAfterMs} ms after a dropped connection`);
			expect(backAfterMs).toBeLessThan(2000);

			emulator.duplicateDeliveries = true;
			emulator.agentSays(conversation.id, 'once');
			emulator.agentSays(conversation.id, 'twice', { id: 'fixed-id' });
			emulator.agentSays(conversation.id, 'twice again', { id: 'fixed-id' });
			await trigger.waitForItems(2);
			await delay(200);
			expect(texts(trigger)).toEqual(['once', 'twice']);
		});

		it('skips malformed and foreign payloads and keeps going', async () => {
			const trigger = await start(joining(conversation.id, conversation.customer.id));
			await waitFor(() => emulator.socketsIn(conversation.id) === 1, 3000, () => 'the join');
			emulator.sendRaw('messageArrived', 'garbage');
			emulator.sendRaw('messageArrived', null);
			emulator.sendRaw('messageArrived', { type: 'SomethingElse', conversationId: conversation.id });
			emulator.sendRaw('messageArrived', { type: 'ChatMessage', conversationId: 'another-conversation', text: 'not ours' });
			emulator.sendRaw('conversationInfo', 42);
			emulator.sendRaw('conversationInfo', { conversation: { id: conversation.id }, messages: 'not a list' });
			emulator.agentSays(conversation.id, 'still fine');
			await trigger.waitForItems(1);
			await delay(100);
			expect(texts(trigger)).toEqual(['still fine']);
			expect(trigger.errors).toEqual([]);
		});

		it('fails activation clearly and quickly when it cannot connect or join', async () => {
			const port = await closedPort();
			await expect(
				startTrigger(expertflowTrigger(joining(conversation.id, conversation.customer.id)), {
					credentials: credentialsFor(`http://127.0.0.1:${port}`),
				}),
			).rejects.toThrow(`Could not connect to the Expertflow server at http://127.0.0.1:${port}/socket.io: the connection was refused (is the server running?)`);

			await expect(start(joining('no-such-conversation', conversation.customer.id))).rejects.toThrow(
				'The server refused joinConversation (conversation no-such-conversation): Unknown conversation no-such-conversation',
			);

			emulator.answerJoins = false;
			const started = Date.now();
			await expect(start(joining(conversation.id, conversation.customer.id, { options: { timeout: 300 } }))).rejects.toThrow(
				`No confirmation of joinConversation (conversation ${conversation.id}) within 300 ms (no acknowledgement from the server)`,
			);
			expect(Date.now() - started).toBeLessThan(3000);

			await expect(start({ mode: 'conversation', conversations: {} })).rejects.toThrow('Add at least one conversation to join');
			await expect(
				startTrigger(expertflowTrigger(joining(conversation.id, conversation.customer.id)), { credentials: credentialsFor('not a url') }),
			).rejects.toThrow('Server URL "not a url" is not a valid URL (expected something like https://chat.example.com)');
			await waitFor(() => emulator.connectedSockets === 0, 3000, () => 'every failed activation to disconnect');
		});

		it('reports to n8n when reconnecting fails for good or the server ends the session', async () => {
			const kicked = await start(joining(conversation.id, conversation.customer.id));
			await waitFor(() => emulator.socketsIn(conversation.id) === 1, 3000, () => 'the join');
			emulator.kickAll();
			expect((await kicked.waitForError(3000)).message).toBe(`The Expertflow server at ${emulator.url}/socket.io closed the session`);

			const trigger = await start(joining(conversation.id, conversation.customer.id, { options: { maxReconnectAttempts: 2 } }));
			await waitFor(() => emulator.socketsIn(conversation.id) === 1, 3000, () => 'the join');
			const url = emulator.url;
			await emulator.close();
			const error = await trigger.waitForError(8000);
			expect(error.message).toBe(`Lost the connection to the Expertflow server at ${url}/socket.io: gave up after 2 reconnect attempts`);
			emulator = await ExpertflowEmulator.start();
		});

		it('stops for good on close: no connection, no event', async () => {
			const trigger = await start(joining(conversation.id, conversation.customer.id));
			await waitFor(() => emulator.socketsIn(conversation.id) === 1, 3000, () => 'the join');
			await trigger.close();
			await waitFor(() => emulator.connectedSockets === 0, 3000, () => 'the trigger to disconnect');
			emulator.agentSays(conversation.id, 'nobody listens');
			await delay(300);
			expect(trigger.emitted).toHaveLength(0);
			expect(emulator.handshakes).toHaveLength(1);
		});
	});

	describe('Connector mode', () => {
		const connector = (extra: INodeParameters = {}) => ({ mode: 'connector', connectorId: 'sms', connectorName: 'n8n SMS', ...extra });

		it('registers the connector and emits the third-party messages handed to it, queued ones included', async () => {
			const queued = emulator.handToConnector('sms', { text: 'Your parcel arrives today', refId: '+491701234567' });
			const trigger = await start(connector());
			await trigger.waitForItems(1);
			expect(emulator.eventsNamed('registerConnector').map((entry) => entry.payload)).toEqual([
				{ id: 'sms', name: 'n8n SMS', channel: 'sms' },
			]);
			const live = emulator.handToConnector('sms', { text: 'Sale starts Monday', refId: '+15550100' });
			await trigger.waitForItems(2);

			expect(trigger.json[0]).toEqual({
				provider: 'expertflow',
				type: 'message',
				conversationId: '+491701234567',
				messageId: queued.id,
				from: { role: 'system', id: 'campaign-manager', name: 'Campaigns' },
				text: 'Your parcel arrives today',
				attachments: [],
				timestamp: queued.timestamp,
				replyTo: { provider: 'expertflow', conversationId: '+491701234567' },
				raw: queued,
			});
			expect(trigger.json[1]).toMatchObject({ conversationId: '+15550100', messageId: live.id, text: 'Sale starts Monday' });
		});

		it('registers again after a drop and delivers what was handed over meanwhile, once', async () => {
			const trigger = await start(connector());
			await waitFor(() => emulator.connectors.has('sms'), 3000, () => 'the registration');

			emulator.suspend();
			emulator.dropConnections();
			await waitFor(() => !emulator.connectors.has('sms'), 3000, () => 'the drop');
			emulator.handToConnector('sms', { text: 'during the drop', refId: '+15550101' });
			emulator.resume();
			await waitFor(() => emulator.connectors.has('sms'), 5000, () => 'the registration after the reconnect');
			emulator.duplicateDeliveries = true;
			emulator.handToConnector('sms', { text: 'after the drop', refId: '+15550102' });

			await trigger.waitForItems(2);
			await delay(200);
			expect(texts(trigger)).toEqual(['during the drop', 'after the drop']);
			expect(emulator.eventsNamed('registerConnector')).toHaveLength(2);
		});

		it('reports a registration the server refuses', async () => {
			const trigger = await start(connector({ connectorChannel: 'whatsapp' }));
			const error = await trigger.waitForError(3000);
			expect(error.message).toBe('The server refused registerConnector (sms): The connector id must be the channel name');
		});

		it('needs a connector ID', async () => {
			await expect(start({ mode: 'connector', connectorId: '   ' })).rejects.toThrow(
				'Connector ID is empty: use the channel name the chat server knows',
			);
		});
	});
});
