import { expectJsonObject, expectList, isJsonObject, oneOf, type ResponseCheck } from '../shared/response-shape';
import { whyNotJaicpResponse } from './protocol';

/** A plain-text answer that can be an ID or a status word (not an HTML page, not a long text). */
const plainWord =
	(what: string): ResponseCheck =>
	(body) =>
		typeof body === 'string' && /^[\w:.-]{1,200}$/.test(body.trim()) ? undefined : `expected ${what}`;

const numberAnswer: ResponseCheck = (body) => (typeof body === 'number' && Number.isFinite(body) ? undefined : 'expected a number');

const anyJson: ResponseCheck = () => undefined;

/** An empty answer (a long poll that ends with nothing to say). */
const nothing: ResponseCheck = (body) => (body === undefined ? undefined : 'expected nothing');

/** What each Chat API call must answer with, for the fields the node reads. */
export const answers = {
	send: { expect: whyNotJaicpResponse },
	sendAsync: {
		acceptText: true,
		expect: oneOf(expectJsonObject({ questionId: 'string' }), plainWord('a question ID')),
	},
	events: { expect: oneOf(expectList('events'), nothing) },
	history: { expect: oneOf(expectList('history'), nothing) },
	chatStateSave: { expect: anyJson },
	chatStateLoad: { expect: anyJson },
	statusGet: {
		acceptText: true,
		expect: oneOf(expectJsonObject({ status: 'string' }), plainWord('a status')),
	},
	statusUpdate: { expect: (body: unknown) => (body === undefined || isJsonObject(body) ? undefined : 'expected nothing or a JSON object') },
	unreadCount: { expect: oneOf(expectJsonObject({ count: 'number' }), numberAnswer) },
} satisfies Record<string, { expect: ResponseCheck; acceptText?: boolean }>;
