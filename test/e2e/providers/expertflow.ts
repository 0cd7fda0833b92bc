import { ExpertflowEmulator } from '../../emulators/expertflow';
import type { ProviderSetup } from './provider';

/** Expertflow's chat server: REST to initiate chats, Socket.IO for messages; n8n is the customer's channel. */
export const expertflow: ProviderSetup<ExpertflowEmulator> = {
	name: 'expertflow',
	displayName: 'Expertflow',
	async start() {
		const emulator = await ExpertflowEmulator.start();
		return {
			emulator,
			credentialType: 'expertflowApi',
			credentialData: { serverUrl: emulator.url },
			describe: () => [`Expertflow chat server (REST and Socket.IO) at ${emulator.url}`],
			stop: async () => await emulator.close(),
		};
	},
};
