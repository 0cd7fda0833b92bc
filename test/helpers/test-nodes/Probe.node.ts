import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import FormData from 'form-data';

import { apiRequest } from '../../../nodes/shared/http';

/**
 * Test-only node: for each item, GETs `<baseUrl>/things/<thingId>` (or POSTs a multipart upload there) (optionally with a secret in the
 * path, and another base URL) through the shared request function, honouring continueOnFail, with pairedItem set.
 */
export class Probe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'Test-only node for the shared HTTP core',
		defaults: { name: 'Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'probeApi', required: true }],
		properties: [
			{ displayName: 'Thing ID', name: 'thingId', type: 'string', default: '' },
			{ displayName: 'Path Secret', name: 'pathSecret', type: 'string', default: '' },
			{ displayName: 'Base URL Override', name: 'baseUrl', type: 'string', default: '' },
			{ displayName: 'Upload Text', name: 'uploadText', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials<{ baseUrl: string; apiKey: string }>('probeApi');
		const output: INodeExecutionData[] = [];
		const items = this.getInputData();
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const thingId = this.getNodeParameter('thingId', itemIndex) as string;
				const secret = this.getNodeParameter('pathSecret', itemIndex) as string;
				const prefix = secret ? `/${secret}` : '';
				const baseUrl = (this.getNodeParameter('baseUrl', itemIndex) as string) || credentials.baseUrl;
				const uploadText = this.getNodeParameter('uploadText', itemIndex) as string;
				const upload = uploadText
					? () => {
							const form = new FormData();
							form.append('note', 'from n8n');
							form.append('file', Buffer.from(uploadText), { filename: 'note.txt', contentType: 'text/plain' });
							return form;
						}
					: undefined;
				const body = await apiRequest<IDataObject>(this, {
					method: upload ? 'POST' : 'GET',
					multipart: upload,
					url: `${baseUrl}${prefix}/things/${encodeURIComponent(thingId)}`,
					credentialType: 'probeApi',
					secrets: [secret, credentials.apiKey],
					itemIndex,
					retry: { baseDelayMs: 10 },
				});
				output.push({ json: body, pairedItem: { item: itemIndex } });
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				output.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
			}
		}
		return [output];
	}
}
