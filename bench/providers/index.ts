import { concierge } from './concierge';
import { expertflow } from './expertflow';
import { jaicp } from './jaicp';
import { novaTalks } from './novatalks';
import type { ProviderFactory } from './types';

/** The providers whose triggers hold a connection: three socket triggers and JAICP's long-poll trigger. */
export const CONNECTED_TRIGGERS: Array<{ provider: string; start: ProviderFactory }> = [
	{ provider: 'NovaTalks', start: novaTalks },
	{ provider: 'Expertflow', start: expertflow },
	{ provider: 'Concierge', start: concierge },
	{ provider: 'JAICP', start: jaicp },
];
