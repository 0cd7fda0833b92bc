import { JaicpEmulator } from '../../emulators/jaicp';
import { emulatedProvider } from './provider';

/** JAICP's Chat API with a scripted bot: n8n is the chat client; an operator can be switched in. */
export const jaicp = emulatedProvider({
	name: 'jaicp',
	displayName: 'JAICP',
	start: async () => await JaicpEmulator.start(),
	credentialType: 'jaicpApi',
	credentialData: (emulator) => ({ token: emulator.token, baseUrl: emulator.baseUrl }),
	describe: (emulator) => [`JAICP Chat API at ${emulator.baseUrl}`],
});
