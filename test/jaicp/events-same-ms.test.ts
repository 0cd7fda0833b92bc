import type { INodeParameters } from 'n8n-workflow';

import { JaicpEmulator } from '../emulators/jaicp';
import { startTrigger, type TriggerHandle } from '../helpers/trigger';
import { delay, waitFor } from '../helpers/wait';
import { chain } from '../helpers/workflow-builder';
import { credentialsFor } from './setup';

/**
 * Events sharing a millisecond: the docs say `ts` means "from" and leave open whether that
 * millisecond is included, so the trigger must lose none and repeat none either way.
 */
describe.each([
	['excludes', false],
	['includes', true],
])('JAICP Events Trigger, server that %s the ts millisecond', (_label, tsInclusive) => {
	let emulator: JaicpEmulator;
	let trigger: TriggerHandle | undefined;

	const start = async (parameters: INodeParameters = {}) => {
		trigger = await startTrigger(chain({ name: 'JAICP Events Trigger', type: 'jaicpEventsTrigger', parameters: { clientId: 'client-1', ...parameters } }), {
			credentials: credentialsFor(emulator),
		});
		return trigger;
	};
	const polling = async () => await waitFor(() => emulator.pendingPolls === 1, 5000, () => 'a pending long poll');
	const texts = () => trigger!.json.map((event) => `${String((event.from as { role: string }).role)}: ${String(event.text)}`);

	beforeEach(async () => {
		emulator = await JaicpEmulator.start({ longPollMs: 1500, tsInclusive });
	});

	afterEach(async () => {
		await trigger?.close();
		trigger = undefined;
		await emulator.close();
	});

	it('emits all 5 operator messages stored in one millisecond while a poll was open, each once', async () => {
		await start();
		await polling();
		emulator.operatorSaysInOneMs('client-1', ['m1', 'm2', 'm3', 'm4', 'm5']);
		await trigger!.waitForItems(5, 5000);
		await polling(); // back to a blocking long poll: the millisecond is not asked forever
		emulator.operatorSays('client-1', 'later');
		await trigger!.waitForItems(6, 5000);
		await polling();
		await delay(200);
		expect(texts()).toEqual(['agent: m1', 'agent: m2', 'agent: m3', 'agent: m4', 'agent: m5', 'agent: later']);
		expect(trigger!.errors).toEqual([]);
	});

	it('with All Channel Events, emits the client message and the 3 bot replies sharing its millisecond', async () => {
		await start({ options: { all: true } });
		await polling();
		emulator.exchangeInOneMs('client-1', 'hello from another tab', ['r1', 'r2', 'r3']);
		await trigger!.waitForItems(4, 5000);
		await polling();
		await delay(200);
		expect(texts()).toEqual(['customer: hello from another tab', 'bot: r1', 'bot: r2', 'bot: r3']);
	});
});
