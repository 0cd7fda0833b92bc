import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { runForEachItem } from '../shared/items';
import { apiRequest } from '../shared/http';
import { buildConverseRequest, type ConversationOperation } from './conversation';
import { ultimateApiConnectionTest } from './credential-test';
import { conversationFields, conversationOperations } from './descriptions/ConversationDescription';
import { webhookReplyFields, webhookReplyOperations } from './descriptions/WebhookReplyDescription';
import { converseUrl, type UltimateCredentials } from './protocol';
import { buildWebhookReply, type WebhookReplyOperation } from './webhook-reply';

export class Ultimate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ultimate',
		name: 'ultimate',
		icon: { light: 'file:ultimate.svg', dark: 'file:ultimate.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Talk to an Ultimate (Zendesk AI agents) bot through the Chat API, as the chat platform in front of it',
		defaults: { name: 'Ultimate' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'ultimateApi',
				required: true,
				testedBy: 'ultimateApiConnectionTest',
				displayOptions: { show: { resource: ['conversation'] } },
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Conversation', value: 'conversation' },
					{ name: 'Webhook Reply', value: 'webhookReply' },
				],
				default: 'conversation',
			},
			...conversationOperations,
			...conversationFields,
			...webhookReplyOperations,
			...webhookReplyFields,
		],
	};

	methods = {
		credentialTest: { ultimateApiConnectionTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		let credentials: UltimateCredentials | undefined;
		const output = await runForEachItem(this, async (itemIndex) => {
			const resource = this.getNodeParameter('resource', itemIndex) as 'conversation' | 'webhookReply';
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			if (resource === 'webhookReply') {
				return { json: buildWebhookReply(this, operation as WebhookReplyOperation, itemIndex), pairedItem: { item: itemIndex } };
			}
			credentials ??= await this.getCredentials<UltimateCredentials>('ultimateApi');
			return {
				json: await converse(this, credentials, operation as ConversationOperation, itemIndex),
				pairedItem: { item: itemIndex },
			};
		});
		return [output];
	}
}

/** Sends one converse request; the bot's answer arrives later on the Ultimate Trigger. */
async function converse(
	ctx: IExecuteFunctions,
	credentials: UltimateCredentials,
	operation: ConversationOperation,
	itemIndex: number,
): Promise<IDataObject> {
	const request = buildConverseRequest(ctx, operation, itemIndex);
	const response = await apiRequest<unknown>(ctx, {
		method: 'POST',
		url: converseUrl(credentials.baseUrl),
		credentialType: 'ultimateApi',
		body: request as unknown as IDataObject,
		secrets: [credentials.apiKey],
		itemIndex,
	});
	const { platformConversationId, metaData, ...sent } = request;
	const json: IDataObject = { success: true, conversationId: platformConversationId, ...sent };
	if (metaData) json.metadataKeys = metaData.map((entry) => entry.key);
	if (response !== undefined && response !== null && response !== '') json.response = response as IDataObject;
	return json;
}
