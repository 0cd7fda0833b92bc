// Routing in real n8n: the hop from one side of a handed-over chat to the other through the Chat
// Bridge (JAICP bot, NovaTalks desk), both ways, against n8n core nodes doing the same hop (Webhook ->
// HTTP Request to a plain server), in the same n8n and the same run; then the cost of the desk
// trigger's Order per Conversation under bursts from 10 chats at once. n8n is the pinned real n8n of
// `npm run test:e2e` (.cache/n8n), with this package packed and installed as a community node.
import { mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { NovaTalksEmulator } from '../test/emulators/novatalks';
import { cacheDir } from '../test/e2e/paths';
import { CUSTOMER_NODE } from '../test/e2e/routing/bridge-flow';
import { CHAT_BRIDGE_SCOPES, Stack, type ImportedWorkflow } from '../test/e2e/stack';
import { baselineFlow, BASELINE_WEBHOOK, benchBridgeFlow } from './routing/flows';
import { handOver } from './routing/hand-over';
import { PlainReceiver, type HopFigures } from './routing/hop-clock';
import { agentsBurst, agentsWrite, Clocks, customersWrite, type BurstResult } from './routing/phases';
import { StoreProxy, type StoreCall } from './routing/store-proxy';
import { executionCounts } from './support/executions';
import { progress, recordRow } from './support/results';
import { median } from './support/stats';
import { until } from './support/waiting';

const CONVERSATIONS = 10;
/** Messages each conversation sends in turn per round (the next once the one before was taken). */
const IN_TURN = 3;
const ROUNDS = 3;
const BURST = 10;
const BURST_ROUNDS = 2;
/** How long an unordered burst may take before its missing messages count as lost. */
const LOSS_WAIT_MS = 60_000;
const SECTION = 'Routing in real n8n';
const BASELINE = 'Webhook -> HTTP Request';

const chatsOf = (label: string) => Array.from({ length: CONVERSATIONS }, (_, index) => `${label}-${index + 1}`);

/** The median over rounds of each figure. */
function medians(rounds: HopFigures[]): HopFigures {
	return {
		p50Ms: median(rounds.map((round) => round.p50Ms)),
		p99Ms: median(rounds.map((round) => round.p99Ms)),
		messagesPerSecond: median(rounds.map((round) => round.messagesPerSecond)),
		messages: rounds.reduce((sum, round) => sum + round.messages, 0),
	};
}

/** What the bridge's Data Table calls since call `from` cost per relay, for the note column (the log gets them by route). */
function storeCost(proxy: StoreProxy, from: number, relays: number, what: string): string {
	const { count, totalMs, byRoute } = proxy.summary(from);
	progress(`routing in real n8n: ${what}: ${relays} relays made ${count} Data Table calls, ${totalMs.toFixed(0)} ms in all: ${JSON.stringify(byRoute)}`);
	return `${(count / relays).toFixed(1)} Data Table calls per relay, ${(totalMs / relays).toFixed(0)} ms of them`;
}

/** A burst's figures without its sequences, for the log. */
function burstFigures(burst: BurstResult): HopFigures & { outOfOrder: number } {
	return { p50Ms: burst.p50Ms, p99Ms: burst.p99Ms, messagesPerSecond: burst.messagesPerSecond, messages: burst.messages, outOfOrder: burst.outOfOrder };
}

function recordHop(subject: string, bridge: HopFigures, baseline: HopFigures, note: string): void {
	const basis = `median of ${ROUNDS} rounds, ${CONVERSATIONS} chats x ${IN_TURN} in turn`;
	const base = (value: number) => ({ label: BASELINE, value });
	recordRow({ section: SECTION, subject, metric: 'p50 hop', unit: 'ms', value: bridge.p50Ms, baseline: base(baseline.p50Ms), compare: 'ratio', basis, target: '<= 1.5x', met: bridge.p50Ms / baseline.p50Ms <= 1.5, note });
	recordRow({ section: SECTION, subject, metric: 'p99 hop', unit: 'ms', value: bridge.p99Ms, baseline: base(baseline.p99Ms), compare: 'ratio', basis, target: '-' });
	recordRow({ section: SECTION, subject, metric: 'throughput', unit: 'messages/s', value: bridge.messagesPerSecond, baseline: base(baseline.messagesPerSecond), compare: 'ratio', basis, target: '-' });
}

/** Every execution of the workflow succeeded, and at least `atLeast` ran. */
async function allSucceeded(stack: Stack, imported: ImportedWorkflow, atLeast: number): Promise<void> {
	let counts = { success: 0, failed: 0 };
	await until(
		async () => {
			counts = await executionCounts(stack.n8n, imported.workflow.id);
			return counts.success >= atLeast || counts.failed > 0;
		},
		60_000,
		`${atLeast} successful executions of ${imported.workflow.name} (${counts.success} so far)`,
	);
	expect({ workflow: imported.workflow.name, failed: counts.failed }).toEqual({ workflow: imported.workflow.name, failed: 0 });
}

async function measureRouting(): Promise<void> {
	const workDir = path.join(cacheDir(), 'bench', `routing-${new Date().toISOString().replace(/[:.]/g, '-')}`);
	mkdirSync(workDir, { recursive: true });
	const clocks = new Clocks();
	const receiver = await PlainReceiver.start((body) => clocks.current?.received(String(body.text)));
	let proxy: StoreProxy | undefined;
	progress('routing in real n8n: starting n8n with the package and the emulators');
	const stack = await Stack.start({ workDir, owner: { email: 'bench@chat-bridge.dev', password: 'Bench-password-1', firstName: 'Bench', lastName: 'Runner' }, log: progress, examples: false });
	try {
		// The bridge keeps its links through a timing pass-through, so its Data Table calls can be counted.
		proxy = await StoreProxy.start(stack.n8n.url);
		const key = await stack.n8n.createApiKey('Chat Bridge store (timed)', CHAT_BRIDGE_SCOPES);
		const storeName = 'Chat Bridge store (timed)';
		stack.credentials.set('chatBridgeApi', { id: await stack.n8n.createCredential(storeName, 'chatBridgeApi', { baseUrl: proxy.url, apiKey: key }), name: storeName });

		const desk = stack.provider<NovaTalksEmulator>('novatalks').emulator;
		desk.onMessage((message) => {
			if (message.message_type === 'incoming' && message.content) clocks.current?.received(message.content);
		});
		stack.customer.on('message', (message) => {
			if (message.from === 'agent') clocks.current?.received(message.text);
		});

		const baseline = await stack.importWorkflow('baseline', baselineFlow(receiver.url));
		const ordered = await stack.importWorkflow('ordered', benchBridgeFlow('ordered', true));
		const unordered = await stack.importWorkflow('unordered', benchBridgeFlow('unordered', false));
		const baselineUrl = stack.webhookUrl(baseline, BASELINE_WEBHOOK);
		const bridgeUrl = stack.webhookUrl(ordered, CUSTOMER_NODE);

		progress(`routing in real n8n: handing ${2 * CONVERSATIONS} chats over to NovaTalks`);
		const orderedLinks = await handOver(stack, ordered, 'ordered', chatsOf('ordered'));
		const unorderedLinks = await handOver(stack, unordered, 'unordered', chatsOf('unordered'));
		const baselineChats = chatsOf('baseline');

		progress('routing in real n8n: warming up');
		await customersWrite(stack, clocks, baselineUrl, baselineChats, 2, 'warm-up');
		await customersWrite(stack, clocks, bridgeUrl, [...orderedLinks.keys()], 2, 'warm-up');
		await agentsWrite(desk, clocks, orderedLinks, 2, 'warm-up');
		await agentsWrite(desk, clocks, unorderedLinks, 2, 'warm-up');

		const runs = { baseline: [] as HopFigures[], toDesk: [] as HopFigures[], toCustomer: [] as HopFigures[] };
		const storeCalls = { toDesk: [] as StoreCall[], toCustomer: [] as StoreCall[] };
		for (let round = 1; round <= ROUNDS; round++) {
			progress(`routing in real n8n: hop round ${round} of ${ROUNDS}`);
			const phases: Array<() => Promise<void>> = [
				async () => void runs.baseline.push(await customersWrite(stack, clocks, baselineUrl, baselineChats, IN_TURN, `baseline r${round}`)),
				async () => {
					const from = proxy!.calls.length;
					runs.toDesk.push(await customersWrite(stack, clocks, bridgeUrl, [...orderedLinks.keys()], IN_TURN, `to desk r${round}`));
					storeCalls.toDesk.push(...proxy!.calls.slice(from));
				},
				async () => {
					const from = proxy!.calls.length;
					runs.toCustomer.push(await agentsWrite(desk, clocks, orderedLinks, IN_TURN, `to customer r${round}`));
					storeCalls.toCustomer.push(...proxy!.calls.slice(from));
				},
			];
			for (let index = 0; index < phases.length; index++) await phases[(index + round) % phases.length]();
		}
		const relays = ROUNDS * CONVERSATIONS * IN_TURN;
		const callsNote = (calls: StoreCall[], what: string) => {
			const ms = calls.reduce((sum, call) => sum + call.ms, 0);
			progress(`routing in real n8n: ${what}: ${relays} relays made ${calls.length} Data Table calls, ${ms.toFixed(0)} ms in all`);
			return `${(calls.length / relays).toFixed(1)} Data Table calls per relay, ${(ms / relays).toFixed(0)} ms of them`;
		};
		const baselineFigures = medians(runs.baseline);
		const toDesk = medians(runs.toDesk);
		const toCustomer = medians(runs.toCustomer);
		progress(`routing in real n8n: baseline ${JSON.stringify(baselineFigures)}; to desk ${JSON.stringify(toDesk)}; to customer ${JSON.stringify(toCustomer)}`);
		recordHop('Chat Bridge: customer -> NovaTalks desk', toDesk, baselineFigures, callsNote(storeCalls.toDesk, 'to desk'));
		recordHop('Chat Bridge: NovaTalks agent -> customer', toCustomer, baselineFigures, callsNote(storeCalls.toCustomer, 'to customer'));

		const bursts = { ordered: [] as BurstResult[], unordered: [] as BurstResult[] };
		const burstStoreFrom = proxy.calls.length;
		for (let round = 1; round <= BURST_ROUNDS; round++) {
			progress(`routing in real n8n: burst round ${round} of ${BURST_ROUNDS}`);
			const order: Array<'ordered' | 'unordered'> = round % 2 ? ['ordered', 'unordered'] : ['unordered', 'ordered'];
			for (const variant of order) {
				const links = variant === 'ordered' ? orderedLinks : unorderedLinks;
				bursts[variant].push(await agentsBurst(stack, desk, clocks, links, BURST, `burst r${round}`, variant === 'ordered' ? undefined : LOSS_WAIT_MS));
			}
		}
		const everyOnce = [...Array(BURST).keys()];
		for (const variant of ['ordered', 'unordered'] as const) {
			for (const burst of bursts[variant]) {
				for (const [chat, sequence] of burst.sequences) {
					// Order on: every message once, in the order sent. Order off: none twice (losses are counted).
					if (variant === 'ordered') expect({ chat, received: sequence }).toEqual({ chat, received: everyOnce });
					else expect({ chat, twice: sequence.filter((number, index) => sequence.indexOf(number) !== index) }).toEqual({ chat, twice: [] });
				}
			}
		}
		const burstMessages = CONVERSATIONS * BURST;
		const orderedRate = median(bursts.ordered.map((burst) => burst.messagesPerSecond));
		const unorderedRate = median(bursts.unordered.map((burst) => burst.messagesPerSecond));
		const outOfOrder = bursts.unordered.map((burst) => burst.outOfOrder);
		const lost = bursts.unordered.map((burst) => burst.lost);
		progress(`routing in real n8n: bursts ordered ${JSON.stringify(bursts.ordered.map(burstFigures))}`);
		progress(`routing in real n8n: bursts unordered ${JSON.stringify(bursts.unordered.map(burstFigures))}`);
		const basis = `median of ${BURST_ROUNDS} bursts, ${CONVERSATIONS} chats x ${BURST} at once`;
		const note = `order off: ${outOfOrder.join(', ')} of ${burstMessages} arrived after a later one, ${lost.join(', ')} lost; ${storeCost(proxy, burstStoreFrom, 2 * BURST_ROUNDS * burstMessages, 'bursts')}`;
		recordRow({ section: SECTION, subject: 'Order per Conversation: agent -> customer', metric: 'throughput', unit: 'messages/s', value: orderedRate, baseline: { label: 'order off', value: unorderedRate }, compare: 'ratio', basis, target: '>= 0.8x', met: orderedRate / unorderedRate >= 0.8, note });
		recordRow({ section: SECTION, subject: 'Order per Conversation: agent -> customer', metric: 'p50 hop', unit: 'ms', value: median(bursts.ordered.map((burst) => burst.p50Ms)), baseline: { label: 'order off', value: median(bursts.unordered.map((burst) => burst.p50Ms)) }, compare: 'ratio', basis, target: '-' });

		// Every message ran its workflow, and none of those runs failed.
		const inTurnTotal = (2 + ROUNDS * IN_TURN) * CONVERSATIONS;
		await allSucceeded(stack, baseline, inTurnTotal);
		await allSucceeded(stack, ordered, 2 * inTurnTotal + BURST_ROUNDS * burstMessages);
		const unorderedRuns = await executionCounts(stack.n8n, unordered.workflow.id);
		progress(`routing in real n8n: order off: ${unorderedRuns.success} executions succeeded, ${unorderedRuns.failed} failed; lost per burst: ${lost.join(', ')}`);
		progress(`routing in real n8n: ${os.cpus().length} CPUs, load average ${os.loadavg().map((value) => value.toFixed(2)).join(' ')}`);
	} finally {
		await stack.stop();
		await receiver.close();
		await proxy?.close();
	}
	rmSync(workDir, { recursive: true, force: true });
}

describe(SECTION, () => {
	it('Chat Bridge hops against Webhook -> HTTP Request, and Order per Conversation on against off, every message delivered once', measureRouting);
});
