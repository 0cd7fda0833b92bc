import { io } from 'socket.io-client';

import type { EmulatedConversation, EmulatedMessage, ReceivedEvent } from '../../test/emulators/expertflow';
import { emulatorModule, localEmulator, remoteEmulator, type EmulatorLink } from '../support/emulator-link';
import { startTriggerReader } from './trigger-reader';
import type { BenchStream, OnEvent, ProviderFactory, Reader } from './types';

const PARTICIPANT_NAME = 'Bench Customer';

export const expertflow: ProviderFactory = async (where) => {
	const start = where === 'local' ? localEmulator : remoteEmulator;
	const link = await start(emulatorModule('expertflow', 'ExpertflowEmulator'), {});
	const url = await link.get<string>('url');
	let streams = 0;
	return {
		trigger: 'Expertflow Trigger',
		bare: 'bare socket.io-client',
		link,
		stream: async () =>
			expertflowStream(link, url, await link.call<EmulatedConversation>('createConversation', { firstName: `Bench ${++streams}` })),
		drop: () => link.call('dropConnections'),
		close: () => link.close(),
	};
};

/** The credential the trigger and the Expertflow node use: the emulator, over WebSocket only (as the bare client). */
export const expertflowCredentials = (url: string) => ({ expertflowApi: { serverUrl: url, transport: 'websocket' } });

function expertflowStream(link: EmulatorLink, url: string, conversation: EmulatedConversation): BenchStream {
	let sent = 0;
	return {
		burst: async (count) => {
			await link.repeat(count, 'agentSays', conversation.id, `burst ${sent}`);
			sent += count;
		},
		sendOne: async () => (await link.call<EmulatedMessage>('agentSays', conversation.id, `one ${++sent}`)).id,
		sentIds: async () =>
			(await link.get<Map<string, EmulatedConversation>>('conversations'))
				.get(conversation.id)!
				.messages.filter((message) => message.type === 'ChatMessage' && message.from?.id !== conversation.customer.id)
				.map((message) => message.id),
		openBare: (onEvent, options) => bareSocketIo(url, conversation, onEvent, options?.reconnect === true),
		openTrigger: (onEvent) =>
			startTriggerReader(
				'expertflowTrigger',
				{
					mode: 'conversation',
					conversations: {
						conversation: [{ conversationId: conversation.id, participantId: conversation.customer.id, participantName: PARTICIPANT_NAME }],
					},
					events: ['chatMessage'],
				},
				expertflowCredentials(url),
				onEvent,
			),
		subscriptions: async () =>
			(await link.call<ReceivedEvent[]>('eventsNamed', 'joinConversation')).filter(
				(event) => (event.payload as { conversationId?: string }).conversationId === conversation.id,
			).length,
	};
}

/**
 * The baseline: a plain socket.io-client that joins the conversation (waiting for the acknowledgement)
 * after every connect and takes every agent ChatMessage. With `reconnect` it comes back at once.
 */
async function bareSocketIo(url: string, conversation: EmulatedConversation, onEvent: OnEvent, reconnect: boolean): Promise<Reader> {
	const errors: Error[] = [];
	const socket = io(url, {
		forceNew: true,
		transports: ['websocket'],
		reconnection: reconnect,
		reconnectionDelay: 1,
		randomizationFactor: 0,
	});
	const join = () =>
		new Promise<void>((resolve, reject) => {
			socket.emit(
				'joinConversation',
				{ conversationId: conversation.id, id: conversation.customer.id, name: PARTICIPANT_NAME },
				(reply: { status?: string; message?: string }) =>
					reply?.status === 'ok' ? resolve() : reject(new Error(`joinConversation refused: ${reply?.message}`)),
			);
		});
	socket.on('messageArrived', (message: EmulatedMessage) => {
		if (message.type === 'ChatMessage' && message.conversationId === conversation.id && message.from?.id !== conversation.customer.id) {
			onEvent(message.id);
		}
	});
	socket.on('connect_error', (error) => errors.push(error));
	await new Promise<void>((resolve, reject) => {
		socket.once('connect', () => resolve());
		socket.once('connect_error', reject);
	});
	await join();
	// Later connects (reconnect mode) join again at once.
	socket.on('connect', () => void join().catch((error: Error) => errors.push(error)));
	return {
		errors,
		close: async () => {
			socket.disconnect();
		},
	};
}
