import type { ConversationRecord } from '../../test/emulators/novatalks';
import { emulatorModule, localEmulator, remoteEmulator, type EmulatorLink } from '../support/emulator-link';
import { bareWebSocket } from './bare-websocket';
import { startTriggerReader } from './trigger-reader';
import type { BenchStream, ProviderFactory } from './types';

interface Frame {
	event: string;
	data: { id: number; conversation_id: number; message_type?: string };
}

export const novaTalks: ProviderFactory = async (where) => {
	const start = where === 'local' ? localEmulator : remoteEmulator;
	const link = await start(emulatorModule('novatalks', 'NovaTalksEmulator'), { rateLimit: false });
	const webSocketUrl = await link.get<string>('webSocketUrl');
	const credentials = await link.call<Record<string, Record<string, string | number>>>('credentials');
	let streams = 0;
	return {
		trigger: 'NovaTalks Trigger',
		bare: 'bare ws client',
		link,
		stream: async () =>
			novaTalksStream(link, await link.call<ConversationRecord>('createConversation', `bench-${++streams}`), webSocketUrl, credentials),
		drop: () => link.call('dropAll'),
		close: () => link.close(),
	};
};

function novaTalksStream(
	link: EmulatorLink,
	conversation: ConversationRecord,
	webSocketUrl: string,
	credentials: Record<string, Record<string, string | number>>,
): BenchStream {
	let sent = 0;
	return {
		burst: async (count) => {
			await link.repeat(count, 'agentSend', conversation.id, { content: `burst ${sent}` });
			sent += count;
		},
		sendOne: async () => String((await link.call<{ id: number }>('agentSend', conversation.id, { content: `one ${++sent}` })).id),
		sentIds: async () =>
			(await link.call<Array<{ id: number; message_type: string }>>('messagesOf', conversation.id))
				.filter((message) => message.message_type === 'outgoing')
				.map((message) => String(message.id)),
		openBare: (onEvent, options) =>
			bareWebSocket({
				url: webSocketUrl,
				subscribe: { event: 'subscribe', data: { pubsub_token: conversation.token, account_id: 1 } },
				confirms: (frame) => (frame as Frame).event === 'confirm_subscription',
				onFrame: (frame) => {
					const { event, data } = frame as Frame;
					if (event === 'message.created' && data.message_type === 'outgoing') onEvent(String(data.id));
				},
				reconnect: options?.reconnect,
			}),
		openTrigger: (onEvent) =>
			startTriggerReader(
				'novaTalksTrigger',
				{ contactTokens: conversation.token, events: ['message.created'] },
				credentials,
				onEvent,
			),
		subscriptions: async () =>
			(await link.get<Array<{ event?: string; data?: { pubsub_token?: string } }>>('wsReceived')).filter(
				(frame) => frame.event === 'subscribe' && frame.data?.pubsub_token === conversation.token,
			).length,
	};
}
