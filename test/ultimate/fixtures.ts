import type { INode, INodeParameters } from 'n8n-workflow';

import { nodeTypeName } from '../helpers/node-types';
import type { NodeSpec } from '../helpers/workflow-builder';
import type { WorkflowJson } from '../helpers/workflow';

export const API_KEY = 'ult-key-5f2d9c1e7a';
export const BOT_ID = '618a30beee4e8e87d2f94015';
export const TRIGGER = 'Ultimate Trigger';

export const ultimateCredentials = (extra: Record<string, string> = {}, baseUrl = 'https://api.ultimate.ai') => ({
	ultimateApi: { apiKey: API_KEY, botId: BOT_ID, baseUrl, ...extra },
});

let workflowCount = 0;
let messageCount = 0;

/** Ultimate Trigger with optional node chains on its Chat (0) and Action (1) outputs. */
export function triggerWorkflow(
	parameters: INodeParameters = {},
	branches: { chat?: NodeSpec[]; action?: NodeSpec[] } = {},
): WorkflowJson {
	const toNode = (spec: NodeSpec, index: number, row: number): INode => ({
		id: `${spec.name}-id`,
		name: spec.name,
		type: spec.type.includes('.') ? spec.type : nodeTypeName(spec.type),
		typeVersion: spec.typeVersion ?? 1,
		position: [(index + 1) * 220, row * 200],
		parameters: spec.parameters ?? {},
	});
	const trigger: INode = {
		id: 'trigger-id',
		name: TRIGGER,
		type: nodeTypeName('ultimateTrigger'),
		typeVersion: 1,
		position: [0, 0],
		parameters,
		webhookId: 'ultimate-hook',
	};
	const chatNodes = (branches.chat ?? []).map((spec, index) => toNode(spec, index, 0));
	const actionNodes = (branches.action ?? []).map((spec, index) => toNode(spec, index, 1));
	const connections: WorkflowJson['connections'] = {};
	const link = (from: string, output: number, to: string | undefined) => {
		if (!to) return;
		const main = connections[from]?.main ?? [];
		while (main.length <= output) main.push([]);
		main[output] = [{ node: to, type: 'main', index: 0 }];
		connections[from] = { main };
	};
	link(TRIGGER, 0, chatNodes[0]?.name);
	link(TRIGGER, 1, actionNodes[0]?.name);
	for (const list of [chatNodes, actionNodes]) {
		list.forEach((node, index) => link(node.name, 0, list[index + 1]?.name));
	}
	// Each workflow gets its own ID, as in n8n: the trigger remembers message IDs per workflow and node.
	return { id: `ultimate-test-${++workflowCount}`, nodes: [trigger, ...chatNodes, ...actionNodes], connections };
}

/** A node that fails: the test Probe node pointed at a port nobody listens on. */
export const failingNode = (port: number): NodeSpec => ({
	name: 'Hand Off',
	type: 'test.probe',
	parameters: { thingId: 'agent', baseUrl: `http://127.0.0.1:${port}` },
});

export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = text === '' ? undefined : JSON.parse(text);
	} catch {
		json = text;
	}
	return { status: response.status, body: json };
}

// Payloads as Ultimate sends them (spec examples plus the fields seen in the wild).
export const chatEvent = (data: Record<string, unknown>, botId = BOT_ID) => ({ botId, channel: 'chat', data });

export const textMessage = (text: string, extra: Record<string, unknown> = {}) =>
	chatEvent({
		eventType: 'sendMessage',
		platformConversationId: 'session1',
		type: 'text',
		messageId: `m-${++messageCount}`,
		replyId: '618a30be1c2ffe001ab1078f',
		confidence: 0.87,
		buttons: [],
		text,
		carouselCards: [],
		...extra,
	});

export const escalateEvent = (conversationId = 'session1') =>
	chatEvent({ eventType: 'escalate', platformConversationId: conversationId, escalateTo: 'billing' });

export const teamOnlineEvent = (teamId = 'sales') => chatEvent({ eventType: 'isTeamOnline', teamId });

export const actionEvent = (data: Array<Record<string, unknown>> = [{ key: 'orderId', value: ['1001'], saveAs: 'orderStatus' }]) => ({
	botId: BOT_ID,
	conversationId: '64b7f0c2e1',
	platformConversationId: 'session1',
	name: 'lookupOrder',
	data,
});
