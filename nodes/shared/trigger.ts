import { createHash } from 'node:crypto';

import type { INodeExecutionData, IRun, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { chatEventsToItems, type ChatEvent } from './chat-event';
import { asNodeError } from './errors';
import { ConversationOrder, type Deferred } from './ordering';

/** What a trigger's event source hands back once it is listening. */
export interface TriggerSource {
	close(): Promise<void>;
}

/** Given to a source so it can deliver events and report a fatal failure. */
export interface TriggerSink {
	/** Emits ChatEvents (or the raw payloads, when the node's Raw Output option is on). */
	emitEvents(events: ChatEvent[], delivery?: Delivery): void;
	/** Emits ready-made items. */
	emitItems(items: INodeExecutionData[], delivery?: Delivery): void;
	/** The source can no longer deliver: n8n is told, so it can re-activate the workflow. */
	fail(error: Error): void;
}

/** What a source may say about one emission, for delivery exactly once across n8n processes and restarts. */
export interface Delivery {
	/** Names what is emitted (e.g. a message id): n8n starts at most one execution per key. */
	dedupKey?: string;
	/**
	 * Called once n8n has run the execution (or refused it as a repeat of one it already has). A source
	 * saves its position only up to what was confirmed, so what was emitted while n8n went down is
	 * emitted again after a restart (and refused by its key where it had been run).
	 */
	onExecuted?: () => void;
}

export interface SocketTriggerOptions {
	/** Output the provider's payload instead of the ChatEvent. */
	rawOutput?: boolean;
	/**
	 * Order per conversation: the next event of a conversation is emitted only once the execution of
	 * the one before it has finished (bounded by `waitLimitMs`); other conversations run in parallel.
	 */
	order?: { waitLimitMs: number };
}

/** The conversation an item belongs to, for ordering: a ChatEvent's, or the item's own conversationId. */
function conversationOf(item: INodeExecutionData, event?: ChatEvent): string {
	const id = event?.conversationId ?? item.json.conversationId;
	return typeof id === 'string' || typeof id === 'number' ? String(id) : '';
}

/**
 * The lifecycle every socket trigger shares, as n8n's MQTT and RabbitMQ triggers do it:
 * the source starts in `trigger()` so a bad URL or token fails activation at once; in manual mode
 * the first event resolves the test run; in active mode every event is emitted; a fatal error goes
 * to `emitError`; `closeFunction` closes the source, after which nothing is emitted.
 */
export async function runSocketTrigger(
	ctx: ITriggerFunctions,
	start: (sink: TriggerSink) => Promise<TriggerSource>,
	options: SocketTriggerOptions = {},
): Promise<ITriggerResponse> {
	const manual = ctx.getMode() === 'manual';
	let closed = false;
	let firstEvent: { resolve: () => void; reject: (error: Error) => void } | undefined;
	let earlyFailure: Error | undefined;
	let delivered = false;
	// In manual mode n8n replaces `emit` only once trigger() has returned: an event that comes while the
	// source is still starting (a catch-up during connect) waits for manualTriggerFunction.
	let emitReady = !manual;
	let earlyItems: INodeExecutionData[] | undefined;

	const order =
		options.order && !manual
			? new ConversationOrder<Delivery>(ctx, (items, done, delivery) => emitOnce(ctx, items, delivery ?? {}, done), options.order.waitLimitMs)
			: undefined;

	const deliver = (items: INodeExecutionData[], delivery: Delivery = {}, events?: ChatEvent[]) => {
		if (closed || items.length === 0) return;
		if (manual) {
			if (delivered) return;
			delivered = true;
			if (!emitReady) {
				earlyItems = items;
				return;
			}
			ctx.emit([items]);
			firstEvent?.resolve();
			return;
		}
		if (!order) {
			emitOnce(ctx, items, delivery);
			return;
		}
		// One execution per conversation at a time. A batch with its own delivery key stays one unit (under
		// its first item's conversation); another is split by conversation, each part queued.
		if (delivery.dedupKey !== undefined || delivery.onExecuted) {
			order.push(conversationOf(items[0], events?.[0]), items, delivery);
			return;
		}
		const parts = new Map<string, INodeExecutionData[]>();
		items.forEach((item, index) => {
			const key = conversationOf(item, events?.[index]);
			parts.set(key, [...(parts.get(key) ?? []), item]);
		});
		for (const [key, part] of parts) order.push(key, part);
	};

	const sink: TriggerSink = {
		emitEvents: (events, delivery) => deliver(chatEventsToItems(events, { rawOutput: options.rawOutput }), delivery, events),
		emitItems: (items, delivery) => deliver(items, delivery),
		fail: (error) => {
			if (closed) return;
			if (manual) {
				if (firstEvent) firstEvent.reject(error);
				else earlyFailure = error;
				return;
			}
			ctx.emitError(error);
		},
	};

	let source: TriggerSource;
	try {
		source = await start(sink);
	} catch (error) {
		throw asNodeError(ctx.getNode(), error);
	}

	const closeFunction = async () => {
		closed = true;
		order?.flush();
		firstEvent?.reject(new NodeOperationError(ctx.getNode(), 'The trigger was stopped before an event came'));
		await source.close();
	};

	if (!manual) return { closeFunction };

	const manualTriggerFunction = async () => {
		emitReady = true;
		if (earlyFailure) throw asNodeError(ctx.getNode(), earlyFailure);
		if (earlyItems) {
			ctx.emit([earlyItems]);
			return;
		}
		if (delivered) return;
		await new Promise<void>((resolve, reject) => {
			firstEvent = { resolve, reject };
		});
	};
	return { closeFunction, manualTriggerFunction };
}


/** An active trigger's emit with the delivery's key and, when asked, a confirmation once n8n ran it. */
function emitOnce(ctx: ITriggerFunctions, items: INodeExecutionData[], delivery: Delivery, given?: Deferred): void {
	const key = executionKey(ctx, delivery.dedupKey);
	if (!delivery.onExecuted) {
		ctx.emit([items], undefined, given, key);
		return;
	}
	const done = given ?? ctx.helpers.createDeferredPromise<IRun>();
	// A rejection means n8n did not run it (e.g. it went down meanwhile): the position stays before it.
	done.promise.then(delivery.onExecuted, () => undefined);
	ctx.emit([items], undefined, done, key);
}

/**
 * The de-duplication key n8n stores with the execution under a unique index (one execution per key,
 * across all n8n processes and restarts; a repeat is refused and logged): the source's key namespaced
 * by workflow and node, so two triggers that hear the same message each start their own execution.
 * Keys longer than the column allows are hashed.
 */
export function executionKey(ctx: ITriggerFunctions, dedupKey: string | undefined): string | undefined {
	if (dedupKey === undefined || dedupKey === '') return undefined;
	const key = `chat-bridge:${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}:${dedupKey}`;
	return key.length <= MAX_KEY_LENGTH ? key : `chat-bridge:sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** n8n's execution_entity.deduplicationKey is a varchar(255). */
const MAX_KEY_LENGTH = 255;
