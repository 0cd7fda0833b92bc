import type { INodeExecutionData } from 'n8n-workflow';

/** One way to send every item: the Send Message node in the engine, or its baseline. */
export interface Sender {
	label: string;
	/** Sends one message per item and checks that each one succeeded. */
	send(items: INodeExecutionData[]): Promise<void>;
}

/** A provider's Send Message against its emulator, with the baseline it is compared with. */
export interface ActionCase {
	provider: string;
	node: Sender;
	baseline: Sender;
	/** Messages the emulator has accepted so far. */
	accepted(): Promise<number>;
	/** Connections the emulator has seen opened so far (socket providers). */
	connections?(): Promise<number>;
	close(): Promise<void>;
}

/** Items carrying what each message says (`text`) and a unique id the request can carry (`echo`). */
export function benchItems(count: number, round: string): INodeExecutionData[] {
	return Array.from({ length: count }, (_, index) => ({ json: { text: `bench message ${index}`, echo: `${round}-${index}` } }));
}
