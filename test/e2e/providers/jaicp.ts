import { JaicpEmulator } from '../../emulators/jaicp';
import type { ProviderSetup } from './provider';

/** JAICP's Chat API with a scripted bot: n8n is the chat client; an operator can be switched in. */
export const jaicp: ProviderSetup<JaicpEmulator> = {
	name: 'jaicp',
	displayName: 'JAICP',
	async start() {
		const emulator = await JaicpEmulator.start();
		return {
			emulator,
			credentialType: 'jaicpApi',
			credentialData: { token: emulator.token, baseUrl: emulator.baseUrl },
			describe: () => [`JAICP Chat API at ${emulator.baseUrl}`],
			stop: async () => await emulator.close(),
		};
	},
};
