import type { INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { buildChatEvent } from '../../../nodes/shared/chat-event';
import { SocketSession } from '../../../nodes/shared/socket';
import { runSocketTrigger } from '../../../nodes/shared/trigger';

/** Test-only socket trigger: emits a ChatEvent per `{ text }` frame from a WebSocket URL. */
export class SocketProbeTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Socket Probe Trigger',
		name: 'socketProbeTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Test-only trigger for the shared socket and trigger core',
		defaults: { name: 'Socket Probe Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Raw Output', name: 'rawOutput', type: 'boolean', default: false },
			{ displayName: 'Order Wait Limit (Ms)', name: 'orderWaitMs', type: 'number', default: 0 },
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const url = this.getNodeParameter('url') as string;
		const rawOutput = this.getNodeParameter('rawOutput') as boolean;
		const orderWaitMs = this.getNodeParameter('orderWaitMs', 0) as number;
		return await runSocketTrigger(
			this,
			async (sink) => {
				const session = new SocketSession({
					url,
					maxReconnectAttempts: 1,
					backoff: { initialDelayMs: 20 },
					onMessage: (message) => {
						const frame = message as { text: string; id: string; conversation?: string };
						sink.emitEvents([
							buildChatEvent({
								provider: 'novatalks',
								type: 'message',
								conversationId: frame.conversation ?? 'probe',
								messageId: frame.id,
								from: { role: 'agent' },
								text: frame.text,
								raw: frame,
							}),
						]);
					},
					onFatal: (error) => sink.fail(error),
				});
				await session.connect();
				return session;
			},
			{ rawOutput, order: orderWaitMs > 0 ? { waitLimitMs: orderWaitMs } : undefined },
		);
	}
}
