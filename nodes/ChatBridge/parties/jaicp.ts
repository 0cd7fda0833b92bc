import { answers } from '../../Jaicp/answers';
import { getJaicpCredentials, jaicpRequest } from '../../Jaicp/client';
import { responseToEvents, routes, type JaicpResponse } from '../../Jaicp/protocol';
import { textWithLinks, type BotParty, type PartyScope } from './party';

/** The JAICP bot: each message is a Chat API request whose answer carries the bot's replies, in order. */
export async function jaicpBot({ ctx, itemIndex }: PartyScope): Promise<BotParty> {
	const credentials = await getJaicpCredentials(ctx);
	const ask = async (clientId: string, query: string) => {
		const response = await jaicpRequest<JaicpResponse>(ctx, credentials, {
			operation: 'JAICP Send (Chat Bridge)',
			answer: answers.send,
			method: 'POST',
			path: routes.send,
			body: { clientId, query },
			itemIndex: itemIndex(),
		});
		return responseToEvents(response, { split: 'reply', role: 'bot' });
	};
	return {
		provider: 'jaicp',
		// JAICP opens a client's session with its first message: nothing to do before it.
		start: async () => [],
		send: async (clientId, message) => await ask(clientId, textWithLinks(message)),
		// JAICP's Chat API has no call that ends a client's session.
		end: async () => undefined,
		close: async () => undefined,
	};
}
