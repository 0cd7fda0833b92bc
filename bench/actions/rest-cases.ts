import { JaicpEmulator } from '../../test/emulators/jaicp';
import { NovaTalksEmulator } from '../../test/emulators/novatalks';
import { UltimateEmulator } from '../../test/emulators/ultimate';
import { httpBaselineSender, packageNodeSender } from './engine-senders';
import type { ActionCase } from './types';

// Each case sends the same request both ways: the item's `text` as the message (and its `echo` as
// NovaTalks' echo ID), to one conversation on the provider's emulator.

export async function novaTalksCase(): Promise<ActionCase> {
	const emulator = await NovaTalksEmulator.start({ rateLimit: false });
	const conversation = emulator.createConversation('bench-actions');
	const url = `${emulator.baseUrl}/api/v1/sdk/conversations/messages`;
	return {
		provider: 'NovaTalks',
		node: packageNodeSender(
			'novaTalks',
			{
				resource: 'message',
				operation: 'send',
				contactToken: conversation.token,
				text: '={{ $json.text }}',
				sendOptions: { echoId: '={{ $json.echo }}' },
			},
			emulator.credentials(),
		),
		baseline: httpBaselineSender(
			(item) => ({
				method: 'POST',
				url,
				headers: { access_token: conversation.token },
				body: { message: { content: item.text, echo_id: item.echo } },
			}),
			'={{ JSON.stringify({ message: { content: $json.text, echo_id: $json.echo } }) }}',
		),
		accepted: async () => emulator.messagesOf(conversation.id).length,
		close: () => emulator.close(),
	};
}

const ULTIMATE_KEY = 'bench-api-key';
const ULTIMATE_BOT = 'bench-bot';
const ULTIMATE_CONVERSATION = 'bench-conversation';

export async function ultimateCase(): Promise<ActionCase> {
	const emulator = await UltimateEmulator.start({ apiKey: ULTIMATE_KEY, botId: ULTIMATE_BOT });
	const headers = { authorization: ULTIMATE_KEY, botid: ULTIMATE_BOT };
	const url = `${emulator.baseUrl}/converse/chat`;
	const started = await fetch(url, {
		method: 'POST',
		headers: { ...headers, 'content-type': 'application/json' },
		body: JSON.stringify({ platformConversationId: ULTIMATE_CONVERSATION, eventType: 'startSession' }),
	});
	if (started.status !== 200) throw new Error(`Ultimate startSession answered ${started.status}`);
	return {
		provider: 'Ultimate',
		node: packageNodeSender(
			'ultimate',
			{ resource: 'conversation', operation: 'sendMessage', conversationId: ULTIMATE_CONVERSATION, text: '={{ $json.text }}' },
			{ ultimateApi: { apiKey: ULTIMATE_KEY, botId: ULTIMATE_BOT, baseUrl: emulator.baseUrl } },
		),
		baseline: httpBaselineSender(
			(item) => ({ method: 'POST', url, headers, body: { platformConversationId: ULTIMATE_CONVERSATION, eventType: 'message', text: item.text } }),
			`={{ JSON.stringify({ platformConversationId: "${ULTIMATE_CONVERSATION}", eventType: "message", text: $json.text }) }}`,
		),
		accepted: async () =>
			emulator.calls.filter((call) => call.status === 200 && (call.body as { eventType?: string }).eventType === 'message').length,
		close: async () => {
			await emulator.idle();
			await emulator.close();
		},
	};
}

const JAICP_CLIENT = 'bench-client';

export async function jaicpCase(): Promise<ActionCase> {
	const emulator = await JaicpEmulator.start({ operatorGreeting: null });
	return {
		provider: 'JAICP',
		node: packageNodeSender(
			'jaicp',
			{ resource: 'message', operation: 'send', clientId: JAICP_CLIENT, query: '={{ $json.text }}' },
			{ jaicpApi: { token: emulator.token, baseUrl: emulator.baseUrl } },
		),
		baseline: httpBaselineSender(
			(item) => ({ method: 'POST', url: `${emulator.baseUrl}/${emulator.token}`, headers: {}, body: { clientId: JAICP_CLIENT, query: item.text } }),
			`={{ JSON.stringify({ clientId: "${JAICP_CLIENT}", query: $json.text }) }}`,
		),
		accepted: async () => emulator.calls('POST', '/chatapi/{token}').length,
		close: () => emulator.close(),
	};
}
