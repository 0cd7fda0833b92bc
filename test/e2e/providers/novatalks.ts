import { NovaTalksEmulator } from '../../emulators/novatalks';
import { emulatedProvider } from './provider';

/** The contact the echo example answers for: its token is what that example asks the user to paste. */
export const ECHO_CONTACT = 'Echo demo contact';
export const CONTACT_TOKEN_PLACEHOLDER = 'PASTE_THE_CONTACT_TOKEN_HERE';

/** NovaTalks' SDK API (REST, WebSocket, push webhook): n8n is the contact; agents answer on the desk. */
export const novatalks = emulatedProvider({
	name: 'novatalks',
	displayName: 'NovaTalks',
	// The vendor's dev deployment throttles at 100 requests a minute; a demo left running would hit it.
	start: async () => await NovaTalksEmulator.start({ rateLimit: false }),
	credentialType: 'novaTalksApi',
	credentialData: (emulator) => emulator.credentials().novaTalksApi,
	placeholders: (emulator) => ({ [CONTACT_TOKEN_PLACEHOLDER]: emulator.createConversation(ECHO_CONTACT).token }),
	describe: (emulator) => [`NovaTalks SDK API at ${emulator.baseUrl} (WebSocket ${emulator.webSocketUrl})`],
});
