import { UltimateEmulator } from '../emulators/ultimate';
import { API_KEY, BOT_ID, post } from './fixtures';

// The emulator is what the round trips run against, so its rules are tested on their own.
describe('Ultimate emulator: /converse/chat rules', () => {
	let emulator: UltimateEmulator;
	const headers = { authorization: API_KEY, botid: BOT_ID };
	const converse = (body: unknown, extra: Record<string, string> = headers) => post(`${emulator.baseUrl}/converse/chat`, body, extra);

	beforeEach(async () => {
		emulator = await UltimateEmulator.start({ apiKey: API_KEY, botId: BOT_ID });
	});
	afterEach(async () => emulator.close());

	it('takes the raw key in Authorization and the bot in botid: 401 before 404', async () => {
		const start = { platformConversationId: 'c', eventType: 'startSession' };
		expect((await converse(start, { authorization: `Bearer ${API_KEY}`, botid: BOT_ID })).status).toBe(401);
		expect((await converse(start, { botid: BOT_ID })).status).toBe(401);
		expect((await converse(start, { authorization: 'wrong', botid: 'unknown' })).status).toBe(401);
		expect(await converse(start, { authorization: API_KEY, botid: 'unknown' })).toEqual({ status: 404, body: { message: 'Bot not found' } });
		expect((await converse(start)).status).toBe(200);
	});

	it.each([
		['an incomplete body', { platformConversationId: 'c' }, /eventType must be one of/],
		['an unknown field', { platformConversationId: 'c', eventType: 'startSession', botId: 'x' }, /Unknown fields: botId/],
		['a message without text', { platformConversationId: 'c', eventType: 'message' }, /text is required/],
		['a negative card index', { platformConversationId: 'c', eventType: 'message', text: 'x', cardIndex: -1 }, /cardIndex/],
		['metadata as an object', { platformConversationId: 'c', eventType: 'metadata', metaData: { key: 'a', value: 'b' } }, /metaData must be an array/],
		['a number metadata value', { platformConversationId: 'c', eventType: 'metadata', metaData: [{ key: 'a', value: 1 }] }, /value must be a string/],
		['a message before the session', { platformConversationId: 'never', eventType: 'message', text: 'hi' }, /is not open/],
	])('refuses %s with 400', async (_name, body, message) => {
		const reply = await converse(body);
		expect(reply.status).toBe(400);
		expect((reply.body as { message: string }).message).toMatch(message);
		expect(emulator.deliveries).toHaveLength(0);
	});

	it('plays injected faults after the auth check', async () => {
		emulator.failNext(429, 1, { 'Retry-After': '1' });
		const reply = await fetch(`${emulator.baseUrl}/converse/chat`, {
			method: 'POST',
			headers: { ...headers, 'content-type': 'application/json' },
			body: '{}',
		});
		expect(reply.status).toBe(429);
		expect(reply.headers.get('retry-after')).toBe('1');
	});

	it('records an undeliverable webhook call when no webhook is configured', async () => {
		expect((await converse({ platformConversationId: 'c', eventType: 'startSession' })).status).toBe(200);
		await emulator.idle();
		expect(emulator.deliveries).toEqual([
			expect.objectContaining({ webhook: 'chat', event: 'sendMessage', conversationId: 'c', status: -1 }),
		]);
	});
});
