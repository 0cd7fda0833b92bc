import { NovaTalksEmulator, type ConversationRecord } from '../emulators/novatalks';
import { errorOf, PDF_BYTES, PNG_BYTES, runAction } from './fixtures';

describe('NovaTalks action node: Message', () => {
	let emulator: NovaTalksEmulator;
	let conversation: ConversationRecord;

	beforeEach(async () => {
		emulator = await NovaTalksEmulator.start();
		conversation = emulator.createConversation('Jane');
	});

	afterEach(async () => {
		await emulator.close();
	});

	const message = (parameters: Record<string, unknown>) => ({
		resource: 'message',
		contactToken: conversation.token,
		...parameters,
	});
	const posts = () => emulator.requests.filter((entry) => entry.method === 'POST');

	describe('Send', () => {
		it('sends text as JSON with the token header and a generated echo_id', async () => {
			const run = await runAction(emulator, message({ operation: 'send', text: 'Hello there' }));

			const [result] = run.json('Action');
			expect(result).toEqual({ sent: true, echoId: expect.stringMatching(/^[0-9a-f]{12}$/), content: 'Hello there', attachments: [] });
			const [request] = posts();
			expect(request.path).toBe('/api/v1/sdk/conversations/messages');
			expect(request.headers.access_token).toBe(conversation.token);
			expect(request.headers['content-type']).toMatch(/^application\/json/);
			expect(request.body).toEqual({ message: { content: 'Hello there', echo_id: result.echoId } });
			expect(emulator.messagesOf(conversation.id)).toEqual([
				expect.objectContaining({ content: 'Hello there', echo_id: result.echoId, message_type: 'incoming' }),
			]);
		});

		it('uploads files from several binary fields as multipart attachments[] with the text', async () => {
			const items = [
				{
					json: {},
					binary: {
						photo: { data: PNG_BYTES.toString('base64'), mimeType: 'image/png', fileName: 'photo.png' },
						invoice: { data: PDF_BYTES.toString('base64'), mimeType: 'application/pdf', fileName: 'invoice.pdf' },
					},
				},
			];
			const run = await runAction(
				emulator,
				message({ operation: 'send', text: 'Files attached', sendOptions: { binaryProperties: 'photo, invoice', echoId: 'e-42' } }),
				{ items },
			);

			expect(run.json('Action')[0]).toEqual({
				sent: true,
				echoId: 'e-42',
				content: 'Files attached',
				attachments: [
					{ fileName: 'photo.png', mimeType: 'image/png', size: PNG_BYTES.length },
					{ fileName: 'invoice.pdf', mimeType: 'application/pdf', size: PDF_BYTES.length },
				],
			});
			const [request] = posts();
			expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
			expect(request.headers.access_token).toBe(conversation.token);
			expect(request.files.map((file) => [file.field, file.filename, file.contentType])).toEqual([
				['attachments[]', 'photo.png', 'image/png'],
				['attachments[]', 'invoice.pdf', 'application/pdf'],
			]);
			expect(request.files[0].data.equals(PNG_BYTES)).toBe(true);
			expect(request.files[1].data.equals(PDF_BYTES)).toBe(true);

			const [stored] = emulator.messagesOf(conversation.id);
			expect(stored).toMatchObject({ content: 'Files attached', echo_id: 'e-42' });
			expect(stored.attachments?.map((attachment) => [attachment.file_type, attachment.file_size])).toEqual([
				['image', PNG_BYTES.length],
				['file', PDF_BYTES.length],
			]);
			const download = await fetch(stored.attachments?.[0].data_url as string);
			expect(Buffer.from(await download.arrayBuffer()).equals(PNG_BYTES)).toBe(true);
		});

		it('sends a file without text', async () => {
			const items = [{ json: {}, binary: { data: { data: PNG_BYTES.toString('base64'), mimeType: 'image/png', fileName: 'a.png' } } }];
			await runAction(emulator, message({ operation: 'send', text: '', sendOptions: { binaryProperties: 'data' } }), { items });
			const [stored] = emulator.messagesOf(conversation.id);
			expect(stored.content).toBeNull();
			expect(stored.attachments).toHaveLength(1);
		});

		it('builds the reply content from plain fields, and reads it back as plain text', async () => {
			const agent = emulator.agentSend(conversation.id, { content: 'Доброго дня' });
			await runAction(
				emulator,
				message({
					operation: 'send',
					text: 'Вітаю',
					sendOptions: {
						replyToMessageId: String(agent.id),
						replyToDialogId: conversation.dialogId,
						replyToContent: 'Доброго дня',
						outputCreatedMessage: true,
					},
				}),
			).then((run) => {
				const [event] = run.json('Action');
				expect(event).toMatchObject({ type: 'message', text: 'Вітаю', from: { role: 'customer', name: 'Jane' } });
				expect(event.messageId).toBe(String(emulator.messagesOf(conversation.id)[1].id));
			});
			const [request] = posts();
			expect(request.body).toEqual({
				message: {
					content: `[RepliedMessageDialogId:]${conversation.dialogId}[RepliedMessageId:]${agent.id}[RepliedContent:]Доброго дня[Content:]Вітаю`,
					echo_id: expect.any(String),
				},
			});
		});

		it('refuses to send nothing, a missing binary field and a token-less item', async () => {
			const nothing = await runAction(emulator, message({ operation: 'send', text: '  ' }));
			expect(errorOf(nothing).message).toBe('Nothing to send: Text is empty and no file is attached');

			const missing = await runAction(emulator, message({ operation: 'send', text: 'x', sendOptions: { binaryProperties: 'nope' } }));
			expect(errorOf(missing).message).toMatch(/nope/);

			const noToken = await runAction(emulator, { resource: 'message', operation: 'send', text: 'x', contactToken: '={{ $json.token }}' });
			expect(errorOf(noToken)).toMatchObject({ name: 'NodeOperationError', message: 'Contact Token is empty' });
			expect(posts()).toHaveLength(0);
		});
	});

	describe('Get Many', () => {
		const seed = (count: number) => Array.from({ length: count }, (_, index) => emulator.agentSend(conversation.id, { content: `m${index}` }));

		it('pages through every message with Return All, in order, each id once', async () => {
			const sent = seed(47);
			const run = await runAction(emulator, message({ operation: 'getMany', returnAll: true }));

			const events = run.json('Action');
			expect(events.map((event) => event.messageId)).toEqual(sent.map((entry) => String(entry.id)));
			expect(run.output('Action').every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
			const gets = emulator.requests.filter((entry) => entry.method === 'GET');
			// The page without a cursor, forward with after=<newest id> (a server may list the oldest first),
			// then backward with before=<oldest id> until a page brings nothing new.
			expect(gets.map((entry) => entry.query)).toEqual([
				{ limit: '20' },
				{ after: String(sent[46].id), limit: '20' },
				{ before: String(sent[27].id), limit: '20' },
				{ before: String(sent[7].id), limit: '20' },
				{ before: String(sent[0].id), limit: '20' },
			]);
		});

		it('returns the newest messages up to the limit, and pages forward from After Message ID', async () => {
			const sent = seed(30);
			const newest = await runAction(emulator, message({ operation: 'getMany', limit: 25 }));
			expect(newest.json('Action').map((event) => event.text)).toEqual(sent.slice(5).map((entry) => entry.content));

			const after = await runAction(emulator, message({ operation: 'getMany', limit: 22, filters: { after: sent[3].id } }));
			expect(after.json('Action').map((event) => event.messageId)).toEqual(sent.slice(4, 26).map((entry) => String(entry.id)));

			const before = await runAction(emulator, message({ operation: 'getMany', limit: 3, filters: { before: sent[10].id } }));
			expect(before.json('Action').map((event) => event.messageId)).toEqual(sent.slice(7, 10).map((entry) => String(entry.id)));
			expect(emulator.requests.at(-1)?.query).toEqual({ before: String(sent[10].id), limit: '3' });
		});

		it('filters by update time (as a date or epoch milliseconds) and outputs raw messages when asked', async () => {
			const old = seed(2);
			const since = (old[1].updated_at as number) + 1;
			await new Promise((resolve) => setTimeout(resolve, 5));
			const fresh = emulator.agentSend(conversation.id, { content: 'fresh' });

			const run = await runAction(
				emulator,
				message({ operation: 'getMany', returnAll: true, rawOutput: true, filters: { updatedAt: new Date(since).toISOString() } }),
			);
			expect(run.json('Action')).toEqual([expect.objectContaining({ id: fresh.id, content: 'fresh', message_type: 'outgoing' })]);
			expect(emulator.requests[0].query).toEqual({ updated_at: String(since), limit: '20' });

			const asNumber = await runAction(emulator, message({ operation: 'getMany', returnAll: true, filters: { updatedAt: String(since) } }));
			expect(asNumber.json('Action').map((event) => event.text)).toEqual(['fresh']);
		});

		it('maps attachments and who wrote what', async () => {
			emulator.agentSend(conversation.id, {
				content: null,
				attachments: [{ url: 'https://store.example/x/telegram.png', fileType: 'image', size: 9473, mimeType: 'image/png' }],
			});
			const run = await runAction(emulator, message({ operation: 'getMany', limit: 5 }));
			expect(run.json('Action')[0]).toMatchObject({
				from: { role: 'agent' },
				attachments: [{ url: 'https://store.example/x/telegram.png', name: 'telegram.png', mimeType: 'image/png', size: 9473 }],
			});
			expect(run.json('Action')[0].text).toBeUndefined();
		});

		it('waits out a 429 from the throttle and retries a 503', async () => {
			seed(3);
			emulator.setRateLimit({ max: 1, windowMs: 1000 });
			emulator.failNext(503, 1, /messages/);
			const started = Date.now();
			const run = await runAction(emulator, message({ operation: 'getMany', limit: 3 }));
			expect(run.json('Action')).toHaveLength(3);
			expect(emulator.requests.map((entry) => entry.status)).toEqual([503, 429, 200]);
			expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		});

		it('refuses Before and After together, and a date it cannot read', async () => {
			const both = await runAction(emulator, message({ operation: 'getMany', filters: { before: 5, after: 2 } }));
			expect(errorOf(both).message).toBe('Use either Before Message ID or After Message ID, not both');
			const badDate = await runAction(emulator, message({ operation: 'getMany', filters: { updatedAt: 'yesterday-ish' } }));
			expect(errorOf(badDate).message).toMatch(/Updated After "yesterday-ish"/);
		});
	});

	describe('Update Status, Set Interactive Value, Delete, React', () => {
		it('updates the status of several messages', async () => {
			const a = emulator.agentSend(conversation.id);
			const b = emulator.agentSend(conversation.id);
			const run = await runAction(emulator, message({ operation: 'updateStatus', messageIds: `${a.id}, ${b.id}`, status: 'seen' }));
			expect(run.json('Action')).toEqual([{ updated: true, status: 'seen', messageIds: [a.id, b.id] }]);
			expect(emulator.requests[0]).toMatchObject({
				method: 'PATCH',
				path: '/api/v1/sdk/conversations/messages/status',
				body: { status: 'seen', messageIds: [a.id, b.id] },
			});
			expect([a.status, b.status]).toEqual(['seen', 'seen']);
		});

		it('takes message ids as an array from an expression, and reports an unknown one as the server’s 404', async () => {
			const a = emulator.agentSend(conversation.id);
			const ok = await runAction(emulator, message({ operation: 'updateStatus', messageIds: `={{ [${a.id}] }}`, status: 'delivered' }));
			expect(ok.json('Action')[0].messageIds).toEqual([a.id]);

			const missing = await runAction(emulator, message({ operation: 'updateStatus', messageIds: '999999', status: 'seen' }));
			expect(errorOf(missing)).toMatchObject({ name: 'NodeApiError', httpCode: '404', message: 'Message not found [404]' });

			const bad = await runAction(emulator, message({ operation: 'updateStatus', messageIds: '1, two', status: 'seen' }));
			expect(errorOf(bad).message).toBe('Message IDs must be a positive whole number, got "two"');
		});

		it('sets the value of an interactive message, and the server refuses it on a plain one', async () => {
			const quickReply = emulator.agentSend(conversation.id, {
				content: 'Shipping?',
				contentType: 'quick_reply',
				contentAttributes: { buttons: [{ title: 'Express', value: 'SHIP_EXPRESS' }], selected_value: null },
			});
			const run = await runAction(emulator, message({ operation: 'setInteractiveValue', messageId: String(quickReply.id), value: 'SHIP_EXPRESS' }));
			expect(run.json('Action')).toEqual([{ updated: true, messageId: quickReply.id, value: 'SHIP_EXPRESS' }]);
			expect(quickReply.content_attributes?.selected_value).toBe('SHIP_EXPRESS');
			expect(emulator.requests[0]).toMatchObject({
				method: 'PATCH',
				path: `/api/v1/sdk/conversations/messages/${quickReply.id}/interactive-attribute`,
				body: { selected_content_attribute_value: 'SHIP_EXPRESS' },
			});

			const plain = emulator.agentSend(conversation.id, { content: 'plain' });
			const refused = await runAction(emulator, message({ operation: 'setInteractiveValue', messageId: String(plain.id), value: 'x' }));
			expect(errorOf(refused)).toMatchObject({ httpCode: '400', message: `Message ${plain.id} is not interactive (content_type text) [400]` });
		});

		it("deletes the contact's own message; the server refuses an agent's", async () => {
			await runAction(emulator, message({ operation: 'send', text: 'oops' }));
			const own = emulator.messagesOf(conversation.id)[0];
			const run = await runAction(emulator, message({ operation: 'delete', messageId: String(own.id) }));
			expect(run.json('Action')).toEqual([{ deleted: true, messageId: own.id }]);
			expect(own.deleted_at).toEqual(expect.any(Number));
			expect(emulator.requests.at(-1)).toMatchObject({ method: 'DELETE', path: `/api/v1/sdk/conversations/messages/${own.id}` });

			const agent = emulator.agentSend(conversation.id);
			const refused = await runAction(emulator, message({ operation: 'delete', messageId: String(agent.id) }));
			expect(errorOf(refused).httpCode).toBe('403');
			const badId = await runAction(emulator, message({ operation: 'delete', messageId: 'abc' }));
			expect(errorOf(badId).message).toBe('Message ID must be a positive whole number, got "abc"');
		});

		it('adds, changes and removes a reaction; the server refuses an emoji outside its set', async () => {
			const agent = emulator.agentSend(conversation.id);
			await runAction(emulator, message({ operation: 'react', messageId: String(agent.id), reaction: '👍' }));
			expect(agent.reactions?.map((reaction) => reaction.content)).toEqual(['👍']);
			await runAction(emulator, message({ operation: 'react', messageId: String(agent.id), reaction: '🔥' }));
			expect(agent.reactions?.map((reaction) => reaction.content)).toEqual(['🔥']);
			const removed = await runAction(emulator, message({ operation: 'react', messageId: String(agent.id), reactionAction: 'remove' }));
			expect(removed.json('Action')).toEqual([{ messageId: agent.id, reaction: null }]);
			expect(agent.reactions).toEqual([]);
			expect(emulator.requests.map((entry) => entry.body)).toEqual([{ reaction: '👍' }, { reaction: '🔥' }, { reaction: null }]);
			expect(emulator.requests[0].path).toBe(`/api/v1/sdk/conversations/messages/${agent.id}/reactions`);

			const refused = await runAction(emulator, message({ operation: 'react', messageId: String(agent.id), reaction: 'ok' }));
			expect(errorOf(refused).message).toBe('reaction must be one of the allowed emojis or null [400]');
		});
	});
});
