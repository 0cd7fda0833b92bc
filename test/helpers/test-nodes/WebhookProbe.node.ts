import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** Test-only webhook trigger: rejects a wrong `x-secret`, otherwise starts the workflow with the body. */
export class WebhookProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Webhook Probe',
		name: 'webhookProbe',
		group: ['trigger'],
		version: 1,
		description: 'Test-only webhook trigger for the webhook harness',
		defaults: { name: 'Webhook Probe' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: '={{$parameter["responseMode"]}}',
				path: 'probe',
			},
		],
		properties: [
			{
				displayName: 'Respond',
				name: 'responseMode',
				type: 'options',
				options: [
					{ name: 'At Once', value: 'onReceived' },
					{ name: 'With the Last Node', value: 'lastNode' },
				],
				default: 'onReceived',
			},
			{ displayName: 'Secret', name: 'secret', type: 'string', default: '' },
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const secret = this.getNodeParameter('secret') as string;
		if (secret && this.getHeaderData()['x-secret'] !== secret) {
			this.getResponseObject().status(401).json({ message: 'Wrong secret' });
			return { noWebhookResponse: true };
		}
		return { workflowData: [[{ json: this.getBodyData() }]] };
	}
}
