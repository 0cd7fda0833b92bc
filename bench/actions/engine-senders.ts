import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { chain } from '../../test/helpers/workflow-builder';
import { runWithNodeTypes } from '../support/engine';
import { HTTP_REQUEST_TYPE, loadHttpRequestNode } from '../support/http-request-node';
import { bareHttpSender, type HttpCall } from './bare-http';
import type { Sender } from './types';

type Credentials = Record<string, Record<string, string | number>>;

/** Runs Start -> node over the items in n8n-core's engine and checks that every item came out without an error. */
async function runNode(
	type: string,
	typeVersion: number,
	parameters: INodeParameters,
	credentials: Credentials,
	items: INodeExecutionData[],
): Promise<void> {
	const workflow = chain({ name: 'Start', type: 'n8n-nodes-base.manualTrigger' }, { name: 'Send', type, typeVersion, parameters });
	const httpRequest = loadHttpRequestNode();
	const run = await runWithNodeTypes(workflow, httpRequest ? { [HTTP_REQUEST_TYPE]: httpRequest.node } : {}, {
		credentials,
		startData: [items],
	});
	if (run.status !== 'success') throw new Error(`${type} failed: ${run.error?.message ?? run.status}`);
	const output = run.json('Send');
	const failed = output.filter((json) => json.error !== undefined);
	if (output.length !== items.length || failed.length > 0) {
		throw new Error(`${type}: ${output.length} of ${items.length} items came out, ${failed.length} with an error`);
	}
}

/** This package's node (Send Message) in the engine. */
export function packageNodeSender(type: string, parameters: INodeParameters, credentials: Credentials): Sender {
	return { label: 'node', send: (items) => runNode(type, 1, parameters, credentials, items) };
}

/**
 * n8n's HTTP Request node making the same requests in the same engine, when the real n8n is installed
 * in .cache/n8n; otherwise a bare keep-alive HTTP client doing the same requests one after another.
 */
export function httpBaselineSender(call: (item: { text: string; echo: string }) => HttpCall, jsonBody: string): Sender {
	const httpRequest = loadHttpRequestNode();
	if (!httpRequest) return bareHttpSender(call);
	const sample = call({ text: '', echo: '' });
	const parameters: INodeParameters = {
		method: sample.method,
		url: sample.url,
		sendHeaders: Object.keys(sample.headers).length > 0,
		headerParameters: { parameters: Object.entries(sample.headers).map(([name, value]) => ({ name, value })) },
		sendBody: true,
		specifyBody: 'json',
		jsonBody,
		options: {},
	};
	return {
		label: `HTTP Request node ${httpRequest.version}`,
		send: (items) => runNode(HTTP_REQUEST_TYPE, 4.2, parameters, {}, items),
	};
}
