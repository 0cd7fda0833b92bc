import type { IDataObject } from 'n8n-workflow';

import { RecentIds } from '../shared/recent-ids';
import { envelopeKey, envelopeTime, type JaicpEventEnvelope } from './protocol';

const REMEMBERED_EVENTS = 1000;
const SAVED_KEYS = 50;

interface SavedCursor {
	clientId?: string;
	ts?: number;
	seen?: string[];
	inclusive?: boolean;
}

/** An event the cursor let through: its key and time. */
export interface AcceptedEvent {
	envelope: JaicpEventEnvelope;
	key: string;
	time?: number;
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
 * Saved in the workflow's static data so a restarted workflow carries on from there; the saved
 * position only moves past an event once n8n has run it (`executed`), so what was emitted while n8n
 * went down is fetched again after a restart (and refused by n8n's de-duplication key where it ran).
 */
export class EventCursor {
	private readonly seen: RecentIds;
	private readonly executedKeys: RecentIds;
	private readonly pending = new Map<string, number | undefined>();
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
		const savedKeys = usable && Array.isArray(saved.seen) ? saved.seen : [];
		this.seen = new RecentIds(REMEMBERED_EVENTS, savedKeys);
		this.executedKeys = new RecentIds(SAVED_KEYS, savedKeys);
	}

	/** The `ts` for the next poll. */
	get ts(): number {
		const fromBefore = this.inclusive === true ? 0 : 1;
		return this.newest + (this.settled ? 1 : 0) - fromBefore;
	}

	/** The events of an answer to a poll from `askedTs` not seen before, in order; each waits for `executed`. */
	accept(envelopes: JaicpEventEnvelope[], askedTs: number): AcceptedEvent[] {
		const fresh: AcceptedEvent[] = [];
		let newest = this.newest;
		let learnt = false;
		for (const envelope of envelopes) {
			const time = envelopeTime(envelope);
			if (time === askedTs && this.inclusive !== true) this.inclusive = learnt = true;
			const key = envelopeKey(envelope, time);
			if (!this.seen.remember(key)) continue;
			fresh.push({ envelope, key, time });
			this.pending.set(key, time);
			if (time !== undefined && time > newest) newest = time;
		}
		this.settled = fresh.length === 0;
		this.newest = newest;
		if (fresh.length > 0 || learnt) this.save();
		return fresh;
	}

	/** n8n ran the event's execution (or refused it as one it already ran). */
	executed(event: AcceptedEvent): void {
		this.pending.delete(event.key);
		this.executedKeys.remember(event.key);
		this.save();
	}

	/** Saved only up to what n8n confirmed: an event still waiting keeps the saved `ts` before it. */
	private save(): void {
		const waiting = [...this.pending.values()].filter((time): time is number => time !== undefined);
		const ts = waiting.length > 0 ? Math.min(this.newest, Math.min(...waiting) - 1) : this.newest;
		this.staticData.eventCursor = {
			clientId: this.clientId,
			ts,
			seen: this.executedKeys.toArray(),
			...(this.inclusive !== undefined ? { inclusive: this.inclusive } : {}),
		};
	}
}
