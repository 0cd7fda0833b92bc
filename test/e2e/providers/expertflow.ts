import { ExpertflowEmulator } from '../../emulators/expertflow';
import { emulatedProvider } from './provider';

/** Expertflow's chat server: REST to initiate chats, Socket.IO for messages; n8n is the customer's channel. */
export const expertflow = emulatedProvider({
	name: 'expertflow',
	displayName: 'Expertflow',
	start: async () => await ExpertflowEmulator.start(),
	credentialType: 'expertflowApi',
	credentialData: (emulator) => ({ serverUrl: emulator.url }),
	describe: (emulator) => [`Expertflow chat server (REST and Socket.IO) at ${emulator.url}`],
});
