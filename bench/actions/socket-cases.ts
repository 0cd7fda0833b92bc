import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { WebSocket } from 'ws';

import { ConciergeEmulator } from '../../test/emulators/concierge';
import { ExpertflowEmulator } from '../../test/emulators/expertflow';
import { conciergeCredentials } from '../providers/concierge';
import { expertflowCredentials } from '../providers/expertflow';
import { packageNodeSender } from './engine-senders';
import type { ActionCase, Sender } from './types';

// Socket providers are compared with a bare client that opens one connection and sends one request
// per item over it, waiting for each reply, as the nodes do.

export async function expertflowCase(): Promise<ActionCase> {
	const emulator = await ExpertflowEmulator.start();
	const conversation = emulator.createConversation({ firstName: 'Bench' });
	const customer = conversation.customer.id;
	const isFromCustomer = (message: { type: string; from?: { id?: string } }) => message.type === 'ChatMessage' && message.from?.id === customer;
	return {
		provider: 'Expertflow',
		node: packageNodeSender(
			'expertflow',
			// Keep Connection Open 0: one connection per run, as the bare client (the pool would reuse it across runs).
			{
				resource: 'message',
				operation: 'send',
				conversationId: conversation.id,
				participantId: customer,
				participantName: 'Bench',
				text: '={{ $json.text }}',
				options: { keepConnectionOpen: 0 },
			},
			expertflowCredentials(emulator.url),
		),
		baseline: {
			label: 'bare socket.io-client, one connection',
			send: async (items) => {
				const socket = io(emulator.url, { forceNew: true, transports: ['websocket'], reconnection: false });
				const request = (event: string, payload: object) =>
					new Promise<void>((resolve, reject) =>
						socket.timeout(10_000).emit(event, payload, (error: Error | null, reply: { status?: string; message?: string }) =>
							error || reply?.status !== 'ok' ? reject(error ?? new Error(`${event} refused: ${reply?.message}`)) : resolve(),
						),
					);
				try {
					await new Promise<void>((resolve, reject) => {
						socket.once('connect', () => resolve());
						socket.once('connect_error', reject);
					});
					await request('joinConversation', { conversationId: conversation.id, id: customer, name: 'Bench' });
					for (const item of items) {
						await request('sendMessage', {
							id: randomUUID(),
							conversationId: conversation.id,
							type: 'ChatMessage',
							from: { id: customer, name: 'Bench' },
							to: [],
							text: item.json.text,
							timestamp: new Date().toISOString(),
						});
					}
				} finally {
					socket.disconnect();
				}
			},
		},
		accepted: async () => emulator.conversations.get(conversation.id)!.messages.filter(isFromCustomer).length,
		connections: async () => emulator.handshakes.length,
		close: () => emulator.close(),
	};
}

const SEND_ROUTE = 'client/send-message';

export async function conciergeCase(): Promise<ActionCase> {
	const emulator = await ConciergeEmulator.start();
	const session = emulator.createSession('34');
	const credentials = conciergeCredentials(emulator.socketOrigin, emulator.serverUrl, 'bench-actions');
	return {
		provider: 'Concierge',
		node: packageNodeSender(
			'concierge',
			{ resource: 'message', operation: 'sendText', chatSessionId: session.chatSessionId, text: '={{ $json.text }}' },
			credentials,
		),
		baseline: bareRouteSender(`${emulator.socketOrigin}?Auth=${credentials.conciergeApi.accessToken}&deviceId=bench-bare`, session.chatSessionId),
		accepted: async () => emulator.messagesOf(session.chatSessionId).filter((message) => message.senderEntityType === 'TENANT').length,
		connections: async () => emulator.connectionsOpened,
		close: () => emulator.close(),
	};
}

/** A bare `ws` client: one connection, one send-message route call per item, each waiting for its reply. */
function bareRouteSender(url: string, chatSessionId: string): Sender {
	return {
		label: 'bare ws client, one connection',
		send: async (items) => {
			const socket = new WebSocket(url);
			let answer: ((reply: { channel?: string; status?: number }) => void) | undefined;
			socket.on('message', (raw) => {
				const reply = JSON.parse(raw.toString()) as { channel?: string; status?: number };
				if (reply.channel === SEND_ROUTE) answer?.(reply);
			});
			try {
				await new Promise((resolve, reject) => {
					socket.once('open', resolve);
					socket.once('error', reject);
				});
				for (const item of items) {
					const reply = await new Promise<{ status?: number }>((resolve) => {
						answer = resolve;
						socket.send(
							JSON.stringify({
								action: 'api',
								data: { route: SEND_ROUTE, body: { chatSessionId, contentType: 'TEXT', messageContent: item.json.text } },
							}),
						);
					});
					if (reply.status !== 200) throw new Error(`${SEND_ROUTE} answered ${reply.status}`);
				}
			} finally {
				socket.close();
			}
		},
	};
}
