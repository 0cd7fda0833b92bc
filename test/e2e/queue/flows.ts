import { randomUUID } from 'node:crypto';

import type { WorkflowJson } from '../n8n';

type WorkflowNode = WorkflowJson['nodes'][number];

/**
 * A workflow that hands every event its trigger emits to the customer app, standing in for the other
 * provider: one POST per execution, carrying the event's message id, so what arrived there can be
 * counted per message.
 */
export function relayToCustomerApp(name: string, trigger: Omit<WorkflowNode, 'position'>, inboxUrl: string, conversationId: string): WorkflowJson {
	return {
		name,
		nodes: [
			{ ...trigger, position: [0, 0] },
			{
				name: 'Hand Over',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [260, 0],
				parameters: {
					method: 'POST',
					url: inboxUrl,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: `={{ JSON.stringify({ conversationId: ${JSON.stringify(conversationId)}, from: 'bot', text: String($json.messageId) }) }}`,
					options: {},
				},
			},
		],
		connections: { [trigger.name]: { main: [[{ node: 'Hand Over', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** A webhook trigger of this package with its own webhook id (so its path is unique to this run). */
export function webhookTrigger(packageName: string, type: string, name: string, parameters: Record<string, unknown>): Omit<WorkflowNode, 'position'> {
	return { name, type: `${packageName}.${type}`, typeVersion: 1, webhookId: randomUUID(), parameters };
}

/** The same hand-over with a pause before it, so a message is mid-execution on a worker for `seconds`. */
export function slowRelayToCustomerApp(name: string, trigger: Omit<WorkflowNode, 'position'>, inboxUrl: string, conversationId: string, seconds: number): WorkflowJson {
	const relay = relayToCustomerApp(name, trigger, inboxUrl, conversationId);
	const [first, handOver] = relay.nodes;
	return {
		...relay,
		nodes: [
			first,
			{ name: 'Pause', type: 'n8n-nodes-base.wait', typeVersion: 1.1, position: [130, 0], parameters: { resume: 'timeInterval', amount: seconds, unit: 'seconds' } },
			handOver,
		],
		connections: {
			[trigger.name]: { main: [[{ node: 'Pause', type: 'main', index: 0 }]] },
			Pause: { main: [[{ node: handOver.name, type: 'main', index: 0 }]] },
		},
	};
}
