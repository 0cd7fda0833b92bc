import { WebSocket } from 'ws';

import type { Reader } from './types';

export interface BareWebSocketOptions {
	url: string;
	/** The frame that subscribes; sent after every open. */
	subscribe: unknown;
	/** Whether a frame confirms the subscription. */
	confirms: (frame: unknown) => boolean;
	/** Every other frame, parsed. */
	onFrame: (frame: unknown) => void;
	/** Reconnect and subscribe again at once after the connection drops (no backoff: the fastest possible). */
	reconnect?: boolean;
}

/**
 * The baseline reader for plain-WebSocket providers: a `ws` client that subscribes and parses every
 * frame, as any client must, and nothing more. Resolves once the subscription is confirmed.
 */
export async function bareWebSocket(options: BareWebSocketOptions): Promise<Reader> {
	const errors: Error[] = [];
	let socket: WebSocket | undefined;
	let closing = false;

	const connect = () =>
		new Promise<void>((resolve, reject) => {
			const current = new WebSocket(options.url);
			socket = current;
			let subscribed = false;
			current.on('open', () => current.send(JSON.stringify(options.subscribe)));
			current.on('message', (raw) => {
				const frame: unknown = JSON.parse(raw.toString());
				if (!subscribed && options.confirms(frame)) {
					subscribed = true;
					resolve();
				} else {
					options.onFrame(frame);
				}
			});
			current.on('error', (error) => {
				errors.push(error);
				reject(error);
			});
			current.on('close', () => {
				if (closing || !options.reconnect) return;
				void reconnect();
			});
		});

	const reconnect = async () => {
		while (!closing) {
			try {
				await connect();
				return;
			} catch {
				await new Promise((resolve) => setTimeout(resolve, 1));
			}
		}
	};

	await connect();
	return {
		errors,
		close: () =>
			new Promise<void>((resolve) => {
				closing = true;
				if (!socket || socket.readyState === WebSocket.CLOSED) return resolve();
				socket.once('close', () => resolve());
				socket.close();
			}),
	};
}
