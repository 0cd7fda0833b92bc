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

/** Starts an emulator before each test and closes it after. */
export function useEmulator(options: ConciergeEmulatorOptions = {}): { readonly current: ConciergeEmulator } {
	const holder: { current: ConciergeEmulator } = { current: undefined as unknown as ConciergeEmulator };
	beforeEach(async () => {
		holder.current = await ConciergeEmulator.start(options);
	});
	afterEach(async () => {
		await holder.current.close();
	});
	return holder;
}
