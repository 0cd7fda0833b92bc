import { envelopesToEvents, jaicpTime, responseToEvents, scrubToken, whyNotJaicpResponse } from '../../nodes/Jaicp/protocol';

describe('JAICP protocol mapping', () => {
	it('reads zone-less JAICP times as UTC, and epoch milliseconds', () => {
		expect(jaicpTime('2022-09-28T12:32:13.262')).toBe(Date.UTC(2022, 8, 28, 12, 32, 13, 262));
		expect(jaicpTime('2022-09-28T12:32:13+03:00')).toBe(Date.UTC(2022, 8, 28, 9, 32, 13));
		expect(jaicpTime(1700000000000)).toBe(1700000000000);
		expect(jaicpTime('1700000000000')).toBe(1700000000000);
		expect(jaicpTime('soon')).toBeUndefined();
		expect(jaicpTime(undefined)).toBeUndefined();
	});

	it('masks the token field and every copy of the token, without changing the input', () => {
		const payload = { token: 'Tok3nTok:abc', clientId: 'c', data: { note: 'see /chatapi/Tok3nTok:abc/events' } };
		expect(scrubToken(payload, undefined)).toEqual({ token: '***', clientId: 'c', data: { note: 'see /chatapi/***/events' } });
		expect(payload.token).toBe('Tok3nTok:abc');
	});

	it('adds a session_ended event when the session ends without a hangup reply', () => {
		const events = responseToEvents(
			{ clientId: 'c', questionId: 'q', data: { replies: [{ type: 'text', text: 'Done' }], endSession: true } },
			{ split: 'reply', role: 'bot' },
		);
		expect(events.map((event) => [event.type, event.from.role, event.text])).toEqual([
			['message', 'bot', 'Done'],
			['session_ended', 'system', undefined],
		]);
	});

	it('maps client requests seen on another page to customer messages, and operator-typed events to agents', () => {
		const events = envelopesToEvents(
			[
				{ type: 'clientQuery', event: { clientId: 'c', questionId: 'q1', query: 'hi from tab 2', timestamp: 1 } },
				{ type: 'operatorResponse', event: { clientId: 'c', questionId: 'q2', data: { replies: [{ type: 'text', text: 'op' }] } } },
				{ type: 'botResponse', event: { questionId: 'q3', data: { replies: [{ type: 'text', text: 'bot' }] } } },
			],
			{ split: 'reply', all: true, clientId: 'fallback' },
		);
		expect(events.map((event) => [event.from.role, event.text, event.conversationId])).toEqual([
			['customer', 'hi from tab 2', 'c'],
			['agent', 'op', 'c'],
			['bot', 'bot', 'fallback'],
		]);
	});

	it('explains why an entry is not a JAICP event', () => {
		expect(whyNotJaicpResponse({ clientId: 'c', questionId: 'q' })).toBeUndefined();
		expect(whyNotJaicpResponse({ clientId: 7, data: {} })).toBeUndefined();
		expect(whyNotJaicpResponse({ clientId: '', data: {} })).toBe('has no clientId');
		expect(whyNotJaicpResponse({ clientId: 'c' })).toBe('has neither data nor questionId');
		expect(whyNotJaicpResponse(null)).toBe('is not a JSON object');
	});
});
