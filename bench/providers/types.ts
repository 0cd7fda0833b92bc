import type { EmulatorLink } from '../support/emulator-link';

/** A reader attached to a stream: a bare client or a trigger. */
export interface Reader {
	/** Errors the reader reported while it ran (a trigger's emitError, a client's socket errors). */
	readonly errors: Error[];
	close(): Promise<void>;
}

/** Called with the provider's message id of every event a reader delivers. */
export type OnEvent = (messageId: string) => void;

/** One conversation (session, client) on an emulator: agent messages go in, readers take them out. */
export interface BenchStream {
	/** Sends `count` agent messages as fast as the emulator can send them. */
	burst(count: number): Promise<void>;
	/** Sends one agent message and hands back its id. */
	sendOne(): Promise<string>;
	/** Ids of the agent messages sent on this stream so far, in order (emulator in this process only). */
	sentIds(): Promise<string[]>;
	/**
	 * A bare client (ws, socket.io-client, plain HTTP long poll), subscribed once this resolves; with
	 * `reconnect` it comes back at once after a drop, with no backoff.
	 */
	openBare(onEvent: OnEvent, options?: { reconnect?: boolean }): Promise<Reader>;
	/** The trigger node, started the way n8n activates a workflow, subscribed once this resolves. */
	openTrigger(onEvent: OnEvent): Promise<Reader>;
	/** Subscriptions the emulator has seen for this stream (subscribe, join, resume, or long poll). */
	subscriptions(): Promise<number>;
}

/** A provider's emulator and the way its trigger and a bare client read from it. */
export interface ProviderBench {
	/** The trigger node's name, e.g. `NovaTalks Trigger`. */
	trigger: string;
	/** The baseline client, e.g. `bare ws client`. */
	bare: string;
	link: EmulatorLink;
	stream(): Promise<BenchStream>;
	/** Cuts every connection the way a network failure would (or takes the server down and up again). */
	drop(): Promise<void>;
	close(): Promise<void>;
}

/** How to start one provider's bench against an emulator in this process or in a child process. */
export type ProviderFactory = (where: 'local' | 'remote') => Promise<ProviderBench>;
