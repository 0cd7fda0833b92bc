import { createHash } from 'node:crypto';

import type { WorkflowJson } from '../n8n';
import { ROUTING_TENANT_CREDENTIAL } from '../providers/concierge';

export type Bot = 'ultimate' | 'jaicp';
export type Desk = 'novatalks' | 'expertflow' | 'concierge';

export const BOTS: Bot[] = ['ultimate', 'jaicp'];
export const DESKS: Desk[] = ['novatalks', 'expertflow', 'concierge'];

const NAMES: Record<Bot | Desk, string> = {
	ultimate: 'Ultimate',
	jaicp: 'JAICP',
	novatalks: 'NovaTalks',
	expertflow: 'Expertflow',
	concierge: 'Concierge',
};


export const CUSTOMER_NODE = 'Customer Message';
export const BOT_NODE = 'Bot Events';
export const DESK_NODE = 'Agent Replies';
export const BRIDGE_NODE = 'Chat Bridge';

type Node = WorkflowJson['nodes'][number];

/** A stable UUID-shaped id from a text, so generated workflows are the same every time. */
function stableId(text: string): string {
	const hex = createHash('sha1').update(text).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function bridgeNameOf(bot: Bot, desk: Desk): string {
	return `bridge_${bot}_${desk}`;
}

export function workflowFileOf(bot: Bot, desk: Desk): string {
	return `routing-${bot}-to-${desk}.json`;
}

/**
 * A routing workflow on the Chat Bridge for one bot and one desk: the customer's webhook, the bot's
 * trigger (Ultimate; JAICP answers in the same request), the desk's trigger following the bridge's
 * hand-overs, and one Chat Bridge node they all feed. Sticky notes say what each part does.
 */
export function bridgeFlow(bot: Bot, desk: Desk): WorkflowJson {
	const key = `${bot}-${desk}`;
	const bridgeName = bridgeNameOf(bot, desk);
	const node = (name: string, type: string, position: [number, number], parameters: Record<string, unknown>, extra: Partial<Node> = {}): Node =>
		({ id: stableId(`${key}/${name}`), name, type, typeVersion: 1, position, parameters, ...extra }) as Node;
	const note = (name: string, position: [number, number], content: string, height: number, width: number, color: number): Node =>
		node(name, 'n8n-nodes-base.stickyNote', position, { content, height, width, color });

	const nodes: Node[] = [
		note(
			'Note: How It Works',
			[-420, -200],
			`## ${NAMES[bot]} bot, handed over to a ${NAMES[desk]} desk\n` +
				`The customer's chat front end posts \`{conversationId, text, replyUrl}\` to **${CUSTOMER_NODE}**; answers go to \`replyUrl\`.\n` +
				`The **${BRIDGE_NODE}** sends each event where it belongs: the customer's messages to the bot, then to the desk once the bot hands over; ` +
				`bot and agent messages to the customer. Links and transcripts live in this n8n's Data Tables (\`${bridgeName}_links\`, \`${bridgeName}_messages\`).`,
			200,
			760,
			7,
		),
		node(CUSTOMER_NODE, 'n8n-nodes-base.webhook', [0, 80], { httpMethod: 'POST', path: `chat-bridge/${key}/customer`, responseMode: 'lastNode', options: {} }, {
			typeVersion: 2.1,
			webhookId: stableId(`${key}/customer-webhook`),
		}),
		node(
			BRIDGE_NODE,
			'n8n-nodes-chat-bridge.chatBridge',
			[340, 260],
			{
				operation: 'relay',
				bot,
				desk,
				options: {
					bridgeName,
					transcriptHeader: `Handed over by the ${NAMES[bot]} bot. Transcript so far:`,
					// Every session of the tenant reaches the Concierge Trigger, other workflows' too.
					...(desk === 'concierge' ? { unknownConversation: 'notRelayed' } : {}),
				},
			},
			// The bridge opens its Concierge sessions as the tenant whose sessions the trigger hears.
			desk === 'concierge' ? { credentials: { conciergeApi: { id: 'concierge-routing-tenant', name: ROUTING_TENANT_CREDENTIAL } } } : {},
		),
	];
	const connections: WorkflowJson['connections'] = { [CUSTOMER_NODE]: { main: [[{ node: BRIDGE_NODE, type: 'main', index: 0 }]] } };

	if (bot === 'ultimate') {
		nodes.push(
			node(
				BOT_NODE,
				'n8n-nodes-chat-bridge.ultimateTrigger',
				[0, 260],
				{ escalationReply: 'afterWorkflow', messageReply: 'afterWorkflow', teamOnlineAnswer: 'fixed', teamOnline: true, options: {} },
				{ webhookId: stableId(`${key}/ultimate-webhook`) },
			),
			node('Answer Order Lookup', 'n8n-nodes-chat-bridge.ultimate', [340, 460], {
				resource: 'webhookReply',
				operation: 'answerAction',
				resultsMode: 'fields',
				results: { entries: [{ key: 'orderStatus', value: 'on its way: it arrives tomorrow' }] },
			}),
			note('Note: Bot Actions', [-420, 420], "### The bot's actions\nUltimate asks for an order's status; the answer goes back to the bot.", 140, 760, 6),
		);
		connections[BOT_NODE] = {
			main: [[{ node: BRIDGE_NODE, type: 'main', index: 0 }], [{ node: 'Answer Order Lookup', type: 'main', index: 0 }]],
		};
	}

	const deskParameters: Record<Desk, Record<string, unknown>> = {
		novatalks: { follow: 'bridge', bridgeName, events: ['message.created'], onlyAgentSide: true, options: {} },
		expertflow: { mode: 'bridge', bridgeName, events: ['chatMessage', 'activityMessage'], activityTypes: ['endOfConversation'], options: {} },
		concierge: { follow: 'all', events: ['chatMessage', 'chatSessionUpdate'], conciergeOnly: true, options: {} },
	};
	nodes.push(
		node(
			DESK_NODE,
			`n8n-nodes-chat-bridge.${desk === 'novatalks' ? 'novaTalksTrigger' : `${desk}Trigger`}`,
			[0, 640],
			deskParameters[desk],
			desk === 'concierge' ? { credentials: { conciergeApi: { id: 'concierge-routing-tenant', name: ROUTING_TENANT_CREDENTIAL } } } : {},
		),
		note(
			'Note: Desk',
			[-420, 600],
			desk === 'concierge'
				? '### The desk\nThe Concierge Trigger hears every session of the routing tenant; the bridge relays those it linked.'
				: `### The desk\nThe ${NAMES[desk]} Trigger follows every chat this bridge hands over (its Bridge Name), from the first message on.`,
			160,
			760,
			4,
		),
	);
	connections[DESK_NODE] = { main: [[{ node: BRIDGE_NODE, type: 'main', index: 0 }]] };

	return {
		name: `Routing: ${NAMES[bot]} bot, handed over to a ${NAMES[desk]} desk`,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	} as WorkflowJson;
}
