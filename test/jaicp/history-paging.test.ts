import { runJaicp, useEmulator } from './setup';

/** A server that ignores `page` and `size` (not in the public docs) sends the whole history every time. */
const emulator = useEmulator({ historyIgnoresPaging: true });

/** `count` entries in the client's history (campaign messages, stored at once). */
const seed = (count: number) => {
	for (let index = 0; index < count; index++) emulator().broadcast('h1', `message ${index}`);
};

const history = (options: object = {}) => ({ resource: 'history', operation: 'get', clientId: 'h1', returnAll: true, options: { rawOutput: true, ...options } });

describe('JAICP History with a server that ignores paging', () => {
	it('Return All ends after the page that brings nothing new, each entry once', async () => {
		seed(250);
		const started = Date.now();
		const run = await runJaicp(emulator(), history());
		expect(Date.now() - started).toBeLessThan(10_000);
		const requests = emulator().calls('GET', '/chatapi/{token}/client/h1/history');
		expect(requests.map((call) => call.query.page)).toEqual(['0', '1']);
		const entries = run.json('Action');
		expect(entries).toHaveLength(250);
		expect(new Set(entries.map((entry) => entry.questionId)).size).toBe(250);
	});

	it('Return All is bounded by Max Entries, with an error saying how to get more', async () => {
		seed(150);
		const run = await runJaicp(emulator(), history({ maxEntries: 100 }), { continueOnFail: true });
		expect(run.json('Action')).toEqual([{ error: 'JAICP Get History: the history has more than 100 entries (Max Entries)' }]);
		expect(emulator().calls('GET', '/chatapi/{token}/client/h1/history')).toHaveLength(1);
	});

	it('a limit below the history still gives exactly that many', async () => {
		seed(30);
		const run = await runJaicp(emulator(), { ...history(), returnAll: false, limit: 7 });
		expect(run.json('Action')).toHaveLength(7);
	});
});
