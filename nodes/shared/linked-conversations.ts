import type { INodeProperties, ITriggerFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { BridgeLinks, checkedBridgeName, DEFAULT_BRIDGE_NAME, type BridgeLink } from './bridge-links';
import type { ChatProvider } from './chat-event';
import { DataTables } from './data-tables';
import type { TriggerSource } from './trigger';

/** Follows one linked conversation; the trigger's own source for a single conversation. */
export type StartFollowing = (link: BridgeLink) => Promise<TriggerSource>;

export interface LinkedFollowSettings {
	desk: ChatProvider;
	bridge: string;
	pollIntervalMs: number;
}

/** The parameters a desk trigger shows when it follows the chats a Chat Bridge hands over to it. */
export function linkedFollowProperties(show: Record<string, string[]>): INodeProperties[] {
	return [
		{
			displayName: 'Bridge Name',
			name: 'bridgeName',
			type: 'string',
			default: 'chat_bridge',
			displayOptions: { show },
			description: "The Chat Bridge node's Bridge Name option: the trigger follows every chat that bridge hands over to this desk",
		},
		{
			displayName: 'Look for New Hand-Overs Every (Seconds)',
			name: 'linkPollInterval',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: 2,
			displayOptions: { show },
			description:
				'How often the bridge\'s links are read for chats handed over or ended. Nothing is missed in between: a new conversation is read from its start.',
		},
	];
}

export function readLinkedFollowSettings(ctx: ITriggerFunctions, desk: ChatProvider): LinkedFollowSettings {
	const bridge = checkedBridgeName(
		ctx.getNode(),
		ctx.getNodeParameter('bridgeName', DEFAULT_BRIDGE_NAME),
		'Use the Bridge Name set on the Chat Bridge node (letters, digits and _, starting with a letter)',
	);
	const seconds = Number(ctx.getNodeParameter('linkPollInterval', 2));
	return { desk, bridge, pollIntervalMs: Math.max(100, Math.round((Number.isFinite(seconds) ? seconds : 2) * 1000)) };
}

const isRefusal = (error: unknown) => error instanceof NodeApiError && ['401', '403'].includes(String(error.httpCode));

/**
 * Follows every conversation a Chat Bridge has handed over to this desk: reads the bridge's links
 * (n8n's Data Tables, shared by every n8n process, so hand-overs made by executions on workers reach
 * the trigger on the main process) every `pollIntervalMs`, starts following each new conversation and
 * stops following those whose chat has ended. A refused API key fails the activation; other read
 * failures are logged and retried on the next round.
 */
export async function followLinkedConversations(
	ctx: ITriggerFunctions,
	settings: LinkedFollowSettings,
	startFollowing: StartFollowing,
): Promise<TriggerSource> {
	const links = new BridgeLinks(await DataTables.connect(ctx), settings.bridge);
	const followed = new Map<string, Promise<TriggerSource | undefined>>();
	let closed = false;
	let timer: NodeJS.Timeout | undefined;
	let round: Promise<void> = Promise.resolve();

	const follow = (link: BridgeLink) => {
		const id = link.deskConversationId ?? '';
		const starting = startFollowing(link).catch((error: Error) => {
			ctx.logger.warn(`Could not follow ${settings.desk} conversation ${id} of chat ${link.chatId}: ${error.message}; trying again`);
			followed.delete(id);
			return undefined;
		});
		followed.set(id, starting);
	};

	const refresh = async () => {
		const open = await links.handedOverTo(settings.desk);
		if (closed) return;
		const ids = new Set(open.map((link) => link.deskConversationId ?? ''));
		for (const link of open) if (link.deskConversationId && !followed.has(link.deskConversationId)) follow(link);
		for (const [id, source] of followed) {
			if (ids.has(id)) continue;
			followed.delete(id);
			await (await source)?.close();
		}
	};

	try {
		await refresh();
	} catch (error) {
		throw isRefusal(error)
			? new NodeOperationError(ctx.getNode(), `The Chat Bridge store refused the API key: ${(error as Error).message}`, {
					description: 'Check the Chat Bridge Store API credential: its key needs the data table scopes',
				})
			: error;
	}
	const schedule = () => {
		if (closed) return;
		timer = setTimeout(() => {
			round = refresh()
				.catch((error: Error) => ctx.logger.warn(`Reading the Chat Bridge links failed: ${error.message}; trying again`))
				.finally(schedule);
		}, settings.pollIntervalMs);
	};
	schedule();

	return {
		close: async () => {
			closed = true;
			clearTimeout(timer);
			await round;
			const sources = await Promise.all(followed.values());
			followed.clear();
			await Promise.all(sources.map(async (source) => await source?.close()));
		},
	};
}
