import type { ITriggerFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ChatEvent } from '../shared/chat-event';
import { redactValue } from '../shared/redact';
import { SocketError, SocketSession } from '../shared/socket';
import type { Delivery, TriggerSink, TriggerSource } from '../shared/trigger';
import { fetchAllMessages, fetchMessages, fetchUncursored, novaTalksRequest, type NovaTalksConnection } from './client';
import { asNodeError } from '../shared/errors';
import { MessageStream } from './message-stream';
import { SavedPositions } from './saved-positions';
import {
	frameToChatEvent,
	isAgentMessage,
	isFrame,
	isPresenceCheck,
	isSubscriptionConfirmed,
	isSubscriptionRejected,
	messageToChatEvent,
	MESSAGE_PAGE_SIZE,
	PRESENCE_ANSWER,
	readConversation,
	ROUTES,
	subscribeFrame,
	type NovaTalksFrame,
	type NovaTalksMessage,
	type NovaTalksWsEvent,
} from './protocol';

export interface ListenerSettings {
	connection: NovaTalksConnection;
	tokens: string[];
	events: NovaTalksWsEvent[];
	onlyAgentSide: boolean;
	subscribeTimeoutMs: number;
	/** Where to start reading (one token's conversation and the message id before the first to emit), instead of "now". */
	startAfter?: { conversationId: number; lastId: number };
}

const REFUSED_STATUS = new Set(['401', '403']);
const isRefusal = (error: unknown) => error instanceof NodeApiError && REFUSED_STATUS.has(String(error.httpCode));

/**
 * Listens to the contact tokens on one WebSocket: subscribes each (waiting for confirm_subscription)
 * after every connect, answers presence checks, emits the chosen events, and, for message.created,
 * fetches what was missed after every reconnect so each message is emitted once, in order.
 */
export async function startListener(
	ctx: ITriggerFunctions,
	sink: TriggerSink,
	settings: ListenerSettings,
): Promise<TriggerSource> {
	const { connection, tokens } = settings;
	const events = new Set<string>(settings.events);
	const followsMessages = events.has('message.created');
	// The contact token of each conversation goes into the events' reply address: NovaTalks needs it to answer.
	const tokenOfConversation = new Map<string, string>();
	const emit = (event: ChatEvent, delivery?: Delivery) => {
		const token = tokenOfConversation.get(event.conversationId) ?? (tokens.length === 1 ? tokens[0] : undefined);
		if (token) event.replyTo = { ...event.replyTo, contactToken: token };
		sink.emitEvents([event], delivery);
	};
	const tokenLabel = (index: number) => `contact token ${index + 1}${tokens.length > 1 ? ` of ${tokens.length}` : ''}`;

	const fetchPage = (token: string, query: { after?: number }) =>
		fetchMessages(ctx, connection, token, { ...query, limit: MESSAGE_PAGE_SIZE }, { retry: { maxDelayMs: 5_000 }, timeoutMs: 15_000 });

	const stream = new MessageStream(tokens, {
		fetchAfter: (token, afterId) =>
			fetchAllMessages((query) => fetchPage(token, query), { after: afterId }, { shortPageEnds: MESSAGE_PAGE_SIZE }),
		deliver: (message) => {
			const conversationId = message.conversation_id;
			if (settings.onlyAgentSide && !isAgentMessage(message)) {
				if (resume) positions.handled(conversationId, message.id);
				return;
			}
			if (resume) positions.emitted(conversationId, message.id);
			const event = messageToChatEvent(message, 'message', { event: 'message.created', data: message });
			emit(event, {
				dedupKey: `novatalks:message:${message.id}`,
				onExecuted: resume ? () => positions.executed(conversationId, message.id) : undefined,
			});
		},
		onFatal: (error) => sink.fail(catchUpError(ctx, error)),
		isFatal: isRefusal,
		warn: (message) => ctx.logger.warn(message),
	});

	// An active trigger carries on from the last message it handled (saved with the workflow), so what
	// came while n8n restarted is fetched too; a manual run starts from now.
	const resume = ctx.getMode() !== 'manual';
	const positions = new SavedPositions(ctx.getWorkflowStaticData('node'));
	if (followsMessages) {
		const conversations: number[] = [];
		for (const [index, token] of tokens.entries()) {
			const { conversationId, lastId } = settings.startAfter ?? (await readStartingPoint(ctx, connection, token, tokenLabel(index)));
			const saved = resume && conversationId !== undefined ? positions.of(conversationId) : undefined;
			// A saved position wins: behind "now" after a restart, past the hand-over's start in bridge mode.
			const startAt = saved === undefined ? lastId : settings.startAfter ? Math.max(saved, lastId) : Math.min(saved, lastId);
			stream.learn(token, conversationId, startAt);
			if (conversationId !== undefined) {
				tokenOfConversation.set(String(conversationId), token);
				conversations.push(conversationId);
			}
		}
		// Listeners of the bridge's hand-overs share the node's saved positions: none drops another's.
		if (resume && !settings.startAfter) positions.keepOnly(conversations);
	}

	const handleFrame = (message: unknown) => {
		if (!isFrame(message)) {
			ctx.logger.warn('NovaTalks Trigger skipped a frame without an event name');
			return;
		}
		if (isPresenceCheck(message)) {
			// At once, even while subscriptions are pending: a server may drop a connection that is slow to answer.
			session.sendAtOnce(PRESENCE_ANSWER);
			return;
		}
		if (!events.has(message.event)) return;
		if (message.event === 'message.created') {
			const data = message.data as NovaTalksMessage | undefined;
			if (!isMessage(data)) {
				ctx.logger.warn('NovaTalks Trigger skipped a message.created frame without a message id and conversation id');
				return;
			}
			stream.receive(data);
			return;
		}
		const event = frameToChatEvent(message);
		if (!event) {
			ctx.logger.warn(`NovaTalks Trigger skipped a ${message.event} frame it could not read`);
			return;
		}
		if (settings.onlyAgentSide && !isAgentSide(message, event)) return;
		emit(redactValue(event, tokens)); // a contact token in a status or typing frame never reaches the output
	};

	const session: SocketSession = new SocketSession({
		url: connection.webSocketUrl,
		secrets: tokens,
		logger: ctx.logger,
		onOpen: async (socket, { reconnect }) => {
			for (const [index, token] of tokens.entries()) {
				const reply = await socket.request(
					subscribeFrame(token, connection.accountId),
					(frame) => isSubscriptionConfirmed(frame) || isSubscriptionRejected(frame),
					{ timeoutMs: settings.subscribeTimeoutMs, label: `confirm_subscription for ${tokenLabel(index)}` },
				);
				if (isSubscriptionRejected(reply)) {
					throw new SocketError(`NovaTalks rejected the subscription of ${tokenLabel(index)}`, true);
				}
			}
			if (!followsMessages) return;
			const caughtUp = stream.catchUp();
			if (!reconnect) firstCatchUp = caughtUp;
		},
		onMessage: handleFrame,
		onMalformed: (_raw, error) => ctx.logger.warn(`NovaTalks Trigger skipped a malformed frame: ${error.message}`),
		onDisconnect: () => stream.disconnected(),
		onFatal: (error) => sink.fail(error),
	});

	let firstCatchUp: Promise<void> | undefined;
	try {
		await session.connect();
	} catch (error) {
		await stream.close();
		throw subscribeError(ctx, error, settings.subscribeTimeoutMs);
	}
	// An active trigger is ready once what came between reading the starting point and subscribing is out.
	// A manual (test) run must not emit before trigger() returns: n8n only then takes its first event.
	if (ctx.getMode() !== 'manual') {
		try {
			await firstCatchUp;
		} catch (error) {
			await session.close();
			await stream.close();
			throw asNodeError(ctx.getNode(), error);
		}
	}

	return {
		close: async () => {
			await session.close();
			await stream.close();
		},
	};
}

