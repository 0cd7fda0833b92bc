import type { INode } from 'n8n-workflow';

import { SessionFollower } from '../../nodes/Concierge/follower';
import { SeenMessages } from '../../nodes/Concierge/seen-messages';
import type { ChatEvent } from '../../nodes/shared/chat-event';
import { waitFor } from '../helpers/wait';
import { credentialsFor, useEmulator } from './setup';

describe('SeenMessages', () => {
	it('keeps at most `capacity` ids, forgetting the oldest and saying so', () => {
		const evicted: string[] = [];
		const seen = new SeenMessages(3, (id) => evicted.push(id));
		for (const id of ['1', '2', '3', '4', '5']) expect(seen.add(id, { chatSessionId: 's', sentAt: Number(id) })).toBe(true);
		expect(seen.add('5', { chatSessionId: 's' })).toBe(false);
		expect(seen.size).toBe(3);
		expect(evicted).toEqual(['1', '2']);
		expect(seen.has('2')).toBe(false);
		expect(seen.get('4')).toEqual({ chatSessionId: 's', sentAt: 4 });
	});
});

describe('SessionFollower with a small memory', () => {
	const emulator = useEmulator();

	it('never emits a message twice, even after its id was forgotten, across repeated catch-ups', async () => {
		const { chatSessionId } = emulator.current.createSession();
		const events: ChatEvent[] = [];
		const follower = new SessionFollower(
			{
				node: { name: 'Concierge Trigger' } as INode,
				credentials: credentialsFor(emulator.current).conciergeApi,
				mode: 'ids',
				chatSessionIds: [chatSessionId],
				events: ['chatMessage'],
				conciergeOnly: true,
				pingIntervalMs: 60_000,
				replyTimeoutMs: 2000,
				pageSize: 4,
				memory: 5,
			},
			{ emitEvents: (batch) => events.push(...batch), emitItems: () => undefined, fail: (error) => events.push(error as never) },
			(error) => events.push(error as never),
		);
		await follower.start();
		try {
			const sent: string[] = [];
			for (let round = 1; round <= 4; round++) {
				for (let index = 0; index < 6; index++) sent.push(emulator.current.conciergeSend(chatSessionId, `r${round} m${index}`).id);
				await waitFor(() => events.length === sent.length, 3000, () => `${sent.length} events (got ${events.length})`);
				emulator.current.dropAll();
				await waitFor(() => emulator.current.connectionsOpened === round + 1, 3000, () => `reconnect ${round}`);
			}
			// Each reconnect re-read pages holding ids the memory had forgotten: none came out again.
			await waitFor(() => follower.stats.reconnects === 4, 3000, () => 'the last catch-up');
			expect(events.map((event) => event.messageId)).toEqual(sent);
		} finally {
			await follower.close();
		}
	});
});
