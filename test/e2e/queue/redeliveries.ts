import type { JaicpEmulator } from '../../emulators/jaicp';
import type { Stack } from '../stack';
import { relayToCustomerApp, webhookTrigger } from './flows';

/** A webhook trigger of this package, and the same event as its provider (re)delivers it. */
export interface RedeliveryCase {
	title: string;
	/** Builds the trigger node; the workflow hands each event on to the customer app. */
	trigger: (stack: Stack) => ReturnType<typeof webhookTrigger>;
	webhookName: string;
	/** One event with message id `id`, as the provider posts it. */
	event: (stack: Stack, id: string) => unknown;
	/** Message ids in this case's namespace (the provider's id format). */
	newId: (serial: number) => string;
}

export const REDELIVERY_CASES: RedeliveryCase[] = [
	{
		title: 'JAICP Trigger (questionId)',
		trigger: (stack) => webhookTrigger(stack.installed.name, 'jaicpTrigger', 'JAICP Replies', { secretCheck: 'none', options: {} }),
		webhookName: 'default',
		event: (stack, id) => [
			{
				token: stack.provider<JaicpEmulator>('jaicp').emulator.token,
				clientId: 'queue-redelivery',
				questionId: id,
				data: { replies: [{ type: 'text', text: `answer ${id}` }], answer: `answer ${id}`, newSessionStarted: false, debugData: [], endSession: false },
				timestamp: '2026-12-01T12:00:00.000',
				blockForm: false,
			},
		],
		newId: (serial) => `q-${Date.now()}-${serial}`,
	},
	{
		title: 'NovaTalks Push Trigger (push notification)',
		trigger: (stack) =>
			webhookTrigger(stack.installed.name, 'novaTalksPushTrigger', 'NovaTalks Push', {
				authentication: 'none',
				events: ['conversation_new_message'],
				options: {},
			}),
		webhookName: 'default',
		event: (_stack, id) => ({
			type: 'ntk.sdk.chat',
			event_name: 'conversation_new_message',
			payload: { conversation_id: 4242, message_id: Number(id), body: `agent says ${id}`, sender: { type: 'User' } },
		}),
		newId: (serial) => String(Date.now() * 10 + serial),
	},
	{
		title: 'Ultimate Trigger (bot message)',
		trigger: (stack) =>
			webhookTrigger(stack.installed.name, 'ultimateTrigger', 'Ultimate Bot', {
				events: ['sendMessage'],
				escalationReply: 'atOnce',
				teamOnlineAnswer: 'fixed',
				options: {},
			}),
		webhookName: 'default',
		event: (stack, id) => ({
			botId: stack.provider('ultimate').credentialData.botId,
			channel: 'chat',
			data: {
				eventType: 'sendMessage',
				platformConversationId: 'queue-redelivery',
				type: 'text',
				messageId: id,
				replyId: `reply-${id}`,
				buttons: [],
				carouselCards: [],
				text: `bot says ${id}`,
			},
		}),
		newId: (serial) => `m-${Date.now()}-${serial}`,
	},
];

/** Imports and publishes a case's workflow; answers its webhook URL (through the load balancer) and the conversation its hand-overs land in. */
export async function setUpRedeliveryCase(stack: Stack, testCase: RedeliveryCase, index: number) {
	const conversationId = `redelivery-${index}-${Date.now()}`;
	const trigger = testCase.trigger(stack);
	const imported = await stack.importWorkflow(
		`queue-redelivery-${index}.json`,
		relayToCustomerApp(`Queue mode: ${testCase.title}`, trigger, stack.customer.replyUrl, conversationId),
	);
	return { imported, conversationId, url: stack.webhookUrl(imported, trigger.name, testCase.webhookName) };
}

/** Posts one copy of an event; answers the HTTP status. */
export async function deliver(url: string, body: unknown): Promise<number> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(30_000),
	});
	await response.arrayBuffer();
	return response.status;
}
