import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { runForEachItem } from '../shared/items';
import type { SocketSession } from '../shared/socket';
import { ACTIONS, type CallRoute } from './actions';
import { toNodeError, conciergeSession, credentialSecrets, RouteCaller, type ConciergeCredentials } from './connection';
import { conciergeApiTest } from './credential-test';
import { chatSessionFields, chatSessionOperations } from './descriptions/ChatSessionDescription';
import { messageFields, messageOperations } from './descriptions/MessageDescription';
import { unreadCountOperations } from './descriptions/UnreadCountDescription';
import { replyTimeoutOption } from './descriptions/common';
import { DEFAULT_REPLY_TIMEOUT_MS } from './protocol';

export class Concierge implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Concierge',
		name: 'concierge',
		icon: { light: 'file:concierge.svg', dark: 'file:concierge.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Chat with ServiceMind concierges as the tenant',
		defaults: { name: 'Concierge' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'conciergeApi', required: true, testedBy: 'conciergeApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'message',
				options: [
					{ name: 'Chat Session', value: 'chatSession' },
					{ name: 'Message', value: 'message' },
					{ name: 'Unread Count', value: 'unreadCount' },
				],
			},
			...chatSessionOperations,
			...chatSessionFields,
			...messageOperations,
			...messageFields,
			...unreadCountOperations,
			{
				displayName: 'Connection Options',
				name: 'connectionOptions',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [replyTimeoutOption],
			},
		],
	};

	methods = { credentialTest: { conciergeApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials<ConciergeCredentials>('conciergeApi');
		const secrets = credentialSecrets(credentials);
		const connectionOptions = this.getNodeParameter('connectionOptions', 0, {}) as IDataObject;
		const timeoutMs = Math.max(1, Number(connectionOptions.replyTimeout ?? DEFAULT_REPLY_TIMEOUT_MS) || DEFAULT_REPLY_TIMEOUT_MS);
		const caller = new RouteCaller(timeoutMs);

		// One connection for every item of the execution, opened when the first item needs it.
		let session: SocketSession | undefined;
		let opening: Promise<SocketSession> | undefined;
		const connection = () =>
			(opening ??= (async () => {
				session = conciergeSession(credentials, {
					requestTimeoutMs: timeoutMs,
					maxReconnectAttempts: 3,
					logger: this.logger,
				});
				await session.connect();
				return session;
			})());
		const call: CallRoute = async (route, body, chatSessionId) =>
			await caller.call(await connection(), route, body, chatSessionId);

		try {
			const output = await runForEachItem(
				this,
				async (itemIndex) => {
					const resource = this.getNodeParameter('resource', itemIndex) as string;
					const operation = this.getNodeParameter('operation', itemIndex) as string;
					const action = ACTIONS[`${resource}.${operation}`];
					if (!action) {
						throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not known for ${resource}`, {
							itemIndex,
						});
					}
					const result = await action({ ctx: this, itemIndex, credentials, call });
					return (Array.isArray(result) ? result : [result]).map((json) => ({ json: json ?? {}, pairedItem: { item: itemIndex } }));
				},
				(error, itemIndex) => toNodeError(this.getNode(), error, secrets, itemIndex),
			);
			return [output];
		} finally {
			await session?.close();
		}
	}
}
