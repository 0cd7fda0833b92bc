import { NovaTalksEmulator, type ConversationRecord } from '../emulators/novatalks';
import { startTrigger } from '../helpers/trigger';
import { delay } from '../helpers/wait';
import { runAction, triggerWorkflow } from './fixtures';

/**
 * The docs say a message list gives "20 messages" without saying which: a server may answer a request
 * without `before`/`after` with the newest or with the oldest. The action node must be right either way.
 */
describe.each(['newest', 'oldest'] as const)('NovaTalks action node with a server that lists the %s messages first', (listFrom) => {
	let emulator: NovaTalksEmulator;
	let conversation: ConversationRecord;

	beforeEach(async () => {
		emulator = await NovaTalksEmulator.start({ listFrom });
		conversation = emulator.createConversation('Jane');
	});

	afterEach(async () => {
		await emulator.close();
	});

	const seed = (count: number) => Array.from({ length: count }, (_, index) => emulator.agentSend(conversation.id, { content: `m${index}` }));
	const message = (parameters: Record<string, unknown>) => ({ resource: 'message', contactToken: conversation.token, ...parameters });
	const posts = () => emulator.requests.filter((entry) => entry.method === 'POST');

	it('Send with Output Created Message outputs the created message in a conversation of 45, sent once', async () => {
		seed(44);
		const run = await runAction(emulator, message({ operation: 'send', text: 'the 45th', sendOptions: { outputCreatedMessage: true } }));
		expect(run.status).toBe('success');
		const [event] = run.json('Action');
		const stored = emulator.messagesOf(conversation.id);
		expect(stored).toHaveLength(45);
		expect(event).toMatchObject({ type: 'message', text: 'the 45th', messageId: String(stored[44].id), from: { role: 'customer' } });
		expect(posts()).toHaveLength(1);
	});

	it('Get Many without a filter: Return All gives all 45, a limit of 25 the newest 25', async () => {
		const sent = seed(45);
		const all = await runAction(emulator, message({ operation: 'getMany', returnAll: true }));
		expect(all.json('Action').map((event) => event.messageId)).toEqual(sent.map((entry) => String(entry.id)));

		const newest = await runAction(emulator, message({ operation: 'getMany', limit: 25 }));
		expect(newest.json('Action').map((event) => event.messageId)).toEqual(sent.slice(20).map((entry) => String(entry.id)));

		const three = await runAction(emulator, message({ operation: 'getMany', limit: 3 }));
		expect(three.json('Action').map((event) => event.text)).toEqual(['m42', 'm43', 'm44']);
	});

	it('the trigger starts after the newest of 45 messages: it emits the next one and none of the history', async () => {
		seed(45);
		const trigger = await startTrigger(triggerWorkflow({ contactTokens: conversation.token, events: ['message.created'] }), {
			credentials: emulator.credentials(),
		});
		try {
			const next = emulator.agentSend(conversation.id, { content: 'the 46th' });
			await trigger.waitForItems(1);
			await delay(100);
			expect(trigger.json.map((event) => event.messageId)).toEqual([String(next.id)]);
		} finally {
			await trigger.close();
		}
	});

	it('Get Many by update time gives the oldest matches up to the limit, and all of them with Return All', async () => {
		const old = seed(5);
		const since = (old[4].updated_at as number) + 1;
		await new Promise((resolve) => setTimeout(resolve, 5));
		const fresh = seed(30);
		const limited = await runAction(emulator, message({ operation: 'getMany', limit: 22, filters: { updatedAt: since } }));
		expect(limited.json('Action').map((event) => event.messageId)).toEqual(fresh.slice(0, 22).map((entry) => String(entry.id)));
		const all = await runAction(emulator, message({ operation: 'getMany', returnAll: true, filters: { updatedAt: since } }));
		expect(all.json('Action')).toHaveLength(30);
	});
});

describe('NovaTalks Send with Output Created Message when the message cannot be read back', () => {
	let emulator: NovaTalksEmulator;

	afterEach(async () => {
		await emulator.close();
	});

	it('outputs the sent message with a note instead of failing, so nothing invites a second send', async () => {
		emulator = await NovaTalksEmulator.start();
		const conversation = emulator.createConversation('Jane');
		emulator.failNext(500, 1, /messages$/, 'database timeout', 'GET');
		const run = await runAction(emulator, {
			resource: 'message',
			operation: 'send',
			contactToken: conversation.token,
			text: 'hello',
			sendOptions: { outputCreatedMessage: true, echoId: 'echo-77' },
		});
		expect(run.status).toBe('success');
		const [item] = run.json('Action');
		expect(item).toMatchObject({ sent: true, echoId: 'echo-77', content: 'hello', createdMessage: null });
		expect(String(item.note)).toMatch(/^The message was sent\. Reading the created message back failed: .*; do not send it again\.$/);
		expect(JSON.stringify(item)).not.toContain(conversation.token);
		expect(emulator.messagesOf(conversation.id)).toHaveLength(1);
	});
});
