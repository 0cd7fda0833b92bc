import type { EmulatedMessage, EmulatedSession, ReceivedFrame } from '../../test/emulators/concierge';
import { emulatorModule, localEmulator, remoteEmulator, type EmulatorLink } from '../support/emulator-link';
import { bareWebSocket } from './bare-websocket';
import { startTriggerReader } from './trigger-reader';
import type { BenchStream, ProviderFactory } from './types';

const TOKEN = 'tenant-token-34';
const TENANT = '34';
const RESUME_ROUTE = 'client/init-chat-with-concierge';

interface PushedFrame {
	channel?: string;
	status?: number;
	payload?: { chatMessage?: { id: string; senderEntityType: string } };
}

export const concierge: ProviderFactory = async (where) => {
	const start = where === 'local' ? localEmulator : remoteEmulator;
	const link = await start(emulatorModule('concierge', 'ConciergeEmulator'), {});
	const socketOrigin = await link.get<string>('socketOrigin');
	const serverUrl = await link.get<string>('serverUrl');
	let readers = 0;
	return {
		trigger: 'Concierge Trigger',
		bare: 'bare ws client',
		link,
		stream: async () => {
			const session = await link.call<EmulatedSession>('createSession', TENANT);
			return conciergeStream(link, session.chatSessionId, socketOrigin, () =>
				conciergeCredentials(socketOrigin, serverUrl, `bench-${++readers}`),
			);
		},
		drop: () => link.call('dropAll'),
		close: () => link.close(),
	};
};

/** The credential the Concierge node and trigger use against this emulator. */
export function conciergeCredentials(socketOrigin: string, serverUrl: string, deviceId: string) {
	return { conciergeApi: { socketOrigin, accessToken: TOKEN, deviceId, serverUrl } };
}

function conciergeStream(
	link: EmulatorLink,
	chatSessionId: string,
	socketOrigin: string,
	credentials: () => ReturnType<typeof conciergeCredentials>,
): BenchStream {
	let sent = 0;
	return {
		burst: async (count) => {
			await link.repeat(count, 'conciergeSend', chatSessionId, `burst ${sent}`);
			sent += count;
		},
		sendOne: async () => (await link.call<EmulatedMessage>('conciergeSend', chatSessionId, `one ${++sent}`)).id,
		sentIds: async () =>
			(await link.call<EmulatedMessage[]>('messagesOf', chatSessionId))
				.filter((message) => message.senderEntityType === 'BACKEND_USER')
				.map((message) => message.id),
		openBare: (onEvent, options) =>
			bareWebSocket({
				url: `${socketOrigin}?Auth=${TOKEN}&deviceId=bench-bare`,
				subscribe: { action: 'api', data: { route: RESUME_ROUTE, body: { newSession: false, chatSessionId } } },
				confirms: (frame) => (frame as PushedFrame).channel === RESUME_ROUTE && (frame as PushedFrame).status === 200,
				onFrame: (frame) => {
					const { channel, payload } = frame as PushedFrame;
					const message = payload?.chatMessage;
					if (channel === `chat-message-${chatSessionId}` && message?.senderEntityType === 'BACKEND_USER') onEvent(message.id);
				},
				reconnect: options?.reconnect,
			}),
		openTrigger: (onEvent) =>
			startTriggerReader(
				'conciergeTrigger',
				{ follow: 'ids', chatSessionIds: chatSessionId, events: ['chatMessage'], conciergeOnly: true },
				credentials(),
				onEvent,
			),
		subscriptions: async () =>
			(await link.call<ReceivedFrame[]>('frames', RESUME_ROUTE)).filter((frame) => frame.body.chatSessionId === chatSessionId).length,
	};
}
