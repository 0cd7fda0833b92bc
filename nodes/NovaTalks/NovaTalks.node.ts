import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { contactOperations } from './actions/contact';
import type { Operation, OperationScope } from './actions/context';
import { conversationOperations } from './actions/conversation';
import { messageOperations } from './actions/message';
import { settingsOperations } from './actions/settings';
import { CREDENTIAL_TYPE, loadConnection } from './client';
import { runForEachItem } from '../shared/items';
import { contactFields, contactOperations as contactOperationList } from './descriptions/ContactDescription';
import { conversationFields, conversationOperations as conversationOperationList } from './descriptions/ConversationDescription';
import { messageFields, messageOperations as messageOperationList } from './descriptions/MessageDescription';
import { settingsFields, settingsOperations as settingsOperationList } from './descriptions/SettingsDescription';
import { TypingChannel } from './typing-channel';

const OPERATIONS: Record<string, Record<string, Operation>> = {
	conversation: conversationOperations,
	message: messageOperations,
	contact: contactOperations,
	settings: settingsOperations,
};

export class NovaTalks implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'NovaTalks',
		name: 'novaTalks',
		icon: { light: 'file:novatalks.svg', dark: 'file:novatalks.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Chat with agents on a NovaTalks desk as the contact (customer), through the NovaTalks SDK API',
		defaults: { name: 'NovaTalks' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Contact', value: 'contact' },
					{ name: 'Conversation', value: 'conversation' },
					{ name: 'Message', value: 'message' },
					{ name: 'Setting', value: 'settings' },
				],
				default: 'message',
			},
			...conversationOperationList,
			...conversationFields,
			...messageOperationList,
			...messageFields,
			...contactOperationList,
			...contactFields,
			...settingsOperationList,
			...settingsFields,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const connection = await loadConnection(this);
		let typingChannel: TypingChannel | undefined;
		const scope: OperationScope = {
			connection,
			typingChannel: () => (typingChannel ??= new TypingChannel(connection, this.logger)),
		};
		try {
			return [
				await runForEachItem(this, async (itemIndex) => {
					const resource = this.getNodeParameter('resource', itemIndex) as string;
					const operation = this.getNodeParameter('operation', itemIndex) as string;
					const run = OPERATIONS[resource]?.[operation];
					if (!run) {
						throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`, {
							itemIndex,
						});
					}
					return await run.call(this, itemIndex, scope);
				}),
			];
		} finally {
			await typingChannel?.close();
		}
	}
}
