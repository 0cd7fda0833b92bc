import type { INodeParameters } from 'n8n-workflow';

import { ConciergeEmulator, type ConciergeEmulatorOptions } from '../emulators/concierge';
import { actionWorkflow, chain } from '../helpers/workflow-builder';
import type { WorkflowJson } from '../helpers/workflow';

export const TOKEN = 'tenant-token-34';

/** The `conciergeApi` credential pointing at an emulator. */
export function credentialsFor(emulator: ConciergeEmulator, overrides: Record<string, string | boolean> = {}) {
	return {
		conciergeApi: {
			socketOrigin: emulator.socketOrigin,
			accessToken: TOKEN,
			deviceId: 'n8n-test',
			serverUrl: emulator.serverUrl,
			...overrides,
		},
	};
}

/** Manual Trigger -> Concierge node with these parameters. */
export function conciergeAction(parameters: INodeParameters, continueOnFail = false): WorkflowJson {
	return actionWorkflow('concierge', parameters, { continueOnFail });
}

/** Just the Concierge Trigger. */
export function conciergeTrigger(parameters: INodeParameters): WorkflowJson {
	return chain({ name: 'Concierge Trigger', type: 'conciergeTrigger', parameters });
}

export interface EmulatorHolder {
	readonly current: ConciergeEmulator;
	/** Replaces this test's emulator with one started with other options. */
	restart(options: ConciergeEmulatorOptions): Promise<ConciergeEmulator>;
}

/** Starts an emulator before each test and closes it after. */
export function useEmulator(options: ConciergeEmulatorOptions = {}): EmulatorHolder {
	const holder = {
		current: undefined as unknown as ConciergeEmulator,
		async restart(other: ConciergeEmulatorOptions) {
			await holder.current.close();
			holder.current = await ConciergeEmulator.start({ ...options, ...other });
			return holder.current;
		},
	};
	beforeEach(async () => {
		holder.current = await ConciergeEmulator.start(options);
	});
	afterEach(async () => {
		await holder.current.close();
	});
	return holder;
}
