import { UltimateEmulator } from '../../emulators/ultimate';
import { emulatedProvider } from './provider';

const API_KEY = 'e2e-ultimate-key';
const BOT_ID = '65f1c0ffee0000000000e2e0';

/** Ultimate's scripted bot: n8n talks to it as the chat platform, it answers on n8n's webhooks. */
export const ultimate = emulatedProvider({
	name: 'ultimate',
	displayName: 'Ultimate',
	start: async () => await UltimateEmulator.start({ apiKey: API_KEY, botId: BOT_ID }),
	credentialType: 'ultimateApi',
	credentialData: (emulator) => ({ apiKey: API_KEY, botId: BOT_ID, baseUrl: emulator.baseUrl }),
	describe: (emulator) => [`Ultimate Chat API at ${emulator.baseUrl} (bot ${BOT_ID})`],
});
