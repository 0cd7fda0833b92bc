import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { runForEachItem } from '../shared/items';
import { operations } from './actions';
import { getJaicpCredentials } from './client';
import { chatStateFields, chatStateOperations } from './descriptions/ChatStateDescription';
import { eventsFields, eventsOperations } from './descriptions/EventsDescription';
import { historyFields, historyOperations } from './descriptions/HistoryDescription';
import { messageFields, messageOperations } from './descriptions/MessageDescription';
import { messageStatusFields, messageStatusOperations } from './descriptions/MessageStatusDescription';
import { unreadCountFields, unreadCountOperations } from './descriptions/UnreadCountDescription';
import { jaicpApiTest } from './token-check';

export class Jaicp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'JAICP',
		name: 'jaicp',
		icon: { light: 'file:jaicp.svg', dark: 'file:jaicp.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Talk to a JAICP (Just AI) bot as a chat client through the Chat API',
		defaults: { name: 'JAICP' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'jaicpApi', required: true, testedBy: 'jaicpApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Chat State', value: 'chatState' },
					{ name: 'Event', value: 'events' },
					{ name: 'History', value: 'history' },
					{ name: 'Message', value: 'message' },
					{ name: 'Message Status', value: 'messageStatus' },
					{ name: 'Unread Count', value: 'unreadCount' },
				],
				default: 'message',
			},
			...messageOperations,
			...messageFields,
			...eventsOperations,
			...eventsFields,
			...historyOperations,
			...historyFields,
			...chatStateOperations,
			...chatStateFields,
			...messageStatusOperations,
			...messageStatusFields,
			...unreadCountOperations,
			...unreadCountFields,
		],
	};

	methods = { credentialTest: { jaicpApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await getJaicpCredentials(this);
		const output = await runForEachItem(this, async (itemIndex) => {
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const run = operations[`${resource}:${operation}`];
			if (!run) {
				throw new NodeOperationError(this.getNode(), `Unknown operation "${operation}" for resource "${resource}"`, {
					itemIndex,
				});
			}
			return await run(this, credentials, itemIndex);
		});
		return [output];
	}
}
