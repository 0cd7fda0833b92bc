import path from 'node:path';

import { BOT_SCRIPT, UltimateEmulator } from '../emulators/ultimate';
import { WebhookServer } from '../helpers/webhook';
import { readWorkflow, runWorkflow } from '../helpers/workflow';
import { API_KEY, BOT_ID, ultimateCredentials } from './fixtures';

const EXAMPLE = path.resolve(__dirname, '../../examples/ultimate-bot-conversation.json');

describe('examples/ultimate-bot-conversation.json', () => {
	let emulator: UltimateEmulator;
	let hooks: WebhookServer;

	beforeEach(async () => {
		emulator = await UltimateEmulator.start({ apiKey: API_KEY, botId: BOT_ID });
	});
	afterEach(async () => {
		await emulator.close();
		await hooks?.close();
	});

	it('starts a chat with metadata, asks about the order and answers the bot\'s lookup action', async () => {
		const workflow = readWorkflow(EXAMPLE);
		const credentials = ultimateCredentials({}, emulator.baseUrl);
		hooks = await WebhookServer.start(workflow, { credentials });
		emulator.setWebhooks({ chat: hooks.url('Bot Events', 'default'), actions: hooks.url('Bot Events', 'actions') });

		const run = await runWorkflow(workflow, { credentials, startNode: 'Open Chat' });
		expect(run.status).toBe('success');
		const [asked] = run.json('Ask About the Order');
		await emulator.idle();

		const conversationId = asked.conversationId as string;
		expect(emulator.conversations.get(conversationId)?.metadata).toEqual({
			orderId: { value: '1001', sanitize: false },
			email: { value: 'ann@example.com', sanitize: true },
		});
		expect(emulator.deliveriesFor(conversationId).map((d) => [d.webhook, d.event, d.status, d.response])).toEqual([
			['chat', 'sendMessage', 200, { message: 'Event received' }],
			['actions', 'action', 200, { results: [{ key: 'orderStatus', value: 'shipped', sanitize: false }] }],
			['chat', 'sendMessage', 200, { message: 'Event received' }],
		]);
		const last = emulator.deliveriesFor(conversationId).at(-1)?.payload as { data: { text: string } };
		expect(last.data.text).toBe('Your order is shipped');

		const triggered = await hooks.runs();
		expect(triggered.map((execution) => execution.executedNodes)).toEqual([
			['Bot Events'],
			['Bot Events', 'Order Status'],
			['Bot Events'],
		]);
		expect(triggered[0].json('Bot Events')[0]).toMatchObject({ type: 'message', text: BOT_SCRIPT.welcome, conversationId });
	});
});
