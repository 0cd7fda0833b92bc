// The routing benchmark's phases, each on a fresh HopClock: customers writing in turn through a
// customer webhook, agents writing in turn on the NovaTalks desk, and agents' bursts.
import type { NovaTalksEmulator } from '../../test/emulators/novatalks';
import type { Stack } from '../../test/e2e/stack';
import { HopClock, type HopFigures } from './hop-clock';

export const TIMEOUT_MS = 120_000;

/** Where each phase's arrivals are reported: the clock of the phase under way. */
export class Clocks {
	current?: HopClock;

	start(): HopClock {
		this.current = new HopClock();
		return this.current;
	}
}

/** Each chat's customer writes `perChat` messages, the next once the webhook answered the one before; all chats at once. */
export async function customersWrite(stack: Stack, clocks: Clocks, webhookUrl: string, chats: string[], perChat: number, tag: string): Promise<HopFigures> {
	const clock = clocks.start();
	await Promise.all(
		chats.map(async (chat) => {
			for (let index = 0; index < perChat; index++) {
				const text = `${tag} ${chat} #${index}`;
				clock.sent(text);
				await stack.customer.say(webhookUrl, chat, text);
			}
		}),
	);
	await clock.arrivals.reach(chats.length * perChat, TIMEOUT_MS, `${tag}: every customer message at the far side`);
	return finished(clock);
}

/** Each linked chat's agent writes `perChat` messages, the next once the customer got the one before; all chats at once. */
export async function agentsWrite(desk: NovaTalksEmulator, clocks: Clocks, links: Map<string, number>, perChat: number, tag: string): Promise<HopFigures> {
	const clock = clocks.start();
	await Promise.all(
		[...links].map(async ([chat, conversationId]) => {
			for (let index = 0; index < perChat; index++) {
				const text = `${tag} ${chat} #${index}`;
				clock.sent(text);
				desk.agentSend(conversationId, { content: text });
				await clock.arrived(text, TIMEOUT_MS);
			}
		}),
	);
	return finished(clock);
}

export interface BurstResult extends HopFigures {
	/** Messages that never reached the customer (only where losses are allowed). */
	lost: number;
	/** Messages that reached the customer after a later message of their conversation. */
	outOfOrder: number;
	/** Per chat, the burst's message numbers in the order the customer got them. */
	sequences: Map<string, number[]>;
}

/**
 * Every linked chat's agent writes `perChat` messages at once; waits until the customers got them all,
 * or, where `lossWaitMs` is given, at most that long (the messages missing then count as lost).
 */
export async function agentsBurst(
	stack: Stack,
	desk: NovaTalksEmulator,
	clocks: Clocks,
	links: Map<string, number>,
	perChat: number,
	tag: string,
	lossWaitMs?: number,
): Promise<BurstResult> {
	const clock = clocks.start();
	for (const [chat, conversationId] of links) {
		for (let index = 0; index < perChat; index++) {
			const text = `${tag} ${chat} #${index}`;
			clock.sent(text);
			desk.agentSend(conversationId, { content: text });
		}
	}
	const expected = links.size * perChat;
	const arrived = clock.arrivals.reach(expected, lossWaitMs ?? TIMEOUT_MS, `${tag}: every agent message at the customer`);
	if (lossWaitMs === undefined) await arrived;
	else await arrived.catch(() => undefined);
	const figures = finished(clock);
	const sequences = new Map<string, number[]>();
	let outOfOrder = 0;
	for (const chat of links.keys()) {
		const prefix = `${tag} ${chat} #`;
		const sequence = stack.customer
			.messagesIn(chat)
			.filter((message) => message.from === 'agent' && message.text.startsWith(prefix))
			.map((message) => Number(message.text.slice(prefix.length)));
		let highest = -1;
		for (const number of sequence) {
			if (number < highest) outOfOrder++;
			highest = Math.max(highest, number);
		}
		sequences.set(chat, sequence);
	}
	return { ...figures, lost: expected - figures.messages, outOfOrder, sequences };
}

function finished(clock: HopClock): HopFigures {
	const figures = clock.figures();
	if (clock.unexpected.length > 0) throw new Error(`Delivered twice: ${clock.unexpected.slice(0, 5).join(', ')}`);
	return figures;
}
