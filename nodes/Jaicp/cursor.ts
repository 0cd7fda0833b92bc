import type { IDataObject } from 'n8n-workflow';

import { RecentIds } from '../shared/recent-ids';
import { envelopeKey, envelopeTime, type JaicpEventEnvelope } from './protocol';

const REMEMBERED_EVENTS = 1000;

/**
 * Where the events trigger stands in a client's event stream: the `ts` to ask from (the newest
 * event time seen) and the keys of recent events, so an event is never emitted twice even when the
 * server answers a `ts` inclusively or repeats itself. Saved in the workflow's static data so a
 * restarted workflow can carry on from there.
 */
export class EventCursor {
	private readonly seen: RecentIds;
	ts: number;

	constructor(
		private readonly staticData: IDataObject,
		private readonly clientId: string,
		resume: boolean,
		now: number = Date.now(),
	) {
		const saved = staticData.eventCursor as { clientId?: string; ts?: number; seen?: string[] } | undefined;
		const usable = resume && saved?.clientId === clientId && typeof saved.ts === 'number';
		this.ts = usable ? (saved.ts as number) : now;
		this.seen = new RecentIds(REMEMBERED_EVENTS, usable && Array.isArray(saved.seen) ? saved.seen : []);
	}

	/** The events not seen before, in order; moves `ts` to the newest of them and saves the position. */
	accept(envelopes: JaicpEventEnvelope[]): JaicpEventEnvelope[] {
		const fresh: JaicpEventEnvelope[] = [];
		for (const envelope of envelopes) {
			const time = envelopeTime(envelope);
			if (!this.seen.remember(envelopeKey(envelope, time))) continue;
			fresh.push(envelope);
			if (time !== undefined && time > this.ts) this.ts = time;
		}
		if (fresh.length > 0) {
			this.staticData.eventCursor = { clientId: this.clientId, ts: this.ts, seen: this.seen.toArray().slice(-50) };
		}
		return fresh;
	}
}
