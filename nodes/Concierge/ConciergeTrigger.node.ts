import { orderOptions, readOrder, type OrderOptionValues } from '../shared/trigger-options';
import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { runSocketTrigger } from '../shared/trigger';
import { toNodeError, credentialSecrets, type ConciergeCredentials } from './connection';
import { conciergeApiTest } from './credential-test';
import { SessionFollower, type ConciergeEventName, type FollowMode } from './follower';
import { replyTimeoutOption } from './descriptions/common';
import { DEFAULT_REPLY_TIMEOUT_MS } from './protocol';

export class ConciergeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Concierge Trigger',
		name: 'conciergeTrigger',
		icon: { light: 'file:concierge.svg', dark: 'file:concierge.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"follow: " + $parameter["follow"]}}',
		description: 'Starts the workflow when a ServiceMind concierge writes, unsends or updates a chat session',
		defaults: { name: 'Concierge Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'conciergeApi', required: true, testedBy: 'conciergeApiTest' }],
		properties: [
			{
				displayName: 'Follow',
				name: 'follow',
				type: 'options',
				default: 'ids',
				options: [
					{
						name: 'Chat Sessions by ID',
						value: 'ids',
						description: 'Resume the sessions you list and follow them',
					},
					{
						name: 'A New Chat Session',
						value: 'new',
						description:
							'Start a new session when the workflow is activated and follow it (emits session_started with its ID)',
					},
					{
						name: 'Every Session on This Connection',
						value: 'all',
						description: 'Follow every session whose events the service delivers to this connection',
					},
				],
			},
			{
				displayName: 'Chat Session IDs',
				name: 'chatSessionIds',
				type: 'string',
				required: true,
				default: '',
				placeholder: '4482e256-da14-47cc-b119-9575bbb3b6d3, 2d58d310-4614-4a0d-b84e-fc0a371ce647',
				description: 'Sessions to follow, separated by commas',
				displayOptions: { show: { follow: ['ids'] } },
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				default: ['chatMessage'],
				options: [
					{ name: 'Chat Message', value: 'chatMessage', description: 'A message in a followed session' },
					{
						name: 'Chat Message Deleted',
						value: 'chatMessageDelete',
						description: 'A message was unsent',
					},
					{
						name: 'Chat Session Update',
						value: 'chatSessionUpdate',
						description: 'A concierge joined, or the session was closed',
					},
				],
			},
			{
				displayName: 'Concierge Messages Only',
				name: 'conciergeOnly',
				type: 'boolean',
				default: true,
				description:
					'Whether to emit only messages a concierge sent (senderEntityType BACKEND_USER), leaving out the tenant\'s own',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Ping Interval (Seconds)',
						name: 'pingInterval',
						type: 'number',
						default: 30,
						typeOptions: { minValue: 0.01, numberPrecision: 2 },
						description:
							'How often followed sessions are pinged to keep them alive (also keeps the gateway from closing an idle connection)',
					},
					{
						displayName: 'Raw Output',
						name: 'rawOutput',
						type: 'boolean',
						default: false,
						description: 'Whether to output the service\'s payload instead of the ChatEvent',
					},
					replyTimeoutOption,
					...orderOptions,
				],
			},
		],
	};

	methods = { credentialTest: { conciergeApiTest } };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const credentials = await this.getCredentials<ConciergeCredentials>('conciergeApi');
		const secrets = credentialSecrets(credentials);
		const node = this.getNode();
		const mode = this.getNodeParameter('follow') as FollowMode;
		const chatSessionIds =
			mode === 'ids'
				? String(this.getNodeParameter('chatSessionIds'))
						.split(',')
						.map((id) => id.trim())
						.filter((id) => id !== '')
				: [];
		if (mode === 'ids' && chatSessionIds.length === 0) {
			throw new NodeOperationError(node, 'Chat Session IDs is empty: list at least one session to follow');
		}
		const events = this.getNodeParameter('events') as ConciergeEventName[];
		if (events.length === 0) throw new NodeOperationError(node, 'Events is empty: choose at least one event');
		const options = this.getNodeParameter('options', {}) as IDataObject;

		return await runSocketTrigger(
			this,
			async (sink) => {
				const follower = new SessionFollower(
					{
						node,
						credentials,
						mode,
						chatSessionIds,
						events,
						conciergeOnly: this.getNodeParameter('conciergeOnly') as boolean,
						pingIntervalMs: Math.max(10, Math.round(Number(options.pingInterval ?? 30) * 1000) || 30_000),
						replyTimeoutMs: Math.max(1, Number(options.replyTimeout ?? DEFAULT_REPLY_TIMEOUT_MS) || DEFAULT_REPLY_TIMEOUT_MS),
						logger: this.logger,
					},
					sink,
					(error) => sink.fail(toNodeError(node, error, secrets)),
				);
				try {
					await follower.start();
				} catch (error) {
					throw toNodeError(node, error, secrets);
				}
				return follower;
			},
			{ rawOutput: options.rawOutput === true, order: readOrder(options as OrderOptionValues) },
		);
	}
}
