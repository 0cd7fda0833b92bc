import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { chatEventsToItems } from '../shared/chat-event';
import { RecentIds } from '../shared/recent-ids';
import { sameSecret } from '../shared/secrets';
import { rawOutputOption, splitOption } from './descriptions/common';
import { questionIdOf, responseToEvents, scrubToken, whyNotJaicpResponse, type JaicpResponse, type SplitMode } from './protocol';

const DEFAULT_MEMORY = 1000;

type SecretCheck = 'none' | 'query' | 'header';

export class JaicpTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'JAICP Trigger',
		name: 'jaicpTrigger',
		icon: { light: 'file:jaicp.svg', dark: 'file:jaicp.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '=Chat API webhook',
		description: 'Starts the workflow when the JAICP Chat API channel webhook delivers bot or operator replies',
		defaults: { name: 'JAICP Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'jaicp' }],
		properties: [
			{
				displayName:
					'Paste this node\'s Production URL into the Webhook field of the Chat API channel in JAICP (Channels → Chat API → Edit). JAICP then posts the replies to asynchronous requests, operator replies and campaign messages here.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Secret Check',
				name: 'secretCheck',
				type: 'options',
				options: [
					{ name: 'None', value: 'none' },
					{ name: 'Query Parameter', value: 'query', description: 'Add the secret as a query parameter to the URL you give JAICP' },
					{ name: 'Header', value: 'header', description: 'A proxy in front of n8n adds the header' },
				],
				default: 'none',
				description: 'Whether calls must carry a shared secret; calls without it get 401 and do not start the workflow',
			},
			{
				displayName: 'Parameter Name',
				name: 'queryParameterName',
				type: 'string',
				default: 'secret',
				displayOptions: { show: { secretCheck: ['query'] } },
			},
			{
				displayName: 'Header Name',
				name: 'headerName',
				type: 'string',
				default: 'X-Webhook-Secret',
				displayOptions: { show: { secretCheck: ['header'] } },
			},
			{
				displayName: 'Secret',
				name: 'secret',
				type: 'string',
				typeOptions: { password: true },
				default: '',
				displayOptions: { show: { secretCheck: ['query', 'header'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					splitOption('request', 'One Item per Event'),
					rawOutputOption,
					{
						displayName: 'Remembered Deliveries',
						name: 'memory',
						type: 'number',
						typeOptions: { minValue: 10 },
						default: DEFAULT_MEMORY,
						description: 'How many question IDs to remember, so that re-deliveries of an event are acknowledged but not emitted again',
					},
				],
			},
		],
	};

	// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete -- JAICP has no API to register a webhook: the user pastes the URL into the Chat API channel settings
	webhookMethods = {};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		const refusal = secretRefusal(this);
		if (refusal) {
			response.status(401).json({ message: refusal });
			return { noWebhookResponse: true };
		}

		const body: unknown = this.getBodyData();
		const entries: unknown[] = Array.isArray(body) ? body : [body];
		for (const [index, entry] of entries.entries()) {
			const why = whyNotJaicpResponse(entry);
			if (why) {
				response.status(400).json({
					message: `Not a JAICP Chat API event: entry ${index} ${why}. Expected an array of {clientId, questionId, data: {replies}} objects.`,
				});
				return { noWebhookResponse: true };
			}
		}

		const options = this.getNodeParameter('options', {}) as { split?: SplitMode; rawOutput?: boolean; memory?: number };
		const fresh = rememberNew(this, entries as JaicpResponse[], options.memory ?? DEFAULT_MEMORY);
		if (fresh.length === 0) {
			return { webhookResponse: { message: entries.length === 0 ? 'No events' : 'Already received' } };
		}

		const payloads = fresh.map((entry) => scrubToken(entry, entry.token));
		const items: INodeExecutionData[] = options.rawOutput
			? payloads.map((payload) => ({ json: payload as IDataObject }))
			: chatEventsToItems(payloads.flatMap((payload) => responseToEvents(payload, { split: options.split ?? 'request', role: 'bot' })));
		return { workflowData: [items] };
	}
}

/** Why the call is refused for a missing or wrong secret; undefined when it may pass. */
function secretRefusal(ctx: IWebhookFunctions): string | undefined {
	const check = ctx.getNodeParameter('secretCheck', 'none') as SecretCheck;
	if (check === 'none') return undefined;
	const expected = String(ctx.getNodeParameter('secret', ''));
	let given: unknown;
	if (check === 'query') {
		given = (ctx.getQueryData() as IDataObject)[String(ctx.getNodeParameter('queryParameterName', 'secret'))];
	} else {
		given = ctx.getHeaderData()[String(ctx.getNodeParameter('headerName', 'X-Webhook-Secret')).toLowerCase()];
	}
	if (typeof given !== 'string' || given === '') return 'The webhook secret is missing';
	return sameSecret(given, expected) ? undefined : 'The webhook secret is wrong';
}

/**
 * Keeps the entries whose questionId has not been seen, remembering them in the workflow's static
 * data (which n8n saves after the call), so JAICP's re-deliveries are not emitted twice, also after a
 * restart. Entries without a questionId cannot be recognised and always pass.
 */
function rememberNew(ctx: IWebhookFunctions, entries: JaicpResponse[], memory: number): JaicpResponse[] {
	const staticData = ctx.getWorkflowStaticData('node');
	const saved = Array.isArray(staticData.seenQuestionIds) ? staticData.seenQuestionIds : [];
	const seen = new RecentIds(memory, saved);
	const fresh = entries.filter((entry) => {
		const id = questionIdOf(entry);
		return id === undefined || seen.remember(id);
	});
	if (fresh.length > 0) staticData.seenQuestionIds = seen.toArray();
	return fresh;
}
