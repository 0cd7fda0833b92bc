// Memory: RSS growth per idle connection with 100 triggers open (against 100 bare clients), and the
// heap after 100,000 events through one trigger (de-duplication memory is bounded: no growth once it
// is full). Measured in a lean child process, with the emulator in another (bench/memory/probe.ts).
import path from 'node:path';

import { BATCH, CONNECTIONS, EVENTS, type MemoryFigures } from './memory/probe';
import { CONNECTED_TRIGGERS } from './providers';
import { runProbe } from './support/emulator-link';
import { progress, recordRow } from './support/results';

const PROBE = path.join(__dirname, 'memory', 'probe.ts');
const BARE_LABELS: Record<string, string> = {
	NovaTalks: 'bare ws client',
	Expertflow: 'bare socket.io-client',
	Concierge: 'bare ws client',
	JAICP: 'bare HTTP long-poll loop',
};

describe('Memory', () => {
	for (const { provider } of CONNECTED_TRIGGERS) {
		it(`${provider}: ${CONNECTIONS} idle triggers, then ${EVENTS.toLocaleString('en-US')} events through one, every one emitted once`, async () => {
			progress(`memory, ${provider}: ${CONNECTIONS} idle connections, then ${EVENTS.toLocaleString('en-US')} events`);
			const { idle, events } = await runProbe<MemoryFigures>(PROBE, provider, 300_000);
			const subject = `${provider === 'JAICP' ? 'JAICP Events' : provider} Trigger`;
			recordRow({
				section: 'Memory',
				subject,
				metric: 'RSS per idle connection',
				unit: 'KB',
				value: idle.rss.trigger,
				baseline: { label: BARE_LABELS[provider], value: idle.rss.bare },
				compare: 'difference',
				basis: `${CONNECTIONS} connections`,
				target: '<= 1 MB',
				met: idle.rss.trigger <= 1024,
				note: `heap per connection ${idle.heap.trigger.toFixed(1)} KB (bare ${idle.heap.bare.toFixed(1)} KB)`,
			});
			recordRow({
				section: 'Memory',
				subject,
				metric: `heap after ${EVENTS.toLocaleString('en-US')} events`,
				unit: 'MB',
				value: events.after,
				baseline: { label: `after the first ${BATCH.toLocaleString('en-US')}`, value: events.afterFirstBurst },
				compare: 'difference',
				basis: `${EVENTS / BATCH} bursts of ${BATCH.toLocaleString('en-US')}`,
				target: 'flat: < +1 MB',
				met: events.after - events.afterFirstBurst < 1,
				note: `${events.before.toFixed(1)} MB before any event; ${Math.round(events.eventsPerSecond).toLocaleString('en-US')} events/s`,
			});
		});
	}
});
