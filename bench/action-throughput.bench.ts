// Action throughput: 1,000 items through each provider's Send Message in n8n-core's engine, against
// the same requests made by n8n's HTTP Request node in the same engine (REST providers) or by a bare
// client sending one request per item over one connection (socket providers), in the same run.
import { conciergeCase, expertflowCase } from './actions/socket-cases';
import { jaicpCase, novaTalksCase, ultimateCase } from './actions/rest-cases';
import { benchItems, type ActionCase, type Sender } from './actions/types';
import { progress, recordRow } from './support/results';
import { collectGarbage, median } from './support/stats';

const ITEMS = 1_000;
const WARM_UP_ITEMS = 100;
const ROUNDS = 3;

const CASES: Array<{ provider: string; start: () => Promise<ActionCase> }> = [
	{ provider: 'NovaTalks', start: novaTalksCase },
	{ provider: 'Ultimate', start: ultimateCase },
	{ provider: 'JAICP', start: jaicpCase },
	{ provider: 'Expertflow', start: expertflowCase },
	{ provider: 'Concierge', start: conciergeCase },
];

interface Round {
	itemsPerSecond: number;
	connections?: number;
}

/** Sends the items one way; checks that the emulator accepted one message per item. */
async function sendRound(action: ActionCase, sender: Sender, items: number, round: string): Promise<Round> {
	const acceptedBefore = await action.accepted();
	const connectionsBefore = await action.connections?.();
	collectGarbage();
	const started = performance.now();
	await sender.send(benchItems(items, round));
	const seconds = (performance.now() - started) / 1000;
	expect((await action.accepted()) - acceptedBefore).toBe(items);
	const connectionsAfter = await action.connections?.();
	return {
		itemsPerSecond: items / seconds,
		connections: connectionsBefore === undefined || connectionsAfter === undefined ? undefined : connectionsAfter - connectionsBefore,
	};
}

describe('Action throughput', () => {
	for (const { provider, start } of CASES) {
		it(`${provider}: Send Message delivers every one of ${ITEMS} items`, async () => {
			const action = await start();
			try {
				progress(`action throughput, ${provider}: ${action.node.label} vs ${action.baseline.label}`);
				await sendRound(action, action.node, WARM_UP_ITEMS, 'warm-up-node');
				await sendRound(action, action.baseline, WARM_UP_ITEMS, 'warm-up-baseline');
				const node: Round[] = [];
				const baseline: Round[] = [];
				for (let round = 0; round < ROUNDS; round++) {
					const order = round % 2 === 0 ? ['node', 'baseline'] : ['baseline', 'node'];
					for (const which of order) {
						if (which === 'node') node.push(await sendRound(action, action.node, ITEMS, `node-${round}`));
						else baseline.push(await sendRound(action, action.baseline, ITEMS, `baseline-${round}`));
					}
				}
				const value = median(node.map((round) => round.itemsPerSecond));
				const base = median(baseline.map((round) => round.itemsPerSecond));
				const connections = node.map((round) => round.connections).filter((count) => count !== undefined);
				if (action.connections) {
					// Socket providers: one connection carries every item of an execution.
					expect(connections).toEqual(node.map(() => 1));
				}
				recordRow({
					section: 'Action throughput',
					subject: `${provider} Send Message`,
					metric: `${ITEMS.toLocaleString('en-US')} items`,
					unit: 'items/s',
					value,
					baseline: { label: action.baseline.label, value: base },
					compare: 'ratio',
					basis: `median of ${ROUNDS} rounds`,
					target: '>= 1.0x',
					met: value / base >= 1,
					note: action.connections
						? `connections opened per run: node ${connections.join('/')}, bare ${baseline.map((round) => round.connections).join('/')}`
						: undefined,
				});
			} finally {
				await action.close();
			}
		});
	}
});
