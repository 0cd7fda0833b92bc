// The workflows the routing benchmark runs in real n8n: the Chat Bridge flow of the routing suite
// (JAICP bot, NovaTalks desk) under a bridge name of its own, and a baseline of n8n core nodes only.
import { randomUUID } from 'node:crypto';

import type { WorkflowJson } from '../../test/e2e/n8n';
import { bridgeFlow, bridgeNameOf, DESK_NODE } from '../../test/e2e/routing/bridge-flow';

export const BOT = 'jaicp';
export const DESK = 'novatalks';
export const BASELINE_WEBHOOK = 'Customer Message';

/** The bridge's name in a benchmark flow: its Data Tables are `<name>_links` and `<name>_messages`. */
export function benchBridgeName(variant: string): string {
	return `bridge_bench_${variant}`;
}

/**
 * The routing suite's JAICP -> NovaTalks bridge flow, with its own bridge name, customer webhook path
 * and node ids (so several can be published at once), no sticky notes, and the desk trigger's
 * Order per Conversation set as asked.
 */
export function benchBridgeFlow(variant: string, orderPerConversation: boolean): WorkflowJson {
	const text = JSON.stringify(bridgeFlow(BOT, DESK))
		.split(bridgeNameOf(BOT, DESK))
		.join(benchBridgeName(variant))
		.split(`chat-bridge/${BOT}-${DESK}/`)
		.join(`chat-bridge/bench-${variant}/`);
	const flow = JSON.parse(text) as WorkflowJson;
	const nodes = flow.nodes
		.filter((node) => node.type !== 'n8n-nodes-base.stickyNote')
		.map((node) => {
			const parameters =
				node.name === DESK_NODE ? { ...node.parameters, options: { ...(node.parameters.options as object), orderPerConversation } } : node.parameters;
			return { ...node, id: randomUUID(), parameters, ...(node.webhookId ? { webhookId: randomUUID() } : {}) };
		});
	return { ...flow, name: `Bench: Chat Bridge JAICP -> NovaTalks (${variant})`, nodes };
}

/** n8n core nodes only, the same hop: a Webhook whose body an HTTP Request posts on as JSON, answered when that is done. */
export function baselineFlow(deliverTo: string): WorkflowJson {
	return {
		name: 'Bench: Webhook -> HTTP Request',
		nodes: [
			{
				id: randomUUID(),
				name: BASELINE_WEBHOOK,
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path: 'bench/baseline/customer', responseMode: 'lastNode', options: {} },
			},
			{
				id: randomUUID(),
				name: 'Deliver',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [300, 0],
				parameters: { method: 'POST', url: deliverTo, sendBody: true, specifyBody: 'json', jsonBody: '={{ JSON.stringify($json.body) }}', options: {} },
			},
		],
		connections: { [BASELINE_WEBHOOK]: { main: [[{ node: 'Deliver', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		pinData: {},
	} as WorkflowJson;
}