/** The conversation of a token and the newest message id when the trigger starts (nothing before it is emitted). */
async function readStartingPoint(
	ctx: ITriggerFunctions,
	connection: NovaTalksConnection,
	token: string,
	label: string,
): Promise<{ conversationId?: number; lastId: number }> {
	try {
		const page = (query: { after?: number }) =>
			fetchMessages(ctx, connection, token, { ...query, limit: MESSAGE_PAGE_SIZE }, { timeoutMs: 15_000 });
		// Whichever end the server lists from, this reads on to the newest message.
		const latest = await fetchUncursored(page);
		const lastId = Math.max(0, ...latest.map((message) => message.id));
		let conversationId: number | undefined = latest[0]?.conversation_id;
		if (lastId === 0) {
			const body = await novaTalksRequest<unknown>(ctx, connection, {
				method: 'GET',
				path: ROUTES.conversations,
				token,
				qs: { limit: 1 },
			});
			conversationId = readConversation(body).conversation?.id;
		}
		return { conversationId, lastId };
	} catch (error) {
		if (isRefusal(error)) {
			const reason = (error as NodeApiError).message;
			throw new NodeOperationError(ctx.getNode(), `NovaTalks refused ${label}: ${reason}`, {
				description: 'Check the Contact Token: it is the contactToken that Create Conversation returned',
			});
		}
		throw asNodeError(ctx.getNode(), error);
	}
}

function subscribeError(ctx: ITriggerFunctions, error: unknown, timeoutMs: number): Error {
	if (!(error instanceof SocketError)) return error as Error;
	const noConfirm = /^No reply to confirm_subscription for (.+) within/.exec(error.message);
	const message = noConfirm
		? `NovaTalks did not confirm the subscription of ${noConfirm[1]} within ${timeoutMs / 1000} s`
		: error.message;
	return new NodeOperationError(ctx.getNode(), message, {
		message,
		description: 'Check the contact token(s), the account ID and the WebSocket URL of the credential',
	});
}

function catchUpError(ctx: ITriggerFunctions, error: Error): Error {
	const message = `NovaTalks Trigger could not fetch missed messages: ${error.message}`;
	return new NodeOperationError(ctx.getNode(), message, { message });
}

function isMessage(data: NovaTalksMessage | undefined): data is NovaTalksMessage {
	return (
		!!data &&
		typeof data === 'object' &&
		Number.isFinite(Number(data.id)) &&
		data.conversation_id !== undefined &&
		data.conversation_id !== null
	);
}

/** Whether an event comes from the desk's side (agent, bot or the system), not from the contact n8n plays. */
function isAgentSide(frame: NovaTalksFrame, event: ChatEvent): boolean {
	if (frame.event === 'message.updated') return isAgentMessage(frame.data as NovaTalksMessage);
	return event.from.role !== 'customer';
}
