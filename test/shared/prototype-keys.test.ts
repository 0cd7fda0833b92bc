import type { IDataObject } from 'n8n-workflow';

import { redactValue } from '../../nodes/shared/redact';
import { WebhookServer } from '../helpers/webhook';
import { chain } from '../helpers/workflow-builder';
import { TRIGGER, triggerWorkflow, ultimateCredentials } from '../ultimate/fixtures';

/**
 * `__proto__`, `constructor` and `prototype` keys in a webhook body are ordinary data: they stay
 * own keys of the output and never become (or change) the prototype of an output object.
 */
const HOSTILE = '"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": "yes"}';

/** Every object in the value, walked through own keys only. */
function objectsIn(value: unknown, found: object[] = []): object[] {
	if (typeof value !== 'object' || value === null) return found;
	found.push(value);
	for (const key of Object.getOwnPropertyNames(value)) objectsIn((value as Record<string, unknown>)[key], found);
	return found;
}

/** Objects whose prototype is not Object's or Array's, or that inherit `polluted`. */
function polluted(value: unknown): string[] {
	return objectsIn(value).flatMap((object) => {
		const prototype: unknown = Object.getPrototypeOf(object);
		const plain = prototype === Object.prototype || prototype === Array.prototype || prototype === null;
		const inherits = 'polluted' in object && !Object.prototype.hasOwnProperty.call(object, 'polluted');
		return plain && !inherits ? [] : [JSON.stringify(object).slice(0, 80)];
	});
}

let server: WebhookServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function deliver(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
	const response = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
	await response.text();
	return response.status;
}

describe('prototype keys in webhook bodies', () => {
	it('the shared deep copy keeps them as own keys', () => {
		const body = JSON.parse(`{"a": {${HOSTILE}}, ${HOSTILE}, "token": "secret-1234"}`) as IDataObject;
		const copy = redactValue(body, ['secret-1234']);
		expect(polluted(copy)).toEqual([]);
		expect(Object.keys(copy)).toEqual(['a', '__proto__', 'constructor', 'prototype', 'token']);
		expect(copy.token).toBe('***');
		expect(({} as IDataObject).polluted).toBeUndefined();
	});

	it.each([false, true])('JAICP Trigger (raw output %s)', async (rawOutput) => {
		server = await WebhookServer.start(
			chain({ name: 'JAICP Trigger', type: 'jaicpTrigger', webhookId: 'jaicp-hook', parameters: { options: { rawOutput } } }),
		);
		const entry = `{"token": "AbCdEfGh:0123", "clientId": "c-1", "questionId": "q-1", ${HOSTILE},
			"data": {"replies": [{"type": "text", "text": "Hi", ${HOSTILE}}], "answer": "Hi", ${HOSTILE}}, "timestamp": "2022-09-28T12:32:13.262"}`;
		expect(await deliver(server.url('JAICP Trigger'), `[${entry}]`)).toBe(200);
		const [run] = await server.runs();
		const items = run.json('JAICP Trigger');
		expect(items).toHaveLength(1);
		expect(polluted(items)).toEqual([]);
		const raw = (rawOutput ? items[0] : items[0].raw) as IDataObject;
		expect(Object.prototype.hasOwnProperty.call(raw, '__proto__')).toBe(true);
	});

	it('Ultimate Trigger', async () => {
		server = await WebhookServer.start(triggerWorkflow(), { credentials: { ...ultimateCredentials(), probeApi: { apiKey: 'probe-key' } } });
		const body = `{"botId": "618a30beee4e8e87d2f94015", "channel": "chat", ${HOSTILE}, "data": {"eventType": "sendMessage",
			"platformConversationId": "s-1", "type": "text", "messageId": "m-1", "text": "Hi", "buttons": [], ${HOSTILE}}}`;
		expect(await deliver(server.url(TRIGGER, 'default'), body)).toBe(200);
		const [run] = await server.runs();
		const items = run.json(TRIGGER);
		expect(items).toHaveLength(1);
		expect(polluted(items)).toEqual([]);
	});

	it('NovaTalks Push Trigger', async () => {
		server = await WebhookServer.start(chain({ name: 'Push', type: 'novaTalksPushTrigger', webhookId: 'nt-push', parameters: {} }), {
			credentials: { novaTalksApi: { baseUrl: 'http://127.0.0.1:9' } },
		});
		const body = `{"type": "ntk.sdk.chat", "event_name": "conversation_new_message", "push_tokens": ["t"], ${HOSTILE},
			"payload": {"account_id": 1, "message_id": 5, "conversation_id": 7, "ts": 1700000000000, "body": "Hi", "message_type": "outgoing",
			"sender": {"id": 1, "name": "Anna", ${HOSTILE}}, "attachments": [], ${HOSTILE}}}`;
		expect(await deliver(server.url('Push'), body)).toBe(200);
		const [run] = await server.runs();
		const items = run.json('Push');
		expect(items).toHaveLength(1);
		expect(polluted(items)).toEqual([]);
	});
});
