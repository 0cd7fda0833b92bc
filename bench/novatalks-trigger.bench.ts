// Events per second through the NovaTalks Trigger's emit path (n8n-core TriggerContext, ChatEvent
// building, de-duplication and ordering included) against a bare `ws` client reading the same
// emulator stream, in the same run. It prints both medians and their ratio; it checks that every
// event arrived, never how fast.
import { WebSocket } from 'ws';

import { NovaTalksEmulator, type ConversationRecord } from '../test/emulators/novatalks';
import { startTrigger } from '../test/helpers/trigger';
import { chain } from '../test/helpers/workflow-builder';

const EVENTS_PER_ROUND = 5_000;
const ROUNDS = 5;

interface Round {
	eventsPerSecond: number;
	ids: number[];
}

/** Resolves once `done()` holds, checking on every turn of the event loop (no timer granularity). */
async function until(done: () => boolean): Promise<void> {
	while (!done()) await new Promise((resolve) => setImmediate(resolve));
}

/** The baseline: a plain `ws` client that subscribes and parses every frame, as any client must. */
async function bareClientRound(emulator: NovaTalksEmulator, conversation: ConversationRecord): Promise<Round> {
	const socket = new WebSocket(emulator.webSocketUrl);
	const ids: number[] = [];
	let confirmed = false;
	socket.on('message', (raw) => {
		const frame = JSON.parse(raw.toString()) as { event: string; data: { id: number } };
		if (frame.event === 'confirm_subscription') confirmed = true;
		else if (frame.event === 'message.created') ids.push(frame.data.id);
	});
	await new Promise((resolve) => socket.once('open', resolve));
	socket.send(JSON.stringify({ event: 'subscribe', data: { pubsub_token: conversation.token, account_id: 1 } }));
	await until(() => confirmed);

	const started = performance.now();
	emulator.agentBurst(conversation.id, EVENTS_PER_ROUND);
	await until(() => ids.length >= EVENTS_PER_ROUND);
	const seconds = (performance.now() - started) / 1000;

	await new Promise((resolve) => {
		socket.once('close', resolve);
		socket.close();
	});
	return { eventsPerSecond: EVENTS_PER_ROUND / seconds, ids };
}

/** The trigger, started the way n8n activates a workflow, emitting through n8n-core's TriggerContext. */
async function triggerRound(emulator: NovaTalksEmulator, conversation: ConversationRecord): Promise<Round> {
	const trigger = await startTrigger(
		chain({
			name: 'NovaTalks Trigger',
			type: 'novaTalksTrigger',
			parameters: { contactTokens: conversation.token, events: ['message.created'] },
		}),
		{ credentials: emulator.credentials() },
	);
	const started = performance.now();
	emulator.agentBurst(conversation.id, EVENTS_PER_ROUND);
	await until(() => trigger.emitted.length >= EVENTS_PER_ROUND);
	const seconds = (performance.now() - started) / 1000;
	const ids = trigger.emitted.map((item) => Number(item.json.messageId));
	await trigger.close();
	return { eventsPerSecond: EVENTS_PER_ROUND / seconds, ids };
}

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

describe('NovaTalks Trigger throughput', () => {
	let emulator: NovaTalksEmulator;

	beforeAll(async () => {
		emulator = await NovaTalksEmulator.start({ rateLimit: false });
	});

	afterAll(async () => {
		await emulator.close();
	});

	it('emits every event, and prints events/s against a bare ws client', async () => {
		const bare: number[] = [];
		const viaTrigger: number[] = [];
		// Round 0 warms both paths up and is not counted; then the order alternates.
		for (let round = 0; round <= ROUNDS; round++) {
			const conversation = emulator.createConversation(`bench-${round}`);
			const order = round % 2 === 0 ? ['bare', 'trigger'] : ['trigger', 'bare'];
			for (const which of order) {
				const before = emulator.messagesOf(conversation.id).length;
				const result =
					which === 'bare' ? await bareClientRound(emulator, conversation) : await triggerRound(emulator, conversation);
				const expected = emulator
					.messagesOf(conversation.id)
					.slice(before)
					.map((message) => message.id);
				// Every event arrived, once, in order.
				expect(result.ids).toEqual(expected);
				if (round > 0) (which === 'bare' ? bare : viaTrigger).push(result.eventsPerSecond);
			}
		}

		const bareMedian = median(bare);
		const triggerMedian = median(viaTrigger);
		const rows = bare.map((value, index) => `  round ${index + 1}: bare ws ${value.toFixed(0)} ev/s, trigger ${viaTrigger[index].toFixed(0)} ev/s`);
		console.log(
			[
				`NovaTalks Trigger vs bare ws client, ${EVENTS_PER_ROUND} message.created events per round, ${ROUNDS} rounds:`,
				...rows,
				`  median bare ws client:   ${bareMedian.toFixed(0)} events/s`,
				`  median NovaTalks Trigger: ${triggerMedian.toFixed(0)} events/s`,
				`  ratio trigger / bare:     ${(triggerMedian / bareMedian).toFixed(2)} (target >= 0.9)`,
			].join('\n'),
		);
		expect(bare).toHaveLength(ROUNDS);
		expect(viaTrigger).toHaveLength(ROUNDS);
	});
});
