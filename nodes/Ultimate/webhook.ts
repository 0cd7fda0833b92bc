import type { IncomingHttpHeaders } from 'node:http';
import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { ChatEvent } from '../shared/chat-event';
import {
	actionResultsReply,
	actionWebhookToEvent,
	chatWebhookToEvent,
	parseActionWebhook,
	parseChatWebhook,
	teamOnlineReply,
	type UltimateCredentials,
	type UltimateEventName,
} from './protocol';
import { rememberInStaticData } from '../shared/recent-ids';
import { sameSecret } from '../shared/secrets';

/** Webhook names: n8n calls the first webhook of a node `default`; here it is the chat webhook. */
export const CHAT_WEBHOOK = 'default';
export const ACTIONS_WEBHOOK = 'actions';

export const CHAT_OUTPUT = 0;
export const ACTION_OUTPUT = 1;

export interface TriggerSettings {
	events: UltimateEventName[];
	/** `afterWorkflow`: 2xx only once the workflow succeeded, 500 when it failed. */
	escalationReply: 'afterWorkflow' | 'atOnce';
	/** `fixed`: answer `{isOnline: teamOnline}` at once; `fromWorkflow`: the workflow's last node answers. */
	teamOnlineAnswer: 'fixed' | 'fromWorkflow';
	/** Bot messages answered at once, or once the workflow ran (keeps a conversation's messages in order). */
	messageReply: 'atOnce' | 'afterWorkflow';
	teamOnline: boolean;
	rawOutput: boolean;
	secretHeader: string;
	checkBotId: boolean;
}

/**
 * The chat webhook's response mode, as an expression over the node's parameters: it waits for the
 * workflow (`lastNode`) whenever an escalation or a team query is to be answered from it. Events the
 * node answers itself are answered at once in either mode.
 */
export const CHAT_RESPONSE_MODE =
	'={{ $parameter["escalationReply"] === "atOnce" && $parameter["teamOnlineAnswer"] === "fixed" && $parameter["messageReply"] !== "afterWorkflow" ? "onReceived" : "lastNode" }}';

/** How many bot message ids each trigger node remembers (in its static data) to drop repeated deliveries. */
const REMEMBERED_MESSAGES = 1000;

type Reply = { status: number; body: IDataObject };

interface Incoming {
	name: UltimateEventName;
	botId: string;
	event: ChatEvent;
	output: typeof CHAT_OUTPUT | typeof ACTION_OUTPUT;
}

/** Handles one call to either webhook: check, parse, filter, emit, and answer as the bot expects. */
export async function handleWebhook(ctx: IWebhookFunctions, settings: TriggerSettings): Promise<IWebhookResponseData> {
	const credentials = await ctx.getCredentials<UltimateCredentials>('ultimateApi');
	const answerNow = (reply: Reply): IWebhookResponseData => {
		ctx.getResponseObject().status(reply.status).json(reply.body);
		return { noWebhookResponse: true };
	};

	if (!secretMatches(ctx.getHeaderData(), settings.secretHeader, credentials.webhookSecret)) {
		return answerNow({ status: 401, body: { message: 'Missing or wrong webhook secret' } });
	}
	const incoming = parseIncoming(ctx.getWebhookName() === ACTIONS_WEBHOOK, ctx.getBodyData());
	if ('error' in incoming) return answerNow({ status: 400, body: { message: incoming.error } });

	if (settings.checkBotId && credentials.botId && incoming.botId !== credentials.botId) {
		return answerNow({
			status: 403,
			body: { message: `This event is for bot ${incoming.botId}; the credential is for bot ${credentials.botId}` },
		});
	}
	if (!settings.events.includes(incoming.name)) return answerNow(ignoredReply(incoming.name, settings));
	if (isRepeat(ctx, incoming.event)) return answerNow({ status: 200, body: { message: 'Repeated message ignored' } });

	const item: INodeExecutionData = { json: (settings.rawOutput ? incoming.event.raw : incoming.event) as IDataObject };
	const workflowData = incoming.output === ACTION_OUTPUT ? [[], [item]] : [[item], []];
	const immediate = immediateReply(incoming.name, settings);
	// Without an immediate answer, n8n answers once the workflow ended (the webhook's lastNode mode).
	return immediate ? { ...answerNow(immediate), workflowData } : { workflowData };
}

function parseIncoming(isActionsWebhook: boolean, body: unknown): Incoming | { error: string } {
	if (isActionsWebhook) {
		const action = parseActionWebhook(body);
		if (!action.ok) return { error: `Not an Ultimate action: ${action.reason}` };
		return { name: 'action', botId: action.value.botId, event: actionWebhookToEvent(action.value), output: ACTION_OUTPUT };
	}
	const chat = parseChatWebhook(body);
	if (!chat.ok) return { error: `Not an Ultimate chat event: ${chat.reason}` };
	return {
		name: chat.value.data.eventType,
		botId: chat.value.botId,
		event: chatWebhookToEvent(chat.value),
		output: CHAT_OUTPUT,
	};
}

/** What to answer before the workflow runs; undefined when the workflow's outcome is the answer. */
function immediateReply(name: UltimateEventName, settings: TriggerSettings): Reply | undefined {
	switch (name) {
		case 'escalate':
			return settings.escalationReply === 'atOnce' ? received() : undefined;
		case 'isTeamOnline':
			return settings.teamOnlineAnswer === 'fixed' ? { status: 200, body: teamOnlineReply(settings.teamOnline) } : undefined;
		case 'action':
			return undefined;
		case 'sendMessage':
			return settings.messageReply === 'afterWorkflow' ? undefined : received();
		default:
			return received();
	}
}

/**
 * The answer to an event this trigger does not listen for, so no workflow runs: escalations the
 * workflow was to confirm fail (501), team queries not answered by a fixed setting say offline,
 * actions get no results, everything else is acknowledged.
 */
function ignoredReply(name: UltimateEventName, settings: TriggerSettings): Reply {
	if (name === 'escalate' && settings.escalationReply === 'afterWorkflow') {
		return { status: 501, body: { message: 'This workflow does not take escalations' } };
	}
	if (name === 'isTeamOnline') {
		return { status: 200, body: teamOnlineReply(settings.teamOnlineAnswer === 'fixed' && settings.teamOnline) };
	}
	if (name === 'action') return { status: 200, body: actionResultsReply([]) as unknown as IDataObject };
	return { status: 200, body: { message: 'Event ignored: the trigger does not listen for it' } };
}

const received = (): Reply => ({ status: 200, body: { message: 'Event received' } });

/** Whether the bot message was emitted before, by this or any other n8n process (see rememberInStaticData). */
function isRepeat(ctx: IWebhookFunctions, event: ChatEvent): boolean {
	if (!event.messageId) return false;
	return !rememberInStaticData(ctx.getWorkflowStaticData('node'), 'emittedMessageIds', event.messageId, REMEMBERED_MESSAGES);
}

/** Compares the secret header with the credential's secret in constant time; `Bearer <secret>` also passes. */
export function secretMatches(headers: IncomingHttpHeaders, headerName: string, secret: string | undefined): boolean {
	if (!secret) return true;
	const raw = headers[headerName.trim().toLowerCase()];
	const given = (Array.isArray(raw) ? raw[0] : raw)?.trim();
	if (!given) return false;
	return sameSecret(given, secret) || sameSecret(given.replace(/^bearer\s+/i, ''), secret);
}
