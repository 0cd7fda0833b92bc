import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { INodeParameters } from 'n8n-workflow';
import { createServer, type Server, type Socket } from 'node:net';

import { ExpertflowEmulator, type EmulatedConversation } from '../emulators/expertflow';
import { closedPort } from '../helpers/ports';
import { waitFor } from '../helpers/wait';
import { runWorkflow } from '../helpers/workflow';
import { credentialsFor, emulatorPerTest, expertflowAction, pdfProblems, sendAsCustomer } from './helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Expertflow action node', () => {
	let emulator: ExpertflowEmulator;
	emulatorPerTest((started) => (emulator = started));

	describe('Initiate', () => {
		it('posts the customer to /api/customer/init and returns conversationId, participant and requestId at the top level', async () => {
			const run = await runWorkflow(
				expertflowAction({
					resource: 'chat',
					operation: 'initiate',
					channel: 'sms',
					firstName: 'Jane',
					phone: '+491701234567',
					additionalFields: {
						lastName: 'Doe',
						email: 'jane@example.com',
						language: 'de',
						url: 'https://shop.example.com/cart',
						comment: 'asked for a callback',
						subject: 'billing',
						customFields: { field: [{ name: 'customerTier', value: 'gold' }] },
					},
				}),
				{ credentials: credentialsFor(emulator) },
			);

			expect(run.status).toBe('success');
			const [request] = emulator.initRequests;
			expect(request.headers['content-type']).toMatch(/application\/json/);
			const body = request.body as Record<string, string>;
			expect(body).toMatchObject({
				channel: 'sms',
				firstName: 'Jane',
				lastName: 'Doe',
				email: 'jane@example.com',
				phone: '+491701234567',
				refId: '+491701234567',
				language: 'de',
				url: 'https://shop.example.com/cart',
				comment: 'asked for a callback',
				subject: 'billing',
				customerTier: 'gold',
			});
			expect(body.requestId).toMatch(UUID);
			expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
			expect(Math.abs(Date.parse(body.timestamp) - Date.now())).toBeLessThan(60_000);

			const [item] = run.output('Action');
			const conversation = emulator.conversations.get(item.json.conversationId as string)!;
			expect(conversation.subject).toBe('billing');
			expect(item.json).toMatchObject({
				conversationId: conversation.id,
				participant: { id: conversation.customer.id, name: 'Jane Doe' },
				participantId: conversation.customer.id,
				requestId: body.requestId,
			});
			expect(item.pairedItem).toEqual({ item: 0 });
		});

		it('keeps a given request ID and timestamp, sends a custom channel name, and reads a participant sent as a plain id', async () => {
			const run = await runWorkflow(
				expertflowAction({
					resource: 'chat',
					operation: 'initiate',
					channel: 'custom',
					customChannel: 'whatsapp',
					additionalFields: { refId: 'wa-42', requestId: 'req-7', timestamp: '2025-03-01T10:00:00.000Z' },
				}),
				{ credentials: credentialsFor(emulator) },
			);

			expect(run.status).toBe('success');
			expect(emulator.initRequests[0].body).toEqual({
				channel: 'whatsapp',
				refId: 'wa-42',
				requestId: 'req-7',
				timestamp: '2025-03-01T10:00:00.000Z',
			});
			expect(run.json('Action')[0].requestId).toBe('req-7');

			emulator.participantAsId = true;
			const plain = await runWorkflow(expertflowAction({ resource: 'chat', operation: 'initiate', channel: 'web', phone: '+15550199' }), {
				credentials: credentialsFor(emulator),
			});
			const [answer] = plain.json('Action');
			expect(answer.participant).toEqual(expect.stringMatching(/^customer-/));
			expect(answer.participantId).toBe(answer.participant);
		});

		it('refuses a request without any identifier, naming the item, and continues with the next when asked', async () => {
			const workflow = expertflowAction(
				{
					resource: 'chat',
					operation: 'initiate',
					channel: 'web',
					firstName: '={{$json.name}}',
					phone: '={{$json.phone}}',
				},
				true,
			);
			const run = await runWorkflow(workflow, {
				credentials: credentialsFor(emulator),
				startData: [[{ json: { name: 'No Contact' } }, { json: { name: 'Max', phone: '+15550100' } }]],
			});

			expect(run.status).toBe('success');
			const [failed, succeeded] = run.output('Action');
			expect(failed.json.error).toBe('The chat request needs an identifier (item 0)');
			expect(failed.pairedItem).toEqual({ item: 0 });
			expect(succeeded.json.conversationId).toEqual(expect.any(String));
			expect(succeeded.pairedItem).toEqual({ item: 1 });
			expect(emulator.initRequests).toHaveLength(1);

			const strict = await runWorkflow(expertflowAction({ resource: 'chat', operation: 'initiate', channel: 'web', firstName: 'x' }), {
				credentials: credentialsFor(emulator),
			});
			expect(strict.status).toBe('error');
			expect(strict.nodeError('Action')?.message).toBe('The chat request needs an identifier (item 0)');
		});

		it('retries a 503 and reports a 500 with the server status', async () => {
			emulator.initFailures.push(503);
			const retried = await runWorkflow(
				expertflowAction({ resource: 'chat', operation: 'initiate', channel: 'web', phone: '+15550101' }),
				{ credentials: credentialsFor(emulator) },
			);
			expect(retried.status).toBe('success');
			expect(emulator.initRequests).toHaveLength(2);

			emulator.initFailures.push(500, 500);
			const failed = await runWorkflow(
				expertflowAction({ resource: 'chat', operation: 'initiate', channel: 'web', phone: '+15550101' }),
				{ credentials: credentialsFor(emulator) },
			);
			expect(failed.status).toBe('error');
			expect(failed.nodeError('Action')?.message).toBe('Internal Server Error [500]');
			expect(emulator.initRequests).toHaveLength(3);
		});
	});

	describe('End', () => {
		it('joins as the participant and emits endConversation, confirmed by the server', async () => {
			const conversation = emulator.createConversation({ firstName: 'Jane' });
			const run = await runWorkflow(
				expertflowAction({
					resource: 'chat',
					operation: 'end',
					conversationId: conversation.id,
					participantId: conversation.customer.id,
					participantName: 'Jane',
					options: { keepConnectionOpen: 0 },
				}),
				{ credentials: credentialsFor(emulator) },
			);

			expect(run.status).toBe('success');
			const [result] = run.json('Action');
			expect(result).toMatchObject({ conversationId: conversation.id, ended: true });
			// The server answers with an acknowledgement and with endOfConversation to the room: either confirms.
			expect(['ack', 'event']).toContain(result.confirmedBy);
			expect(emulator.eventsNamed('joinConversation').map((entry) => entry.payload)).toEqual([
				{ conversationId: conversation.id, id: conversation.customer.id, name: 'Jane' },
			]);
			expect(emulator.eventsNamed('endConversation').map((entry) => entry.payload)).toEqual([{ conversationId: conversation.id }]);
			expect(conversation.state).toBe('ended');
			// Keep Connection Open 0: closed with the execution.
			await waitFor(() => emulator.connectedSockets === 0, 2000, () => 'the execution to close its connection');
		});

		it('ends without joining when no participant is given, and reports the refusal of an ended chat', async () => {
			const conversation = emulator.createConversation();
			const workflow = expertflowAction({ resource: 'chat', operation: 'end', conversationId: conversation.id });

			const first = await runWorkflow(workflow, { credentials: credentialsFor(emulator) });
			expect(first.json('Action')[0]).toMatchObject({ ended: true });
			expect(emulator.eventsNamed('joinConversation')).toHaveLength(0);

			const second = await runWorkflow(workflow, { credentials: credentialsFor(emulator) });
			expect(second.status).toBe('error');
			expect(second.nodeError('Action')?.message).toBe(
				`The server refused endConversation (conversation ${conversation.id}): Conversation ${conversation.id} has already ended`,
			);
		});
	});

	describe('Message', () => {
		let conversation: EmulatedConversation;
		const sendAs = (parameters: INodeParameters, continueOnFail = false) =>
			sendAsCustomer(conversation, { participantName: 'Jane Doe', ...parameters }, continueOnFail);

		beforeEach(() => {
			conversation = emulator.createConversation({ firstName: 'Jane', lastName: 'Doe' });
		});

		it('joins once and sends every item as a ChatMessage over one connection', async () => {
			const run = await runWorkflow(sendAs({ text: '={{$json.text}}' }), {
				credentials: credentialsFor(emulator),
				startData: [[{ json: { text: 'Hello' } }, { json: { text: 'Is anyone there?' } }, { json: { text: 'Thanks' } }]],
			});

			expect(run.status).toBe('success');
			expect(emulator.handshakes).toHaveLength(1);
			const joins = emulator.eventsNamed('joinConversation');
			expect(joins.map((entry) => entry.payload)).toEqual([
				{ conversationId: conversation.id, id: conversation.customer.id, name: 'Jane Doe' },
			]);
			const sends = emulator.eventsNamed('sendMessage');
			expect(new Set(sends.map((entry) => entry.socketId))).toEqual(new Set([joins[0].socketId]));
			expect(sends.every((entry) => entry.acked)).toBe(true);
			expect(sends.map((entry) => entry.payload)).toEqual(
				['Hello', 'Is anyone there?', 'Thanks'].map((text) => ({
					id: expect.any(String),
					conversationId: conversation.id,
					type: 'ChatMessage',
					from: { id: conversation.customer.id, name: 'Jane Doe' },
					to: [],
					text,
					timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
				})),
			);
			expect(conversation.messages.map((message) => message.text)).toEqual(['Hello', 'Is anyone there?', 'Thanks']);

			const output = run.output('Action');
			expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(output[1].json).toMatchObject({
				conversationId: conversation.id,
				messageId: (sends[1].payload as { id: string }).id,
				type: 'ChatMessage',
				confirmedBy: 'ack',
			});
			// Kept open (Keep Connection Open, 60 s by default) for the next execution with this credential.
			expect(emulator.connectedSockets).toBe(1);
		});

		it('sends attachments from URLs, from ChatEvent JSON and from binary data, with recipients, whisper and refId', async () => {
			const pdf = Buffer.from('%PDF-1.4 tiny');
			const run = await runWorkflow(
				sendAs({
					text: 'See attached',
					additionalFields: {
						attachments: {
							attachment: [
								{ url: 'https://cdn.example.com/files/invoice%20March.pdf' },
								{ url: 'https://cdn.example.com/p/1', name: 'photo', mimeType: 'image/png', thumbnailUrl: 'https://cdn.example.com/t/1' },
							],
						},
						attachmentsJson: '={{ $json.attachments }}',
						binaryProperties: 'file',
						recipients: { recipient: [{ id: 'agent-1', name: 'Alice' }] },
						whisper: true,
						refId: '+15550123',
					},
				}),
				{
					credentials: credentialsFor(emulator),
					startData: [
						[
							{
								json: { attachments: [{ url: 'https://files.example.com/a.mp3', name: 'voice note', mimeType: 'audio/mpeg' }] },
								binary: { file: { data: pdf.toString('base64'), mimeType: 'application/pdf', fileName: 'terms.pdf' } },
							},
						],
					],
				},
			);

			expect(run.status).toBe('success');
			const [sent] = emulator.eventsNamed('sendMessage').map((entry) => entry.payload as Record<string, unknown>);
			expect(sent).toMatchObject({
				text: 'See attached',
				to: [{ id: 'agent-1', name: 'Alice' }],
				tag: 'whisper',
				refId: '+15550123',
				attachments: [
					{ type: 'application/pdf', name: 'invoice March.pdf', contentUrl: 'https://cdn.example.com/files/invoice%20March.pdf' },
					{ type: 'image/png', name: 'photo', contentUrl: 'https://cdn.example.com/p/1', thumbnailUrl: 'https://cdn.example.com/t/1' },
					{ type: 'audio/mpeg', name: 'voice note', contentUrl: 'https://files.example.com/a.mp3' },
					{ type: 'application/pdf', name: 'terms.pdf', contentUrl: `data:application/pdf;base64,${pdf.toString('base64')}` },
				],
			});
			expect(conversation.messages).toHaveLength(1);
		});

		it('refuses bad input with errors naming the field and item', async () => {
			const big = Buffer.alloc(800 * 1024, 1).toString('base64');
			const run = await runWorkflow(
				sendAs(
					{
						text: '={{$json.text}}',
						additionalFields: { attachmentsJson: '={{ $json.attachments }}', binaryProperties: '={{ $json.binary }}' },
					},
					true,
				),
				{
					credentials: credentialsFor(emulator),
					startData: [
						[
							{ json: { text: '', attachments: [] } },
							{ json: { text: 'x', attachments: [{ url: 'ftp://example.com/a' }] } },
							{ json: { text: 'x', attachments: [], binary: 'file' }, binary: { file: { data: big, mimeType: 'image/png', fileName: 'big.png' } } },
							{ json: { text: 'x', attachments: [], binary: 'missing' } },
							{ json: { text: 'fine', attachments: [] } },
						],
					],
				},
			);

			expect(run.status).toBe('success');
			const errors = run.json('Action').map((json) => json.error);
			expect(errors[0]).toBe('Text is empty and there are no attachments (item 0)');
			expect(errors[1]).toBe('Attachments (JSON): "ftp://example.com/a" is not an HTTP, HTTPS, file or data URL (item 1)');
			expect(errors[2]).toBe('The files in Binary Properties are 800 kB together, over the 700 kB a message can carry inline (item 2)');
			expect(errors[3]).toMatch(/missing/);
			expect(errors[4]).toBeUndefined();
			expect(emulator.eventsNamed('sendMessage')).toHaveLength(1);

			const missingParticipant = await runWorkflow(sendAs({ text: 'hi', participantId: '={{ $json.participant }}' }), {
				credentials: credentialsFor(emulator),
			});
			expect(missingParticipant.nodeError('Action')?.message).toBe('Participant ID is empty (item 0)');
		});

		it('sends an ActivityMessage such as typing, with info and recipients', async () => {
			const run = await runWorkflow(
				expertflowAction({
					resource: 'message',
					operation: 'sendActivity',
					conversationId: conversation.id,
					participantId: conversation.customer.id,
					activityType: 'typing',
					additionalFields: { info: '{"state": "started"}', recipients: { recipient: [{ id: 'agent-1' }] } },
				}),
				{ credentials: credentialsFor(emulator) },
			);

			expect(run.status).toBe('success');
			expect(emulator.eventsNamed('sendMessage')[0].payload).toEqual({
				id: expect.any(String),
				conversationId: conversation.id,
				type: 'ActivityMessage',
				from: { id: conversation.customer.id, name: 'Customer' },
				to: [{ id: 'agent-1' }],
				activityType: 'typing',
				info: { state: 'started' },
				timestamp: expect.any(String),
			});
			expect(run.json('Action')[0]).toMatchObject({ type: 'ActivityMessage', confirmedBy: 'ack' });
		});

		it('is confirmed by the echo of a server that does not acknowledge, or not at all when asked', async () => {
			emulator.acks = false;
			emulator.echoToSender = true;
			const echoed = await runWorkflow(sendAs({ text: 'echo me', options: { timeout: 2000 } }), { credentials: credentialsFor(emulator) });
			expect(echoed.json('Action')[0]).toMatchObject({ confirmedBy: 'event' });

			emulator.echoToSender = false;
			const unconfirmed = await runWorkflow(sendAs({ text: 'fire and forget', options: { waitForConfirmation: false } }), {
				credentials: credentialsFor(emulator),
			});
			expect(unconfirmed.json('Action')[0]).toMatchObject({ confirmedBy: 'none' });
			await waitFor(() => conversation.messages.length === 2, 2000, () => 'the unconfirmed message to arrive');
		});

		it('turns missing acknowledgements into per-item errors within the timeout', async () => {
			emulator.acks = false;
			const started = Date.now();
			const run = await runWorkflow(sendAs({ text: '={{$json.text}}', options: { timeout: 400 } }, true), {
				credentials: credentialsFor(emulator),
				startData: [[{ json: { text: 'one' } }, { json: { text: 'two' } }]],
			});

			expect(run.status).toBe('success');
			expect(run.json('Action').map((json) => json.error)).toEqual([
				`No confirmation of sendMessage (ChatMessage, conversation ${conversation.id}) within 400 ms (no acknowledgement from the server)`,
				`No confirmation of sendMessage (ChatMessage, conversation ${conversation.id}) within 400 ms (no acknowledgement from the server)`,
			]);
			expect(Date.now() - started).toBeLessThan(5000);
			// The join was confirmed by conversationInfo, which the server sends even without acknowledgements.
			expect(emulator.eventsNamed('joinConversation')).toHaveLength(1);

			const failing = await runWorkflow(sendAs({ text: 'strict', options: { timeout: 300 } }), { credentials: credentialsFor(emulator) });
			expect(failing.status).toBe('error');
			expect(failing.nodeError('Action')?.description).toMatch(/Wait for Confirmation/);
		});

		it('reports a join the server refuses, per item', async () => {
			emulator.endChat(conversation.id);
			const run = await runWorkflow(sendAs({ text: 'too late' }, true), { credentials: credentialsFor(emulator) });
			expect(run.json('Action')[0].error).toBe(
				`The server refused joinConversation (conversation ${conversation.id}): Conversation ${conversation.id} has ended`,
			);
		});

		it('fails the item whose message was cut off by a dropped connection, then reconnects and joins again for the next', async () => {
			let sends = 0;
			emulator.intercept = (event) => (event === 'sendMessage' && ++sends === 2 ? 'drop' : undefined);
			const run = await runWorkflow(sendAs({ text: '={{$json.text}}' }, true), {
				credentials: credentialsFor(emulator),
				startData: [[{ json: { text: 'first' } }, { json: { text: 'lost' } }, { json: { text: 'third' } }]],
			});

			expect(run.status).toBe('success');
			const output = run.json('Action');
			expect(output[0]).toMatchObject({ confirmedBy: 'ack' });
			expect(output[1].error).toBe(`The connection dropped before sendMessage (ChatMessage, conversation ${conversation.id}) was confirmed`);
			expect(output[2]).toMatchObject({ confirmedBy: 'ack' });
			expect(emulator.handshakes).toHaveLength(2);
			expect(emulator.eventsNamed('joinConversation')).toHaveLength(2);
			expect(conversation.messages.map((message) => message.text)).toEqual(['first', 'third']);
		});
	});

	describe('Transcript', () => {
		const transcript = (conversationId: string, type: 'pdf' | 'email', extra: Record<string, unknown> = {}, continueOnFail = false) =>
			expertflowAction({ resource: 'transcript', operation: 'get', conversationId, type, ...extra }, continueOnFail);

		it('answers "still active" while the chat is ongoing and returns the PDF as binary once it has ended', async () => {
			const conversation = emulator.createConversation({ firstName: 'Jane' });
			emulator.agentSays(conversation.id, 'Hello Jane (how can I help?)');

			const early = await runWorkflow(transcript(conversation.id, 'pdf'), { credentials: credentialsFor(emulator) });
			expect(early.status).toBe('error');
			expect(early.nodeError('Action')?.message).toBe(
				`Conversation ${conversation.id} is still active: its transcript is available only after the chat has ended [404]`,
			);
			expect(emulator.transcriptRequests).toHaveLength(1);

			emulator.endChat(conversation.id);
			const run = await runWorkflow(transcript(conversation.id, 'pdf', { binaryPropertyName: 'transcript' }), {
				credentials: credentialsFor(emulator),
			});

			expect(run.status).toBe('success');
			const [item] = run.output('Action');
			expect(item.json).toMatchObject({ conversationId: conversation.id, type: 'pdf', fileName: `transcript-${conversation.id}.pdf` });
			const binary = item.binary!.transcript;
			expect(binary).toMatchObject({ mimeType: 'application/pdf', fileName: `transcript-${conversation.id}.pdf`, fileExtension: 'pdf' });
			const pdf = await Container.get(BinaryDataService).getAsBuffer(binary);
			expect(pdfProblems(pdf)).toEqual([]);
			expect(pdf.toString('latin1')).toContain('(Alice: Hello Jane \\(how can I help?\\)) Tj');
			expect(item.json.fileSize).toBe(pdf.length);
			expect(emulator.transcriptRequests[1].headers.accept).toBe('application/pdf');
		});

		it('has the transcript emailed, and names a custom file name', async () => {
			const conversation = emulator.createConversation();
			emulator.endChat(conversation.id);

			const emailed = await runWorkflow(transcript(conversation.id, 'email'), { credentials: credentialsFor(emulator) });
			expect(emailed.json('Action')).toEqual([{ conversationId: conversation.id, type: 'email', requested: true, statusCode: 200 }]);
			expect(emulator.emailedTranscripts).toEqual([conversation.id]);

			const named = await runWorkflow(transcript(conversation.id, 'pdf', { options: { fileName: 'chat.pdf' } }), {
				credentials: credentialsFor(emulator),
			});
			expect(named.output('Action')[0].binary?.data.fileName).toBe('chat.pdf');
		});
	});

	describe('Connection faults', () => {
		const send = { resource: 'message', operation: 'send', conversationId: 'c-1', participantId: 'p-1', text: 'hi' };

		it('turns a refused connection into one clear error per item, without retrying per item', async () => {
			const port = await closedPort();
			const started = Date.now();
			const run = await runWorkflow(expertflowAction(send, true), {
				credentials: credentialsFor(`http://127.0.0.1:${port}`),
				startData: [[{ json: {} }, { json: {} }, { json: {} }]],
			});

			expect(run.status).toBe('success');
			const expected = `Could not connect to the Expertflow server at http://127.0.0.1:${port}/socket.io: the connection was refused (is the server running?)`;
			expect(run.json('Action').map((json) => json.error)).toEqual([expected, expected, expected]);
			expect(Date.now() - started).toBeLessThan(5000);

			const strict = await runWorkflow(expertflowAction(send), { credentials: credentialsFor(`http://127.0.0.1:${port}`) });
			expect(strict.status).toBe('error');
			expect(strict.nodeError('Action')?.message).toBe(expected);
		});

		it('gives up on a server that accepts but never answers, within the timeout', async () => {
			const sockets: Socket[] = [];
			const silent: Server = createServer((socket) => sockets.push(socket));
			await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
			const { port } = silent.address() as { port: number };
			try {
				const started = Date.now();
				const run = await runWorkflow(expertflowAction({ ...send, options: { timeout: 500 } }), {
					credentials: credentialsFor(`http://127.0.0.1:${port}`),
				});
				expect(run.status).toBe('error');
				expect(run.nodeError('Action')?.message).toMatch(
					new RegExp(`^Could not connect to the Expertflow server at http://127.0.0.1:${port}/socket.io: (no answer within 500 ms|the server did not answer in time)$`),
				);
				expect(Date.now() - started).toBeLessThan(4000);
			} finally {
				sockets.forEach((socket) => socket.destroy());
				await new Promise<void>((resolve) => silent.close(() => resolve()));
			}
		});

		it('names a bad server URL or Socket.IO path', async () => {
			const badUrl = await runWorkflow(expertflowAction(send), { credentials: credentialsFor('chat.example.com') });
			expect(badUrl.nodeError('Action')?.message).toBe(
				'Server URL "chat.example.com" is not a valid URL (expected something like https://chat.example.com)',
			);

			const badScheme = await runWorkflow(expertflowAction({ resource: 'chat', operation: 'initiate', channel: 'web', phone: '1' }), {
				credentials: credentialsFor('ftp://chat.example.com'),
			});
			expect(badScheme.nodeError('Action')?.message).toBe('Server URL must start with http:// or https://');

			const wrongPath = await runWorkflow(expertflowAction(send), { credentials: credentialsFor(emulator, { socketPath: '/chat/socket.io' }) });
			expect(wrongPath.nodeError('Action')?.message).toBe(
				`Could not connect to the Expertflow server at ${emulator.url}/chat/socket.io: the server answered HTTP 404 (is the Socket.IO path right?)`,
			);
		});
	});
});
