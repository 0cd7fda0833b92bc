import type { IDataObject } from 'n8n-workflow';
import { WebSocket } from 'ws';

import { runWorkflow } from '../helpers/workflow';
import { waitFor } from '../helpers/wait';
import { conciergeAction, credentialsFor, useEmulator } from './setup';

describe('Concierge node: messages', () => {
	const emulator = useEmulator();
	const run = (parameters: IDataObject, options: { continueOnFail?: boolean; startData?: IDataObject[] } = {}) =>
		runWorkflow(conciergeAction({ resource: 'message', ...parameters } as never, options.continueOnFail), {
			credentials: credentialsFor(emulator.current),
			startData: options.startData ? [options.startData.map((json) => ({ json }))] : undefined,
		});

	it('sends a text with metadata, spelled "metdata" as the API documents it', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const result = await run({
			operation: 'sendText',
			chatSessionId,
			text: 'Is the gym open tonight?',
			additionalFields: { metadata: '{"source": "n8n", "ticket": 42}' },
		});
		expect(emulator.current.frames('client/send-message').map((frame) => frame.body)).toEqual([
			{ chatSessionId, contentType: 'TEXT', messageContent: 'Is the gym open tonight?', metdata: { source: 'n8n', ticket: 42 } },
		]);
		const [output] = result.json('Action');
		expect(output).toMatchObject({
			chatSessionId,
			chatMessage: { senderEntityType: 'TENANT', messageContent: 'Is the gym open tonight?', metdata: { source: 'n8n', ticket: 42 } },
		});
		expect(emulator.current.messagesOf(chatSessionId)).toHaveLength(1);
	});

	it('rejects an empty text and metadata that is not a JSON object, naming the item', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const empty = await run({ operation: 'sendText', chatSessionId, text: '   ' });
		expect(empty.nodeError('Action')?.message).toBe('Text is empty: there is nothing to send');
		const badJson = await run({ operation: 'sendText', chatSessionId, text: 'hi', additionalFields: { metadata: '{oops' } });
		expect(badJson.nodeError('Action')?.message).toBe('Metadata is not valid JSON');
		const array = await run({ operation: 'sendText', chatSessionId, text: 'hi', additionalFields: { metadata: '[1]' } });
		expect(array.nodeError('Action')?.message).toBe('Metadata must be a JSON object');
		expect((array.nodeError('Action') as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(0);
		expect(emulator.current.frames('client/send-message')).toHaveLength(0);
	});

	it('refuses a message over 128 KB before sending it, and the connection serves the next item', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const result = await run(
			{ operation: 'sendText', chatSessionId, text: '={{ $json.text }}' },
			{ continueOnFail: true, startData: [{ text: 'x'.repeat(140 * 1024) }, { text: 'short one' }] },
		);
		const output = result.json('Action');
		expect(String(output[0].error)).toMatch(
			/^The message is too large to send: \d+ bytes, over the gateway's limit of 131072 bytes \(128 KB\)$/,
		);
		expect(output[1]).toMatchObject({ chatMessage: { messageContent: 'short one' } });
		expect(emulator.current.frames('client/send-message')).toHaveLength(1);
		expect(emulator.current.serverCloses).toEqual([]);
		expect(emulator.current.connectionsOpened).toBe(1);
	});

	it('sends a 60 KB text in frames the gateway takes (it closes on a single frame over 32 KB)', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const text = 'ü'.repeat(30 * 1024); // 60 KB of UTF-8
		const result = await run({ operation: 'sendText', chatSessionId, text });
		expect(result.status).toBe('success');
		expect(emulator.current.messagesOf(chatSessionId)[0].messageContent).toBe(text);
		expect(emulator.current.serverCloses).toEqual([]);

		// The emulator does close a client that sends such a message as one frame, as API Gateway does.
		const raw = new WebSocket(`${emulator.current.socketOrigin}?Auth=tenant-token-34&deviceId=raw`);
		await new Promise((resolve) => raw.once('open', resolve));
		const closed = new Promise<number>((resolve) => raw.once('close', (code) => resolve(code)));
		raw.send(JSON.stringify({ action: 'api', data: { route: 'client/send-message', body: { chatSessionId, contentType: 'TEXT', messageContent: text } } }));
		expect(await closed).toBe(1009);
		expect(emulator.current.serverCloses.map((close) => close.cause)).toEqual(['frame-too-big']);
	});

	it('uploads a binary image through a pre-signed URL and sends it as IMAGE', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 3000 }, (_, i) => i % 256)]);
		const result = await runWorkflow(
			conciergeAction({ resource: 'message', operation: 'sendFile', chatSessionId, binaryPropertyName: 'photo' }),
			{
				credentials: credentialsFor(emulator.current),
				startData: [[{ json: {}, binary: { photo: { data: bytes.toString('base64'), mimeType: 'image/png', fileName: 'lobby.png' } } }]],
			},
		);
		expect(result.status).toBe('success');

		const [uploadUrlCall, put] = emulator.current.restCalls;
		expect(uploadUrlCall.method).toBe('POST');
		expect(uploadUrlCall.path).toBe('/api/file-new/get-upload-url');
		expect(uploadUrlCall.headers.authorization).toBe('Bearer tenant-token-34');
		expect(JSON.parse(uploadUrlCall.body.toString())).toEqual({ filename: 'lobby.png', mimeType: 'image/png', type: 'chat-images' });
		expect(put.method).toBe('PUT');
		expect(put.headers['content-type']).toBe('image/png');
		expect(put.headers.authorization).toBeUndefined(); // a pre-signed URL takes no credentials

		const [sent] = emulator.current.frames('client/send-message');
		expect(sent.body).toMatchObject({ chatSessionId, contentType: 'IMAGE' });
		const resourceUrl = String(sent.body.messageContent);
		expect(resourceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s3\/chat-images\/[0-9a-f-]+\.png$/);
		// Round trip: the bytes behind the resource URL are the ones the workflow had.
		const fetched = Buffer.from(await (await fetch(resourceUrl)).arrayBuffer());
		expect(fetched.equals(bytes)).toBe(true);

		const [output] = result.json('Action');
		expect(output.upload).toEqual({
			fileName: 'lobby.png',
			mimeType: 'image/png',
			size: bytes.length,
			resourceUrl,
			uploadPath: expect.stringMatching(/^\/chat-images\/.+\.png$/),
		});
		expect(output.chatMessage).toMatchObject({ contentType: 'IMAGE', messageContent: resourceUrl });
	});

	it('sends a PDF as FILE, or as the content type chosen, under another name and upload type', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const pdf = Buffer.from('%PDF-1.4 house rules');
		const input = [{ json: {}, binary: { data: { data: pdf.toString('base64'), mimeType: 'application/pdf', fileName: 'rules.pdf' } } }];
		await runWorkflow(conciergeAction({ resource: 'message', operation: 'sendFile', chatSessionId, binaryPropertyName: 'data' }), {
			credentials: credentialsFor(emulator.current),
			startData: [input],
		});
		await runWorkflow(
			conciergeAction({
				resource: 'message',
				operation: 'sendFile',
				chatSessionId,
				binaryPropertyName: 'data',
				additionalFields: { contentType: 'IMAGE', fileName: 'scan.pdf', uploadType: 'chat-files' },
			}),
			{ credentials: credentialsFor(emulator.current), startData: [input] },
		);
		const sent = emulator.current.frames('client/send-message').map((frame) => frame.body.contentType);
		expect(sent).toEqual(['FILE', 'IMAGE']);
		const requests = emulator.current.restCalls.filter((call) => call.method === 'POST').map((call) => JSON.parse(call.body.toString()));
		expect(requests[1]).toEqual({ filename: 'scan.pdf', mimeType: 'application/pdf', type: 'chat-files' });
		const stored = [...emulator.current.uploads.values()];
		expect(stored.map((upload) => upload.bytes.toString())).toEqual(['%PDF-1.4 house rules', '%PDF-1.4 house rules']);
	});

	it('authenticates the upload-URL request with a custom header when the credential says so', async () => {
		await emulator.restart({ restAuthHeader: 'x-access-token', restAuthBearer: false });
		const { chatSessionId } = emulator.current.createSession();
		const result = await runWorkflow(conciergeAction({ resource: 'message', operation: 'sendFile', chatSessionId }), {
			credentials: credentialsFor(emulator.current, { uploadAuthentication: 'header', uploadAuthHeader: 'X-Access-Token' }),
			startData: [[{ json: {}, binary: { data: { data: Buffer.from('hello').toString('base64'), mimeType: 'text/plain', fileName: 'a.txt' } } }]],
		});
		expect(result.status).toBe('success');
		expect(emulator.current.restCalls[0].headers['x-access-token']).toBe('tenant-token-34');
		expect(emulator.current.restCalls[0].headers.authorization).toBeUndefined();
	});

	it('reports a refused upload-URL request without the token, and a missing Server URL clearly', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const binary = { data: { data: Buffer.from('x').toString('base64'), mimeType: 'text/plain', fileName: 'x.txt' } };
		emulator.current.failNextRest('/file-new/get-upload-url', 401, { message: 'Token tenant-token-34 has expired' });
		const refused = await runWorkflow(conciergeAction({ resource: 'message', operation: 'sendFile', chatSessionId }), {
			credentials: credentialsFor(emulator.current),
			startData: [[{ json: {}, binary }]],
		});
		const error = refused.nodeError('Action');
		expect(error?.message).toBe('Token *** has expired [401]');
		expect(JSON.stringify(error)).not.toContain('tenant-token-34');

		const noServer = await runWorkflow(conciergeAction({ resource: 'message', operation: 'sendFile', chatSessionId }), {
			credentials: credentialsFor(emulator.current, { serverUrl: '' }),
			startData: [[{ json: {}, binary }]],
		});
		expect(noServer.nodeError('Action')?.message).toBe('The Concierge API credential has no Server URL');

		const noBinary = await run({ operation: 'sendFile', chatSessionId, binaryPropertyName: 'missing' });
		expect(noBinary.nodeError('Action')?.message).toMatch(/missing/);
		expect(emulator.current.frames('client/send-message')).toHaveLength(0);
	});

	it('sends files by URL, IMAGE or FILE from the extension, and rejects what is not an http(s) URL', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const result = await run(
			{ operation: 'sendFileUrl', chatSessionId, fileUrl: '={{ $json.url }}' },
			{
				continueOnFail: true,
				startData: [{ url: 'https://cdn.example.com/pool.JPG?v=2' }, { url: 'https://cdn.example.com/rules.pdf' }, { url: 'ftp://x/y.png' }],
			},
		);
		expect(emulator.current.frames('client/send-message').map((frame) => [frame.body.contentType, frame.body.messageContent])).toEqual([
			['IMAGE', 'https://cdn.example.com/pool.JPG?v=2'],
			['FILE', 'https://cdn.example.com/rules.pdf'],
		]);
		expect(result.json('Action')[2]).toEqual({ error: 'File URL "ftp://x/y.png" is not an http(s) URL' });
	});

	describe('getting messages', () => {
		const fill = (chatSessionId: string) =>
			Array.from({ length: 7 }, (_, index) =>
				index % 2 === 0
					? emulator.current.conciergeSend(chatSessionId, `concierge ${index + 1}`)
					: emulator.current.tenantSend(chatSessionId, `tenant ${index + 1}`),
			);

		it('gets one page as ChatEvents', async () => {
			const { chatSessionId } = emulator.current.createSession();
			const messages = fill(chatSessionId);
			const result = await run({ operation: 'getMany', chatSessionId, returnAll: false, page: 2, limit: 3 });
			expect(emulator.current.received.map((frame) => frame.route)).toEqual(['client/get-chat-messages?page=2&limit=3']);
			const events = result.json('Action');
			expect(events.map((event) => event.messageId)).toEqual(messages.slice(3, 6).map((message) => message.id));
			expect(events[0]).toEqual({
				provider: 'concierge',
				type: 'message',
				conversationId: chatSessionId,
				messageId: messages[3].id,
				from: { role: 'customer', id: '34' },
				text: 'tenant 4',
				attachments: [],
				status: 'delivered',
				timestamp: new Date(Number(messages[3].sentAt)).toISOString(),
				replyTo: { provider: 'concierge', conversationId: chatSessionId },
				raw: messages[3],
			});
			expect(events[1].from).toEqual({ role: 'agent', id: '32314' });
			expect(result.output('Action').every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		});

		it('returns all pages, page by page, even when the service hands out smaller pages than asked', async () => {
			await emulator.restart({ maxPageSize: 2 });
			const { chatSessionId } = emulator.current.createSession();
			const messages = fill(chatSessionId);
			const result = await run({ operation: 'getMany', chatSessionId, returnAll: true, options: { pageSize: 3, rawOutput: true } });
			expect(result.json('Action')).toEqual(messages);
			expect(emulator.current.received.map((frame) => frame.route)).toEqual([
				'client/get-chat-messages?page=1&limit=3',
				'client/get-chat-messages?page=2&limit=3',
				'client/get-chat-messages?page=3&limit=3',
				'client/get-chat-messages?page=4&limit=3',
			]);
		});

		it('maps files and images to attachments', async () => {
			const { chatSessionId } = emulator.current.createSession();
			emulator.current.conciergeSend(chatSessionId, 'https://cdn.example.com/chat-images/floor%20plan.png', { contentType: 'IMAGE' });
			emulator.current.conciergeSend(chatSessionId, 'https://cdn.example.com/f/8d1c.bin', {
				contentType: 'FILE',
				metadata: { fileName: 'invoice.pdf', mimeType: 'application/pdf', size: '2048' },
			});
			const [image, file] = (await run({ operation: 'getMany', chatSessionId, returnAll: true })).json('Action');
			expect(image.attachments).toEqual([{ url: 'https://cdn.example.com/chat-images/floor%20plan.png', name: 'floor plan.png' }]);
			expect(image).not.toHaveProperty('text');
			expect(file.attachments).toEqual([
				{ url: 'https://cdn.example.com/f/8d1c.bin', name: 'invoice.pdf', mimeType: 'application/pdf', size: 2048 },
			]);
		});

		it('rejects a page below 1', async () => {
			const { chatSessionId } = emulator.current.createSession();
			const result = await run({ operation: 'getMany', chatSessionId, returnAll: false, page: 0, limit: 3 });
			expect(result.nodeError('Action')?.message).toBe('Page must be a whole number of at least 1 (got 0)');
		});
	});

	it('unsends the tenant’s own message (messageId sent as a number) but not a concierge’s', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const own = emulator.current.tenantSend(chatSessionId, 'oops');
		const theirs = emulator.current.conciergeSend(chatSessionId, 'hello');
		const result = await run(
			{ operation: 'unsend', chatSessionId, messageId: '={{ $json.id }}' },
			{ continueOnFail: true, startData: [{ id: own.id }, { id: theirs.id }] },
		);
		expect(emulator.current.frames('client/delete-message').map((frame) => frame.body)).toEqual([
			{ chatSessionId, messageId: Number(own.id) },
			{ chatSessionId, messageId: Number(theirs.id) },
		]);
		expect(result.json('Action')).toEqual([{ messageId: Number(own.id) }, { error: 'Only your own messages can be unsent [403]' }]);
		expect(emulator.current.messagesOf(chatSessionId).map((message) => message.id)).toEqual([theirs.id]);
	});

	it('marks a concierge message as seen and counts unread messages', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const first = emulator.current.conciergeSend(chatSessionId, 'one');
		emulator.current.conciergeSend(chatSessionId, 'two');
		emulator.current.conciergeSend(chatSessionId, 'three');

		const seen = await run({ operation: 'markSeen', chatSessionId, messageId: first.id });
		expect(seen.json('Action')[0]).toMatchObject({ chatSessionId, chatMessage: { id: first.id, status: 4 } });
		expect(emulator.current.frames('client/update-message-seen-at')[0].body).toEqual({ chatSessionId, messageId: Number(first.id) });

		const unread = await runWorkflow(conciergeAction({ resource: 'unreadCount', operation: 'get' }), {
			credentials: credentialsFor(emulator.current),
		});
		expect(unread.json('Action')).toEqual([{ unreadMsgCount: 2 }]);
		expect(emulator.current.frames('client/get-unread-msg-count')[0].body).toEqual({});
	});

	it('fails with an error naming the route when its reply never comes', async () => {
		emulator.current.silence('client/get-unread-msg-count');
		const started = Date.now();
		const result = await runWorkflow(
			conciergeAction({ resource: 'unreadCount', operation: 'get', connectionOptions: { replyTimeout: 300 } }),
			{ credentials: credentialsFor(emulator.current) },
		);
		expect(result.nodeError('Action')?.message).toBe('No reply to client/get-unread-msg-count within 300 ms');
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
		await waitFor(() => emulator.current.openConnections === 0, 2000, () => 'the connection to be closed');
	});

	it('takes its reply among pushed, malformed and unrelated frames', async () => {
		const { chatSessionId } = emulator.current.createSession();
		emulator.current.beforeReply('client/ping-on-chat-session', (send) => {
			send('{not json');
			send(JSON.stringify({ message: 'Forbidden', connectionId: 'x', requestId: 'y' }));
			send(JSON.stringify({ channel: 'client/get-chat-session', status: 200, body: { chatSessionId } }));
			send(JSON.stringify({ channel: `chat-message-${chatSessionId}`, payload: { chatSessionId, chatMessage: { id: '9' } } }));
		});
		const pinged = await runWorkflow(conciergeAction({ resource: 'chatSession', operation: 'ping', chatSessionId }), {
			credentials: credentialsFor(emulator.current),
		});
		expect(pinged.json('Action')[0]).toMatchObject({ chatSessionId, chatSession: { chatSessionId } });
		expect(pinged.json('Action')[0]).toHaveProperty('tenant');
	});
});
