import type { WorkflowJson } from '../../test/e2e/n8n';

export const ULTIMATE_BOT = 'bench-bot';

/** A webhook under load: its workflow (the webhook node feeding one No Operation node) and what each request sends. */
export interface WebhookTarget {
	name: string;
	workflow: WorkflowJson;
	/** The webhook node and the webhook of it that is called. */
	node: string;
	/** URL path under /webhook/. */
	path: string;
	/** JSON body; `{n}` becomes a number unique to the request. */
	body: string;
}

function feeding(name: string, trigger: WorkflowJson['nodes'][number]): WorkflowJson {
	return {
		name: `Bench: ${name}`,
		nodes: [trigger, { name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [260, 0], parameters: {} }],
		connections: { [trigger.name]: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** n8n's own Webhook node, answering at once as both triggers do for these events. */
export function plainWebhook(): WebhookTarget {
	const path = 'bench-plain-webhook';
	return {
		name: 'Webhook node',
		node: 'Webhook',
		path,
		workflow: feeding('Webhook node', {
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'bench-plain-webhook-id',
			parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
		}),
		body: '{"text":"hello {n}"}',
	};
}

/** The Ultimate Trigger's chat webhook with a bot message (answered at once, then the workflow runs). */
export function ultimateTrigger(packageName: string): WebhookTarget {
	const webhookId = 'bench-ultimate-trigger';
	return {
		name: 'Ultimate Trigger',
		node: 'Ultimate Trigger',
		path: `${webhookId}/chat`,
		workflow: feeding('Ultimate Trigger', {
			name: 'Ultimate Trigger',
			type: `${packageName}.ultimateTrigger`,
			typeVersion: 1,
			position: [0, 0],
			webhookId,
			parameters: { events: ['sendMessage'], escalationReply: 'atOnce', teamOnlineAnswer: 'fixed', options: {} },
		}),
		body: JSON.stringify({
			botId: ULTIMATE_BOT,
			channel: 'chat',
			data: {
				eventType: 'sendMessage',
				platformConversationId: 'bench-conversation',
				messageId: 'bench-{n}',
				replyId: 'reply-{n}',
				type: 'text',
				text: 'hello {n}',
				buttons: [],
				carouselCards: [],
			},
		}),
	};
}

/** The JAICP Trigger (webhook) with one bot answer, as JAICP posts them (an array). */
export function jaicpTrigger(packageName: string): WebhookTarget {
	const webhookId = 'bench-jaicp-trigger';
	return {
		name: 'JAICP Trigger',
		node: 'JAICP Trigger',
		path: `${webhookId}/jaicp`,
		workflow: feeding('JAICP Trigger', {
			name: 'JAICP Trigger',
			type: `${packageName}.jaicpTrigger`,
			typeVersion: 1,
			position: [0, 0],
			webhookId,
			parameters: { options: {} },
		}),
		body: JSON.stringify([
			{
				clientId: 'bench-client',
				questionId: 'question-{n}',
				data: { replies: [{ type: 'text', text: 'hello {n}' }], answer: 'hello {n}', newSessionStarted: false, endSession: false },
				timestamp: '2026-01-01T00:00:00.000',
			},
		]),
	};
}
