import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { LoggerProxy } from 'n8n-workflow';

import { startTrigger } from '../helpers/trigger';
import { waitFor } from '../helpers/wait';
import { WebhookServer } from '../helpers/webhook';
import { chain } from '../helpers/workflow-builder';
import { credentialsFor, everything, runJaicp, useEmulator } from './setup';

const emulator = useEmulator({ longPollMs: 500, operatorDelayMs: 5 });

/** Captures every line given to n8n's logger, which the workflow logger proxy also writes to. */
function captureLogs() {
	LoggerProxy.init(Container.get(Logger));
	const lines: unknown[][] = [];
	const spies = (['error', 'warn', 'info', 'debug'] as const).map((level) =>
		jest.spyOn(Logger.prototype, level).mockImplementation((...args: unknown[]) => {
			lines.push([level, ...args]);
		}),
	);
	return { lines, restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

describe('the JAICP token stays secret', () => {
	it('appears in no output item, error or log line, whatever the node does', async () => {
		const logs = captureLogs();
		try {
			// The capture works: a line n8n logs is seen.
			Container.get(Logger).debug('probe line');
			LoggerProxy.debug('proxy probe');
			expect(logs.lines).toEqual([
				['debug', 'probe line'],
				['debug', 'proxy probe'],
			]);

			const token = emulator().token;
			const outputs: unknown[] = [];
			outputs.push((await runJaicp(emulator(), { resource: 'message', operation: 'send', clientId: 'x', query: 'operator', options: { rawOutput: true } })).run);
			outputs.push((await runJaicp(emulator(), { resource: 'events', operation: 'get', clientId: 'x', options: { ts: '0', all: true, rawOutput: true } })).run);
			outputs.push((await runJaicp(emulator(), { resource: 'history', operation: 'get', clientId: 'x', returnAll: true, options: { rawOutput: true } })).run);

			// An error whose provider message echoes the URL, with the token in it.
			emulator().failNext(1, 404, { message: `No handler for GET /chatapi/${token}/client/x/message-not-read-count` });
			const failed = await runJaicp(emulator(), { resource: 'unreadCount', operation: 'get', clientId: 'x' }, { continueOnFail: true });
			expect(failed.json('Action')).toEqual([{ error: 'No handler for GET /chatapi/***/client/x/message-not-read-count [404]' }]);
			outputs.push(failed.run);

			// The events trigger, emitting and then failing on a refused token.
			const trigger = await startTrigger(chain({ name: 'Events', type: 'jaicpEventsTrigger', parameters: { clientId: 'x' } }), {
				credentials: credentialsFor(emulator()),
			});
			await waitFor(() => emulator().pendingPolls === 1, 3000, () => 'a pending poll');
			emulator().operatorSays('x', 'hello');
			await trigger.waitForItems(1);
			emulator().failNext(1, 401, { message: `bad token ${token}` }, { route: /\/events$/ });
			await emulator().restart();
			await trigger.waitForError(5000);
			await trigger.close();
			outputs.push(trigger.emitted, trigger.errors);

			// The webhook trigger, given JAICP's payload with the token in it.
			const server = await WebhookServer.start(chain({ name: 'Hook', type: 'jaicpTrigger', webhookId: 'secret-hook' }));
			try {
				emulator().webhookUrl = server.url('Hook');
				emulator().broadcast('x', `campaign for ${token.slice(0, 4)}`);
				await waitFor(() => emulator().deliveries.length === 1, 3000, () => 'the delivery');
				outputs.push(...(await server.runs()).map((run) => run.run));
			} finally {
				await server.close();
			}

			const dump = everything(outputs);
			expect(dump).toContain('***');
			expect(dump).not.toContain(token);
			expect(dump).not.toContain(encodeURIComponent(token));
			expect(everything(logs.lines)).not.toContain(token);
			expect(everything(logs.lines)).not.toContain(token.split(':')[1]);
		} finally {
			logs.restore();
		}
	});
});
