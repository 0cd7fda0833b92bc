import type { INodeParameters } from 'n8n-workflow';

import { startTrigger } from '../../test/helpers/trigger';
import { chain } from '../../test/helpers/workflow-builder';
import type { OnEvent, Reader } from './types';

/**
 * Starts a trigger node through the test harness (n8n-core's TriggerContext) and hands the message id
 * of every emitted item to `onEvent` as it is emitted. Items are not kept, so long runs do not grow.
 */
export async function startTriggerReader(
	type: string,
	parameters: INodeParameters,
	credentials: Record<string, Record<string, string | number | boolean>>,
	onEvent: OnEvent,
): Promise<Reader> {
	const handle = await startTrigger(chain({ name: 'Trigger', type, parameters }), {
		credentials,
		keepEmitted: false,
		onEmit: (data) => {
			for (const item of data[0] ?? []) onEvent(String(item.json.messageId));
		},
	});
	return { errors: handle.errors, close: () => handle.close() };
}
