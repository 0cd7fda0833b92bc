import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { BOT_SCRIPT, UltimateEmulator } from '../emulators/ultimate';
import { closedPort } from '../helpers/ports';
import { WebhookServer } from '../helpers/webhook';
import { actionWorkflow } from '../helpers/workflow-builder';
import { runWorkflow, type WorkflowJson } from '../helpers/workflow';
import { API_KEY, BOT_ID, failingNode, TRIGGER, triggerWorkflow, ultimateCredentials } from './fixtures';

// n8n as the chat platform: the Ultimate node talks to the emulated bot, the bot answers on the
// Ultimate Trigger's real webhook URLs, served as n8n serves them.
describe('Ultimate round trip through the emulated bot', () => {
	let emulator: UltimateEmulator;
	let hooks: WebhookServer | undefined;

	beforeEach(async () => {
		emulator = await UltimateEmulator.start({ apiKey: API_KEY, botId: BOT_ID });
	});
	afterEach(async () => {
		await emulator.close();
		await hooks?.close();
		hooks = undefined;
	});

	async function listen(workflow: WorkflowJson) {
		hooks = await WebhookServer.start(workflow, {
			credentials: { ...ultimateCredentials(), probeApi: { apiKey: 'probe-key' } },
		});
		emulator.setWebhooks({ chat: hooks.url(TRIGGER, 'default'), actions: hooks.url(TRIGGER, 'actions') });
		return hooks;
	}

	async function act(parameters: INodeParameters): Promise<IDataObject> {
		const run = await runWorkflow(actionWorkflow('ultimate', { resource: 'conversation', ...parameters }), {
			credentials: ultimateCredentials({}, emulator.baseUrl),
		});
		expect(run.status).toBe('success');
		await emulator.idle();
		return run.json('Action')[0];
	}

	const startSession = async (conversationId?: string) =>
		String((await act({ operation: 'startSession', ...(conversationId ? { conversationId } : {}) })).conversationId);

	const botMessages = async (server: WebhookServer) =>
		(await server.runs()).flatMap((run) => run.json(TRIGGER)).filter((event) => event.type === 'message');

	it('Start Session -> welcome on the trigger -> message -> escalation answered 200 when the workflow succeeds', async () => {
		const server = await listen(triggerWorkflow());

		const conversationId = await startSession();
		const [welcome] = await botMessages(server);
		expect(welcome).toMatchObject({
			provider: 'ultimate',
			type: 'message',
			conversationId,
			from: { role: 'bot', id: BOT_ID },
			text: BOT_SCRIPT.welcome,
			buttons: [
				{ title: 'Track my order', value: 'Track my order' },
				{ title: 'Browse products', value: 'Browse products' },
				{ title: 'Talk to a human', value: 'Talk to a human' },
				{ title: 'Help center', url: 'https://help.example.com' },
			],
		});
		expect(emulator.deliveriesFor(conversationId).map((d) => [d.event, d.status])).toEqual([['sendMessage', 200]]);

		// The visitor presses the bot's button, taken from the ChatEvent.
		const talkToHuman = (welcome.buttons as IDataObject[])[2].value as string;
		await act({ operation: 'clickButton', conversationId, buttonText: talkToHuman });

		expect(emulator.deliveriesFor(conversationId).map((d) => [d.event, d.status, d.response])).toEqual([
			['sendMessage', 200, { message: 'Event received' }],
			['isTeamOnline', 200, { isOnline: true }],
			['escalate', 200, expect.objectContaining({ type: 'escalation', conversationId })],
		]);
		expect(emulator.conversations.get(conversationId)?.escalated).toBe(true);
		const events = (await server.runs()).flatMap((run) => run.json(TRIGGER)).map((event) => event.type);
		expect(events).toEqual(['message', 'team_online_query', 'escalation']);
	});

	it('answers the escalation with 5xx when the workflow fails, so the bot tells the visitor', async () => {
		const server = await listen(triggerWorkflow({}, { chat: [failingNode(await closedPort())] }));

		const conversationId = await startSession('visitor-7');
		expect(conversationId).toBe('visitor-7');
		await act({ operation: 'sendMessage', conversationId, text: 'Talk to a human' });

		const deliveries = emulator.deliveriesFor('visitor-7').map((d) => [d.event, d.status]);
		expect(deliveries).toEqual([
			['sendMessage', 200],
			['isTeamOnline', 200],
			['escalate', 500],
			['sendMessage', 200],
		]);
		expect(emulator.conversations.get('visitor-7')?.escalated).toBe(false);
		const last = emulator.deliveriesFor('visitor-7').at(-1)?.payload as { data: { text: string } };
		expect(last.data.text).toBe(BOT_SCRIPT.handoffFailed);
		expect((await server.runs()).map((run) => run.status)).toEqual(['error', 'error', 'error', 'error']);
	});

	it('goes through a carousel with Select Card and ends the session', async () => {
		const server = await listen(triggerWorkflow());
		const conversationId = await startSession();
		await act({ operation: 'sendMessage', conversationId, text: 'Browse products' });

		const carousel = (await botMessages(server)).at(-1) as IDataObject;
		expect(carousel.buttons).toEqual([
			{ title: 'Buy red', value: 'Buy red' },
			{ title: 'Buy blue', value: 'Buy blue' },
			{ title: 'More blue', value: 'More blue' },
		]);
		const raw = carousel.raw as { data: { carouselCards: Array<{ title: string; buttons: Array<{ text: string }> }> } };
		const cardIndex = raw.data.carouselCards.findIndex((card) => card.buttons.some((button) => button.text === 'Buy blue'));

		await act({ operation: 'selectCard', conversationId, buttonText: 'Buy blue', cardIndex });
		expect((await botMessages(server)).at(-1)?.text).toBe('You chose Blue boots (Buy blue)');

		await act({ operation: 'endSession', conversationId });
		expect(emulator.conversations.get(conversationId)?.ended).toBe(true);
		const refused = await runWorkflow(actionWorkflow('ultimate', { resource: 'conversation', operation: 'sendMessage', conversationId, text: 'still there?' }), {
			credentials: ultimateCredentials({}, emulator.baseUrl),
		});
		expect(refused.nodeError('Action')?.message).toBe(`Conversation ${conversationId} is not open [400]`);
	});

	it('keeps the session going through a 429 from the Chat API', async () => {
		await listen(triggerWorkflow());
		emulator.failNext(429, 1, { 'Retry-After': '0' });
		const conversationId = await startSession();
		expect(emulator.calls.map((call) => call.status)).toEqual([429, 200]);
		expect(emulator.deliveriesFor(conversationId)).toHaveLength(1);
	});
});
