import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_ORDER_WAIT_MS } from './ordering';
import type { SocketTriggerOptions } from './trigger';

/** The trigger options every socket and long-poll trigger offers for ordering (in its Options collection). */
export const orderOptions: INodeProperties[] = [
	{
		displayName: 'Order per Conversation',
		name: 'orderPerConversation',
		type: 'boolean',
		default: true,
		description:
			'Whether to start the next event of a conversation only after the execution of the one before it has finished, so a routed conversation keeps its order; different conversations still run in parallel',
	},
	{
		displayName: 'Order Wait Limit (Seconds)',
		name: 'orderWaitLimit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 120,
		description: 'How long the next event of a conversation waits at most for the execution before it',
		displayOptions: { show: { orderPerConversation: [true] } },
	},
];

export interface OrderOptionValues {
	orderPerConversation?: boolean;
	orderWaitLimit?: number;
}

/** Ordering as the trigger's options set it: on unless turned off. */
export function readOrder(options: OrderOptionValues): SocketTriggerOptions['order'] {
	if (options.orderPerConversation === false) return undefined;
	const seconds = Number(options.orderWaitLimit ?? DEFAULT_ORDER_WAIT_MS / 1000);
	return { waitLimitMs: Math.max(1, Number.isFinite(seconds) ? seconds : DEFAULT_ORDER_WAIT_MS / 1000) * 1000 };
}
