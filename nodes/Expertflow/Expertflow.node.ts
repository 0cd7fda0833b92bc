import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { runForEachItem } from '../shared/items';
import { asNodeError } from '../shared/errors';
import { endChat, initiateChat } from './actions/chat';
import { sendActivity, sendMessage } from './actions/message';
import { ActionSession } from './actions/session';
import { getTranscript } from './actions/transcript';
import { ExpertflowSocketError } from './client';
import { connectHint } from './connect-errors';
import { testExpertflowConnection } from './credential-test';
import { chatFields, chatOperations } from './descriptions/ChatDescription';
import { messageFields, messageOperations } from './descriptions/MessageDescription';
import { transcriptFields, transcriptOperations } from './descriptions/TranscriptDescription';
import { SettingsError, type ExpertflowCredentialData } from './settings';

type Operation = (ctx: IExecuteFunctions, session: ActionSession, itemIndex: number) => Promise<INodeExecutionData>;

const OPERATIONS: Record<string, Record<string, Operation>> = {
	chat: { initiate: initiateChat, end: endChat },
	message: { send: sendMessage, sendActivity },
	transcript: { get: getTranscript },
};

export class Expertflow implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Expertflow',
		name: 'expertflow',
		icon: { light: 'file:expertflow.svg', dark: 'file:expertflow.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Act as a customer channel towards Expertflow Hybrid Chat agents: start and end chats, send messages, get transcripts',
		defaults: { name: 'Expertflow' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'expertflowApi', required: true, testedBy: 'testExpertflowConnection' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Chat', value: 'chat' },
					{ name: 'Message', value: 'message' },
					{ name: 'Transcript', value: 'transcript' },
				],
				default: 'chat',
			},
			...chatOperations,
			...chatFields,
			...messageOperations,
			...messageFields,
			...transcriptOperations,
			...transcriptFields,
		],
	};

	methods = { credentialTest: { testExpertflowConnection } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials<ExpertflowCredentialData>('expertflowApi');
		// One Socket.IO connection for the whole execution, opened by the first item that needs it.
		const session = new ActionSession(this, credentials);
		try {
			const output = await runForEachItem(
				this,
				async (itemIndex) => {
					const resource = this.getNodeParameter('resource', itemIndex) as string;
					const operation = this.getNodeParameter('operation', itemIndex) as string;
					const run = OPERATIONS[resource]?.[operation];
					if (!run) {
						throw new NodeOperationError(this.getNode(), `Unknown operation ${resource} > ${operation}`, { itemIndex });
					}
					return await run(this, session, itemIndex);
				},
				(error, itemIndex) => itemError(this, error, itemIndex),
			);
			return [output];
		} finally {
			await session.close();
		}
	}
}

/** Credential problems and Socket.IO failures in n8n's terms; anything else as the shared core maps it. */
function itemError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	const message = error instanceof Error ? error.message : String(error);
	if (error instanceof SettingsError) {
		return new NodeOperationError(ctx.getNode(), message, { itemIndex, description: 'Check the Expertflow API credential' });
	}
	if (error instanceof ExpertflowSocketError) {
		return new NodeApiError(ctx.getNode(), { message }, { message, description: socketErrorHint(error), itemIndex });
	}
	return asNodeError(ctx.getNode(), error, itemIndex);
}

/** What to check, per kind of failure: a connection that never opened is not helped by skipping confirmations. */
function socketErrorHint(error: ExpertflowSocketError): string | undefined {
	if (error.kind === 'connect') return error.failure ? connectHint(error.failure) : undefined;
	if (error.kind === 'timeout') {
		return 'The connection is open but the server did not confirm in time. If it never acknowledges events, turn off Options > Wait for Confirmation.';
	}
	if (error.kind === 'dropped') return 'The connection dropped before the server confirmed: the event may or may not have arrived.';
	return undefined;
}
