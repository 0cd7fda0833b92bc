import nock from 'nock';

import { runWorkflow } from '../helpers/workflow';
import { credentialsFor, expertflowAction } from './helpers';

const SERVER = 'https://ef.example.com';

afterEach(() => nock.cleanAll());

describe('Expertflow transcript size limit', () => {
	const pdf = (megabytes: number) => Buffer.concat([Buffer.from('%PDF-1.4 '), Buffer.alloc(megabytes * 1024 * 1024, 0x20)]);
	const transcript = (options: { maxFileSizeMb: number }) =>
		expertflowAction({ resource: 'transcript', operation: 'get', conversationId: 'c-1', type: 'pdf', options }, true);

	it('refuses a PDF above Max File Size with an error saying how to raise it, and takes it below', async () => {
		const scope = nock(SERVER)
			.get('/api/customer/transcript/c-1/pdf')
			.times(2)
			.reply(200, () => pdf(2), { 'content-type': 'application/pdf' });

		const refused = await runWorkflow(transcript({ maxFileSizeMb: 1 }), { credentials: credentialsFor(SERVER) });
		expect(refused.json('Action')).toEqual([
			{ error: 'GET /api/customer/transcript/c-1/pdf: the answer is larger than 1 MB, the limit for this call; it was not read' },
		]);

		const taken = await runWorkflow(transcript({ maxFileSizeMb: 3 }), { credentials: credentialsFor(SERVER) });
		expect(taken.json('Action')[0]).toMatchObject({ conversationId: 'c-1', fileSize: 2 * 1024 * 1024 + 9 });
		expect(scope.isDone()).toBe(true);
	});
});
