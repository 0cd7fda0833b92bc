import type { ChatProvider } from '../../shared/chat-event';
import { conciergeDesk } from './concierge';
import { expertflowDesk } from './expertflow';
import { jaicpBot } from './jaicp';
import { novaTalksDesk } from './novatalks';
import type { BotParty, DeskParty, PartyScope } from './party';
import { ultimateBot } from './ultimate';

export type BotProvider = 'ultimate' | 'jaicp';
export type DeskProvider = 'novatalks' | 'expertflow' | 'concierge';

export const BOT_PROVIDERS: readonly ChatProvider[] = ['ultimate', 'jaicp'];
export const DESK_PROVIDERS: readonly ChatProvider[] = ['novatalks', 'expertflow', 'concierge'];

export interface DeskSettings {
	expertflowChannel: string;
}

export async function openBot(provider: BotProvider, scope: PartyScope): Promise<BotParty> {
	return provider === 'ultimate' ? await ultimateBot(scope) : await jaicpBot(scope);
}

export async function openDesk(provider: DeskProvider, scope: PartyScope, settings: DeskSettings): Promise<DeskParty> {
	switch (provider) {
		case 'novatalks':
			return await novaTalksDesk(scope);
		case 'expertflow':
			return await expertflowDesk(scope, settings.expertflowChannel);
		case 'concierge':
			return await conciergeDesk(scope);
	}
}
