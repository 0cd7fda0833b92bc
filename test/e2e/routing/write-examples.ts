// Writes the routing examples from the same builder the real-n8n suite uses for every pairing:
// `npm run examples:routing` after changing bridge-flow.ts.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { repoRoot } from '../paths';
import { bridgeFlow, workflowFileOf } from './bridge-flow';
import { EXAMPLE_PAIRINGS } from './index';

for (const [bot, desk] of EXAMPLE_PAIRINGS) {
	const file = path.join(repoRoot(), 'examples', workflowFileOf(bot, desk));
	writeFileSync(file, `${JSON.stringify(bridgeFlow(bot, desk), null, '\t')}\n`);
	console.log(`wrote ${path.relative(repoRoot(), file)}`);
}
