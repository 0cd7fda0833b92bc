import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { JaicpEmulator, type JaicpEmulatorOptions } from '../emulators/jaicp';
import { actionWorkflow } from '../helpers/workflow-builder';
import { runWorkflow, type WorkflowRun } from '../helpers/workflow';

export const credentialsFor = (emulator: JaicpEmulator, token = emulator.token, baseUrl = emulator.baseUrl) => ({
	jaicpApi: { token, baseUrl },
});

/** A Manual Trigger followed by a JAICP node with these parameters. */
export const jaicpWorkflow = (parameters: INodeParameters, continueOnFail = false) =>
	actionWorkflow('jaicp', parameters, { continueOnFail });

/** Runs one JAICP node against the emulator, with the given input items. */
export async function runJaicp(
	emulator: JaicpEmulator,
	parameters: INodeParameters,
	options: { items?: IDataObject[]; continueOnFail?: boolean; token?: string; baseUrl?: string } = {},
): Promise<WorkflowRun> {
	return await runWorkflow(jaicpWorkflow(parameters, options.continueOnFail), {
		credentials: credentialsFor(emulator, options.token, options.baseUrl),
		startData: options.items ? [options.items.map((json) => ({ json }))] : undefined,
	});
}

/** Starts an emulator before each test of the file and closes it after. */
export function useEmulator(options: JaicpEmulatorOptions = {}): () => JaicpEmulator {
	let emulator: JaicpEmulator | undefined;
	beforeEach(async () => {
		emulator = await JaicpEmulator.start(options);
	});
	afterEach(async () => {
		await emulator?.close();
		emulator = undefined;
	});
	return () => {
		if (!emulator) throw new Error('The emulator is not running');
		return emulator;
	};
}

/** Everything a run or trigger put out, as one text, to look for secrets in. */
export const everything = (value: unknown): string => JSON.stringify(value, (_key, entry: unknown) => (entry instanceof Error ? { ...entry, message: entry.message, description: (entry as { description?: string }).description } : entry));
