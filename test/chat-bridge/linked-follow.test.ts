import { linksTable } from '../../nodes/shared/bridge-links';
import { DataTablesEmulator } from '../emulators/n8n-data-tables';
import { NovaTalksEmulator } from '../emulators/novatalks';
import { triggerWorkflow } from '../novatalks/fixtures';
import { startTrigger, type TriggerHandle } from '../helpers/trigger';
import { waitFor } from '../helpers/wait';

const BRIDGE = 'bridge_follow';

describe('A desk trigger following a bridge', () => {
	let tables: DataTablesEmulator;
	let desk: NovaTalksEmulator;
	let trigger: TriggerHandle | undefined;

	beforeEach(async () => {
		[tables, desk] = await Promise.all([DataTablesEmulator.start(), NovaTalksEmulator.start()]);
	});

	afterEach(async () => {
		await trigger?.close();
		trigger = undefined;
		await Promise.all([tables.close(), desk.close()]);
		jest.restoreAllMocks();
	});

	const storeCall = async (method: string, route: string, body: unknown) => {
		const response = await fetch(`${tables.baseUrl}/api/v1${route}`, {
			method,
			headers: { 'content-type': 'application/json', 'x-n8n-api-key': tables.apiKey },
			body: JSON.stringify(body),
		});
		expect(response.status).toBeLessThan(300);
		return (await response.json()) as { id?: string };
	};

	it('follows a hand-over made after its activation, with no expression evaluated outside the activation', async () => {
		const table = await storeCall('POST', '/data-tables', linksTable(BRIDGE));
		trigger = await startTrigger(
			triggerWorkflow({ follow: 'bridge', bridgeName: BRIDGE, linkPollInterval: 0.1, events: ['message.created'], onlyAgentSide: true, options: {} }),
			{ credentials: { ...desk.credentials(), chatBridgeApi: { baseUrl: tables.baseUrl, apiKey: tables.apiKey } } },
		);
		// n8n 2.x's isolated expression engine holds an isolate for the activation only: later, from the
		// trigger's own timers, resolving an expression (a credential's `{{$credentials.apiKey}}`) fails so.
		jest.spyOn(trigger.workflow.expression, 'getParameterValue').mockImplementation(() => {
			throw new Error('No bridge acquired for this context. Call acquire() first.');
		});

		const conversation = desk.createConversation('Anna');
		await storeCall('POST', `/data-tables/${table.id}/rows`, {
			data: [
				{
					chatId: 'anna-1',
					state: 'desk',
					desk: 'novatalks',
					deskConversationId: String(conversation.id),
					deskAddress: JSON.stringify({ provider: 'novatalks', conversationId: String(conversation.id), contactToken: conversation.token }),
				},
			],
		});
		await waitFor(() => desk.subscriberCount(conversation.id) > 0, 5000, () => 'the trigger to follow the handed-over conversation');
		desk.agentSend(conversation.id, { content: 'Hello Anna, how can I help?' });

		const [item] = await trigger.waitForItems(1);
		expect(item.json).toMatchObject({ conversationId: String(conversation.id), text: 'Hello Anna, how can I help?' });
		expect(trigger.errors).toEqual([]);
	});
});
