import type { IDataObject } from 'n8n-workflow';

import { RecentIds } from '../shared/recent-ids';
import { envelopeKey, envelopeTime, type JaicpEventEnvelope } from './protocol';

const REMEMBERED_EVENTS = 1000;
const SAVED_KEYS = 50;

/** An event the cursor let through: its key and time. */
export interface AcceptedEvent {
	envelope: JaicpEventEnvelope;
	key: string;
	time?: number;
}

/**
 * Where the events trigger stands in a client's event stream: the `ts` to ask from (the newest
 * event time seen) and the keys of recent events, so an event is never emitted twice even when the
 * server answers a `ts` inclusively or repeats itself. Saved in the workflow's static data so a
 * restarted workflow can carry on from there; the saved position only moves past an event once n8n
 * has run it (`executed`), so what was emitted while n8n went down is fetched again after a restart.
 */
export class EventCursor {
	private readonly seen: RecentIds;
	private readonly executedKeys: RecentIds;
	private readonly pending = new Map<string, number | undefined>();
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
		const savedKeys = usable && Array.isArray(saved.seen) ? saved.seen : [];
		this.seen = new RecentIds(REMEMBERED_EVENTS, savedKeys);
		this.executedKeys = new RecentIds(SAVED_KEYS, savedKeys);
	}

	/** The events not seen before, in order; moves `ts` to the newest of them. Each waits for `executed`. */
	accept(envelopes: JaicpEventEnvelope[]): AcceptedEvent[] {
		const fresh: AcceptedEvent[] = [];
		for (const envelope of envelopes) {
			const time = envelopeTime(envelope);
			const key = envelopeKey(envelope, time);
			if (!this.seen.remember(key)) continue;
			fresh.push({ envelope, key, time });
			this.pending.set(key, time);
			if (time !== undefined && time > this.ts) this.ts = time;
		}
		if (fresh.length > 0) this.save();
		return fresh;
	}

	/** n8n ran the event's execution (or refused it as one it already ran). */
	executed(event: AcceptedEvent): void {
		this.pending.delete(event.key);
		this.executedKeys.remember(event.key);
		this.save();
	}

	private save(): void {
		const waiting = [...this.pending.values()].filter((time): time is number => time !== undefined);
		const ts = waiting.length > 0 ? Math.min(this.ts, Math.min(...waiting) - 1) : this.ts;
		this.staticData.eventCursor = { clientId: this.clientId, ts, seen: this.executedKeys.toArray() };
	}
}
