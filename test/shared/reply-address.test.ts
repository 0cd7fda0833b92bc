import { ConciergeEmulator } from '../emulators/concierge';
import { JaicpEmulator } from '../emulators/jaicp';
import { NovaTalksEmulator } from '../emulators/novatalks';
import { conciergeAction, credentialsFor as conciergeCredentials } from '../concierge/setup';
import { runAction as runNovaTalks } from '../novatalks/fixtures';
import { runJaicp } from '../jaicp/setup';
import { runWorkflow } from '../helpers/workflow';

/** A ChatEvent as a trigger of the provider emits it: its reply address is all Send Message needs. */
const chatEvent = (replyTo: Record<string, string>) => ({
	provider: replyTo.provider,
	type: 'message',
	conversationId: replyTo.conversationId,
	from: { role: 'agent' },
	text: 'hello',
	attachments: [],
	timestamp: new Date().toISOString(),
	replyTo,
	raw: {},
});

describe('Send Message answers a ChatEvent through its reply address', () => {
	it('NovaTalks: the contact token comes from the event, never from a field', async () => {
		const emulator = await NovaTalksEmulator.start();
		try {
			const conversation = emulator.createConversation('Jane');
			const event = chatEvent({ provider: 'novatalks', conversationId: String(conversation.id), contactToken: conversation.token });
			const run = await runNovaTalks(emulator, { resource: 'message', operation: 'send', addressBy: 'replyTo', replyTo: '={{ $json }}', text: 'Answer' }, { items: [{ json: event }] });
			expect(run.status).toBe('success');
			expect(emulator.messagesOf(conversation.id).map((message) => message.content)).toContain('Answer');

			const withoutToken = chatEvent({ provider: 'novatalks', conversationId: String(conversation.id) });
			const refused = await runNovaTalks(emulator, { resource: 'message', operation: 'send', addressBy: 'replyTo', replyTo: '={{ $json }}', text: 'x' }, { items: [{ json: withoutToken }] });
			expect(refused.status).toBe('error');
			expect(refused.error?.message).toBe('Reply To of item 0 has no contactToken');
		} finally {
			await emulator.close();
		}
	});

	it("JAICP: the client is the event's conversation; another provider's event is refused, naming the item", async () => {
		const emulator = await JaicpEmulator.start({ operatorGreeting: null });
		try {
			const run = await runJaicp(emulator, { resource: 'message', operation: 'send', addressBy: 'replyTo', replyTo: '={{ $json.replyTo }}', query: 'hello bot' }, {
				items: [chatEvent({ provider: 'jaicp', conversationId: 'client-77' })],
			});
			expect(run.status).toBe('success');
			expect(emulator.historyOf('client-77')).toHaveLength(1);

			const wrong = await runJaicp(emulator, { resource: 'message', operation: 'send', addressBy: 'replyTo', replyTo: '={{ $json }}', query: 'x' }, {
				items: [chatEvent({ provider: 'concierge', conversationId: 's-1' })],
			});
			expect(wrong.status).toBe('error');
			expect(wrong.error?.message).toBe('Reply To of item 0 is a concierge address, not a jaicp one');
		} finally {
			await emulator.close();
		}
	});

	it('Concierge: the chat session comes from the event', async () => {
		const emulator = await ConciergeEmulator.start();
		try {
			const { chatSessionId } = emulator.createSession();
			const run = await runWorkflow(conciergeAction({ resource: 'message', operation: 'sendText', addressBy: 'replyTo', replyTo: '={{ $json }}', text: 'From the event' }), {
				credentials: conciergeCredentials(emulator),
				startData: [[{ json: chatEvent({ provider: 'concierge', conversationId: chatSessionId }) }]],
			});
			expect(run.status).toBe('success');
			expect(emulator.messagesOf(chatSessionId).map((message) => message.messageContent)).toEqual(['From the event']);
		} finally {
			await emulator.close();
		}
	});
});
