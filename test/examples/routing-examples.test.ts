import { readFileSync } from 'node:fs';
import path from 'node:path';

import { EXAMPLE_PAIRINGS } from '../e2e/routing';
import { bridgeFlow, workflowFileOf } from '../e2e/routing/bridge-flow';

const example = (file: string) => JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'examples', file), 'utf8')) as ReturnType<typeof bridgeFlow>;

describe('routing examples', () => {
	it.each(EXAMPLE_PAIRINGS)('%s -> %s is what the builder the real-n8n suite plays writes (npm run examples:routing)', (bot, desk) => {
		expect(example(workflowFileOf(bot, desk))).toEqual(bridgeFlow(bot, desk));
	});

	it.each(EXAMPLE_PAIRINGS)('%s -> %s has at most 8 nodes besides notes, no Data Table, Code, If or HTTP Request node', (bot, desk) => {
		const nodes = example(workflowFileOf(bot, desk)).nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
		expect(nodes.length).toBeLessThanOrEqual(8);
		const plumbing = ['n8n-nodes-base.dataTable', 'n8n-nodes-base.code', 'n8n-nodes-base.if', 'n8n-nodes-base.httpRequest'];
		expect(nodes.filter((node) => plumbing.includes(node.type))).toEqual([]);
		expect(nodes.filter((node) => node.type === 'n8n-nodes-chat-bridge.chatBridge')).toHaveLength(1);
	});

	it('covers a hand-over to each desk, Expertflow included', () => {
		expect(new Set(EXAMPLE_PAIRINGS.map(([, desk]) => desk))).toEqual(new Set(['novatalks', 'expertflow', 'concierge']));
	});
});
