import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { runSocketTrigger } from '../shared/trigger';
import { answers } from './answers';
import { getJaicpCredentials, jaicpRequest } from './client';
import { EventCursor } from './cursor';
import { orderOptions, readOrder, type OrderOptionValues } from '../shared/trigger-options';
import { clientIdField, eventFilterOptions, rawOutputOption, splitOption } from './descriptions/common';
import { LongPollLoop } from './poller';
import { envelopesToEvents, eventEnvelopes, routes, type SplitMode } from './protocol';
import { checkToken, jaicpApiTest } from './token-check';

interface EventsTriggerOptions extends OrderOptionValues {
	all?: boolean;
	cid?: string;
	split?: SplitMode;
	rawOutput?: boolean;
	resume?: boolean;
	pollTimeoutSeconds?: number;
}

/** Statuses that retrying cannot fix: a bad request, a refused or unknown token, a wrong URL. */
const FATAL_STATUSES = new Set(['400', '401', '403', '404']);

export class JaicpEventsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'JAICP Events Trigger',
		name: 'jaicpEventsTrigger',
		icon: { light: 'file:jaicp.svg', dark: 'file:jaicp.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"client " + $parameter["clientId"]}}',
		description: 'Starts the workflow on JAICP chat events (operator replies and more), by long polling the Chat API',
		defaults: { name: 'JAICP Events Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'jaicpApi', required: true, testedBy: 'jaicpApiTest' }],
		properties: [
			clientIdField(),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					...eventFilterOptions,
					{
						displayName: 'Long Poll Timeout (Seconds)',
						name: 'pollTimeoutSeconds',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 60,
						description: 'How long one request may wait for events before a new one is made',
					},
					splitOption('reply', 'One Item per Event'),
					rawOutputOption,
					...orderOptions,
					{
						displayName: 'Resume After Restart',
						name: 'resume',
						type: 'boolean',
						default: true,
						description: 'Whether to carry on from the last event seen when the workflow is activated again (also events that came while it was inactive), instead of from now',
					},
				],
			},
		],
	};

	methods = { credentialTest: { jaicpApiTest } };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const clientId = String(this.getNodeParameter('clientId', '')).trim();
		if (clientId === '') throw new NodeOperationError(this.getNode(), 'Client ID is required');
		const options = this.getNodeParameter('options', {}) as EventsTriggerOptions;
		const credentials = await getJaicpCredentials(this);
		const pollTimeoutMs = Math.max(1, options.pollTimeoutSeconds ?? 60) * 1000;
		const split = options.split ?? 'reply';

		return await runSocketTrigger(this, async (sink) => {
			// A refused token or an unreachable host fails the activation at once, not in the background;
			// the check does not depend on the client, which may not have written yet.
			await checkToken(this, credentials);

			const cursor = new EventCursor(this.getWorkflowStaticData('node'), clientId, options.resume !== false);
			const loop = new LongPollLoop({
				pollTimeoutMs,
				minPollIntervalMs: 500,
				poll: async (signal) => {
					const askedTs = cursor.ts;
					const qs: IDataObject = { clientId, ts: askedTs };
					if (options.all) qs.all = true;
					if (options.cid) qs.cid = options.cid;
					const body = await jaicpRequest<unknown>(this, credentials, {
						operation: 'JAICP events poll',
						answer: answers.events,
						method: 'GET',
						path: routes.events,
						qs,
						abortSignal: signal,
						retry: { maxRetries: 0 },
						timeoutMs: pollTimeoutMs + 5000,
					});
					const fresh = cursor.accept(eventEnvelopes(body), askedTs);
					if (fresh.length === 0) return false;
					// One execution per JAICP event, keyed by it: n8n runs each event once, also when a restarted
					// trigger fetches again from the last saved position.
					for (const event of fresh) {
						const delivery = { dedupKey: `jaicp:${clientId}:${event.key}`, onExecuted: () => cursor.executed(event) };
						if (options.rawOutput) sink.emitItems([{ json: event.envelope as IDataObject }], delivery);
						else sink.emitEvents(envelopesToEvents([event.envelope], { split, all: options.all === true, clientId }), delivery);
					}
					return true;
				},
				isFatal: (error) => error instanceof NodeApiError && FATAL_STATUSES.has(String(error.httpCode)),
				onFatal: (error) => sink.fail(error),
			});
			loop.start();
			return { close: async () => await loop.close() };
		}, { order: readOrder(options) });
	}
}
