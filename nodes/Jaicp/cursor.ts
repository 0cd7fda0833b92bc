import type { IDataObject } from 'n8n-workflow';

import { RecentIds } from '../shared/recent-ids';
import { envelopeKey, envelopeTime, type JaicpEventEnvelope } from './protocol';

const REMEMBERED_EVENTS = 1000;

interface SavedCursor {
	clientId?: string;
	ts?: number;
	seen?: string[];
	inclusive?: boolean;
}

/**
 * Where the events trigger stands in a client's event stream, so that no event is lost and none is
 * emitted twice, whichever way the server reads `ts` (the docs say "from", and leave open whether
 * that millisecond is included):
 * - `newest` is the newest event time seen. Several events can share that millisecond, and some of
 *   them may be stored after an answer that held the first: so the millisecond is asked again (from
 *   one before it, for a server that excludes `ts`) and what comes twice is dropped by its key.
 * - Once an answer from there brought nothing new, the millisecond is past (`settled`) and the poll
 *   asks after it, so a long poll blocks again instead of returning the same events at once.
 * - A server that returns an event at exactly the `ts` asked includes it: learnt once, then asked
 *   one millisecond later throughout.
 * Saved in the workflow's static data so a restarted workflow carries on from there.
 */
export class EventCursor {
	private readonly seen: RecentIds;
	private newest: number;
	private settled: boolean;
	private inclusive: boolean | undefined;

	constructor(
		private readonly staticData: IDataObject,
		private readonly clientId: string,
		resume: boolean,
		now: number = Date.now(),
	) {
		const saved = staticData.eventCursor as SavedCursor | undefined;
		const usable = resume && saved?.clientId === clientId && typeof saved.ts === 'number';
		this.newest = usable ? (saved.ts as number) : now;
		// Resumed: events may have come in the saved millisecond after it was saved, so ask it again.
		this.settled = !usable;
		this.inclusive = usable && typeof saved.inclusive === 'boolean' ? saved.inclusive : undefined;
		this.seen = new RecentIds(REMEMBERED_EVENTS, usable && Array.isArray(saved.seen) ? saved.seen : []);
	}

	/** The `ts` for the next poll. */
	get ts(): number {
		const fromBefore = this.inclusive === true ? 0 : 1;
		return this.newest + (this.settled ? 1 : 0) - fromBefore;
	}

	/** The events of an answer to a poll from `askedTs` not seen before, in order; moves the position on and saves it. */
	accept(envelopes: JaicpEventEnvelope[], askedTs: number): JaicpEventEnvelope[] {
		const fresh: JaicpEventEnvelope[] = [];
		let newest = this.newest;
		let learnt = false;
		for (const envelope of envelopes) {
			const time = envelopeTime(envelope);
			if (time === askedTs && this.inclusive !== true) this.inclusive = learnt = true;
			if (!this.seen.remember(envelopeKey(envelope, time))) continue;
			fresh.push(envelope);
			if (time !== undefined && time > newest) newest = time;
		}
		this.settled = fresh.length === 0;
		this.newest = newest;
		if (fresh.length > 0 || learnt) {
			this.staticData.eventCursor = {
				clientId: this.clientId,
				ts: this.newest,
				seen: this.seen.toArray().slice(-50),
				...(this.inclusive !== undefined ? { inclusive: this.inclusive } : {}),
			};
		}
		return fresh;
	}
}
