import { ConciergeEmulator } from '../../emulators/concierge';
import { emulatedProvider } from './provider';

const ACCESS_TOKEN = 'tenant-token-34';
/** A second tenant, so the routing workflow's trigger and the relay example's never hear each other's chats. */
export const ROUTING_TENANT_CREDENTIAL = 'Concierge (routing tenant)';

/**
 * ServiceMind's concierge chat over an API Gateway WebSocket; n8n is the tenant. The service
 * delivers a tenant's chat events to all its connections, so a trigger following every session
 * hears the chats the action node opens.
 */
export const concierge = emulatedProvider({
	name: 'concierge',
	displayName: 'Concierge',
	start: async () => await ConciergeEmulator.start({ pushScope: 'tenant' }),
	credentialType: 'conciergeApi',
	credentialData: (emulator) => ({
		socketOrigin: emulator.socketOrigin,
		accessToken: ACCESS_TOKEN,
		deviceId: 'n8n-chat-bridge',
		serverUrl: emulator.serverUrl,
	}),
	namedCredentials: (emulator) => ({
		[ROUTING_TENANT_CREDENTIAL]: {
			socketOrigin: emulator.socketOrigin,
			accessToken: 'tenant-token-35',
			deviceId: 'n8n-chat-bridge-routing',
			serverUrl: emulator.serverUrl,
		},
	}),
	describe: (emulator) => [`Concierge WebSocket API at ${emulator.socketOrigin} (REST at ${emulator.serverUrl})`],
});
