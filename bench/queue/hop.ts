import type { NovaTalksEmulator } from '../../test/emulators/novatalks';
import type { WorkflowJson } from '../../test/e2e/n8n';
import type { ImportedWorkflow, Stack } from '../../test/e2e/stack';
import { percentile } from '../support/stats';
import { pause } from '../support/waiting';

/** One routed hop under test: a webhook in, a message out at NovaTalks. */
export interface Hop {
	name: string;
	imported: ImportedWorkflow;
	/** URL the load goes to (the load balancer in front of the webhook processors). */
	url: string;
	/** Body of message `id`; the text that reaches NovaTalks contains `id`. */
	body: (id: string) => unknown;
}

export interface HopResult {
	messages: number;
	messagesPerSecond: number;
	p50Ms: number;
	p99Ms: number;
}

const INBOUND_CONCURRENCY = 8;

/**
 * Sends `count` messages through the hop (8 requests in flight, as a load balancer sees a busy channel)
 * and times each from its request to its arrival in the NovaTalks conversation. Fails when one is lost
 * or arrives twice.
 */
export async function driveHop(stack: Stack, hop: Hop, conversationId: number, count: number, runId: string): Promise<HopResult> {
	const novatalks = stack.provider<NovaTalksEmulator>('novatalks').emulator;
	const sentAt = new Map<string, number>();
	const arrivedAt = new Map<string, number>();
	let seen = novatalks.messagesOf(conversationId).length;
	const watch = setInterval(() => {
		const messages = novatalks.messagesOf(conversationId);
		for (const message of messages.slice(seen)) {
			const id = /\[(\w+-\d+)\]/.exec(message.content ?? '')?.[1];
			if (!id) continue;
			if (arrivedAt.has(id)) throw new Error(`${hop.name}: message ${id} arrived twice`);
			arrivedAt.set(id, performance.now());
		}
		seen = messages.length;
	}, 2);
	try {
		const ids = Array.from({ length: count }, (_, index) => `${runId}-${index}`);
		let next = 0;
		const sender = async () => {
			while (next < ids.length) {
				const id = ids[next++];
				sentAt.set(id, performance.now());
				const response = await fetch(hop.url, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(hop.body(id)),
					signal: AbortSignal.timeout(60_000),
				});
				await response.arrayBuffer();
				if (!response.ok) throw new Error(`${hop.name}: message ${id} was answered ${response.status}`);
			}
		};
		await Promise.all(Array.from({ length: INBOUND_CONCURRENCY }, sender));
		const deadline = Date.now() + 180_000;
		while (arrivedAt.size < count) {
			if (Date.now() > deadline) throw new Error(`${hop.name}: ${arrivedAt.size} of ${count} messages arrived`);
			await pause(20);
		}
		const latencies = ids.map((id) => arrivedAt.get(id)! - sentAt.get(id)!);
		const first = Math.min(...sentAt.values());
		const last = Math.max(...arrivedAt.values());
		return { messages: count, messagesPerSecond: count / ((last - first) / 1000), p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
	} finally {
		clearInterval(watch);
	}
}

/** This package's hop: an Ultimate bot message in, the NovaTalks node's Send Message out. */
export function packageHopWorkflow(packageName: string, contactToken: string): WorkflowJson {
	return {
		name: 'Queue bench: Ultimate Trigger -> NovaTalks',
		nodes: [
			{
				name: 'Bot Message',
				type: `${packageName}.ultimateTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: `queue-bench-ultimate-${Date.now()}`,
				parameters: { events: ['sendMessage'], escalationReply: 'atOnce', teamOnlineAnswer: 'fixed', options: {} },
			},
			{
				name: 'To Agent',
				type: `${packageName}.novaTalks`,
				typeVersion: 1,
				position: [260, 0],
				parameters: { resource: 'message', operation: 'send', contactToken, text: '={{ $json.text }}', sendOptions: {} },
			},
		],
		connections: { 'Bot Message': { main: [[{ node: 'To Agent', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** The same hop with n8n's core nodes only: its Webhook node in, its HTTP Request node calling NovaTalks' SDK API out. */
export function coreHopWorkflow(novatalksBaseUrl: string, contactToken: string): WorkflowJson {
	const path = `queue-bench-core-${Date.now()}`;
	return {
		name: 'Queue bench: Webhook -> HTTP Request',
		nodes: [
			{
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: path,
				parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
			},
			{
				name: 'To Agent',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [260, 0],
				parameters: {
					method: 'POST',
					url: `${novatalksBaseUrl}/api/v1/sdk/conversations/messages`,
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'access_token', value: contactToken }] },
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ message: { content: $json.body.data.text, echo_id: $json.body.data.messageId } }) }}',
					options: {},
				},
			},
		],
		connections: { Webhook: { main: [[{ node: 'To Agent', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** The bot message both hops receive (the Ultimate chat webhook's payload; the core hop reads the same fields). */
export function botMessage(botId: string, id: string): unknown {
	return {
		botId,
		channel: 'chat',
		data: {
			eventType: 'sendMessage',
			platformConversationId: 'queue-bench',
			type: 'text',
			messageId: id,
			replyId: `reply-${id}`,
			buttons: [],
			carouselCards: [],
			text: `routed [${id}]`,
		},
	};
}
