import http from 'node:http';

import type { JaicpAnswer, RecordedRequest } from '../../test/emulators/jaicp';
import { emulatorModule, localEmulator, remoteEmulator, type EmulatorLink } from '../support/emulator-link';
import { until } from '../support/waiting';
import { startTriggerReader } from './trigger-reader';
import type { BenchStream, OnEvent, ProviderFactory, Reader } from './types';

const EVENTS_ROUTE = '/chatapi/{token}/events';
/** Long polls are held this long when there is nothing to answer (well under the trigger's own timeout). */
const LONG_POLL_MS = 25_000;

export const jaicp: ProviderFactory = async (where) => {
	const start = where === 'local' ? localEmulator : remoteEmulator;
	const link = await start(emulatorModule('jaicp', 'JaicpEmulator'), { longPollMs: LONG_POLL_MS, operatorGreeting: null });
	const token = await link.get<string>('token');
	const baseUrl = await link.get<string>('baseUrl');
	let streams = 0;
	return {
		trigger: 'JAICP Events Trigger',
		bare: 'bare HTTP long-poll loop',
		link,
		stream: async () => jaicpStream(link, `bench-client-${++streams}`, baseUrl, token),
		drop: () => link.call('restart'),
		close: () => link.close(),
	};
};

function jaicpStream(link: EmulatorLink, clientId: string, baseUrl: string, token: string): BenchStream {
	let sent = 0;
	const polls = async () =>
		(await link.call<RecordedRequest[]>('calls', 'GET', EVENTS_ROUTE)).filter((request) => request.query.clientId === clientId).length;
	/** Resolves once a reader's first long poll is waiting at the emulator: from then on no event is missed. */
	const listening = async (before: number) => await until(async () => (await polls()) > before, 10_000, `a long poll of ${clientId}`);
	return {
		burst: async (count) => {
			await link.repeat(count, 'operatorSays', clientId, `burst ${sent}`);
			sent += count;
		},
		sendOne: async () => (await link.call<JaicpAnswer>('operatorSays', clientId, `one ${++sent}`)).questionId,
		sentIds: async () => (await link.call<JaicpAnswer[]>('historyOf', clientId)).map((answer) => answer.questionId),
		openBare: async (onEvent, options) => {
			const before = await polls();
			const reader = bareLongPoll(`${baseUrl}/${token}/events`, clientId, onEvent, options?.reconnect === true);
			await listening(before);
			return reader;
		},
		openTrigger: async (onEvent) => {
			const before = await polls();
			const reader = await startTriggerReader('jaicpEventsTrigger', { clientId }, { jaicpApi: { token, baseUrl } }, onEvent);
			await listening(before);
			return reader;
		},
		subscriptions: polls,
	};
}

interface EventsBody {
	events?: Array<{ event?: { questionId?: string; timestamp?: string } }>;
}

/**
 * The baseline: a plain HTTP long-poll loop on one keep-alive connection: GET /events from the newest
 * event time seen, take every event, poll again. After a failed request it polls again at once
 * (`reconnect`) or stops.
 */
function bareLongPoll(url: string, clientId: string, onEvent: OnEvent, reconnect: boolean): Reader {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	const errors: Error[] = [];
	let ts = Date.now();
	let closed = false;
	let inFlight: http.ClientRequest | undefined;

	const poll = () =>
		new Promise<EventsBody>((resolve, reject) => {
			const request = http.get(`${url}?clientId=${encodeURIComponent(clientId)}&ts=${ts}`, { agent }, (response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => {
					try {
						resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as EventsBody);
					} catch (error) {
						reject(error as Error);
					}
				});
				response.on('error', reject);
			});
			request.on('error', reject);
			inFlight = request;
		});

	const loop = async () => {
		while (!closed) {
			try {
				const body = await poll();
				for (const { event } of body.events ?? []) {
					if (!event?.questionId) continue;
					const time = Date.parse(`${event.timestamp}Z`);
					if (time > ts) ts = time;
					onEvent(event.questionId);
				}
			} catch (error) {
				if (closed) return;
				errors.push(error as Error);
				if (!reconnect) return;
				await new Promise((resolve) => setTimeout(resolve, 1));
			}
		}
	};
	const running = loop();

	return {
		errors,
		close: async () => {
			closed = true;
			inFlight?.destroy();
			await running;
			agent.destroy();
		},
	};
}
