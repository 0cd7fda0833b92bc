import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
	WebhookType,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { ultimateApiConnectionTest } from './credential-test';
import { CHAT_EVENT_TYPES, type UltimateEventName } from './protocol';
import { ACTIONS_WEBHOOK, CHAT_RESPONSE_MODE, CHAT_WEBHOOK, handleWebhook, type TriggerSettings } from './webhook';

const EVENT_OPTIONS: Array<{ name: string; value: UltimateEventName; description: string }> = [
	{ name: 'Action', value: 'action', description: 'The bot runs an action (Actions URL)' },
	{ name: 'Escalate', value: 'escalate', description: 'The bot hands the conversation to a human' },
	{ name: 'Is Team Online', value: 'isTeamOnline', description: 'The bot asks whether human agents are available' },
	{ name: 'Send Message', value: 'sendMessage', description: 'The bot sends text, buttons or a carousel' },
	{ name: 'Widget End Session', value: 'widgetEndSession', description: 'Ultimate chat widget: the visitor ends an escalated chat' },
	{ name: 'Widget Escalate', value: 'widgetEscalate', description: 'Ultimate chat widget: the bot escalates to your desk' },
	{ name: 'Widget Message', value: 'widgetMessage', description: 'Ultimate chat widget: the visitor writes to the human agent' },
];

// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete -- Ultimate has no API to register webhooks: the user pastes both URLs into the Ultimate dashboard
export class UltimateTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ultimate Trigger',
		name: 'ultimateTrigger',
		icon: { light: 'file:ultimate.svg', dark: 'file:ultimate.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: `={{ $parameter["events"].length === ${EVENT_OPTIONS.length} ? "all events" : $parameter["events"].join(", ") }}`,
		description: "Receives an Ultimate (Zendesk AI agents) bot's events on the Chat API's chat and actions webhooks",
		defaults: { name: 'Ultimate Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Chat', 'Action'],
		credentials: [{ name: 'ultimateApi', required: true, testedBy: 'ultimateApiConnectionTest' }],
		webhooks: [
			{
				name: CHAT_WEBHOOK,
				httpMethod: 'POST',
				path: 'chat',
				responseMode: CHAT_RESPONSE_MODE,
				responseData: 'firstEntryJson',
			},
			{
				// n8n types webhook names as 'default' | 'setup' but only uses them as keys.
				name: ACTIONS_WEBHOOK as WebhookType,
				httpMethod: 'POST',
				path: 'actions',
				responseMode: 'lastNode',
				responseData: 'firstEntryJson',
			},
		],
		properties: [
			{
				displayName:
					'In the Ultimate dashboard, set the Chat webhook to this node\'s URL ending in <b>/chat</b> and the Actions webhook to the one ending in <b>/actions</b>. Chat events leave on the Chat output, actions on the Action output.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: EVENT_OPTIONS,
				default: [...CHAT_EVENT_TYPES, 'action'],
				description: 'Events that start the workflow; the others are answered without running it',
			},
			{
				displayName: 'Escalation Reply',
				name: 'escalationReply',
				type: 'options',
				options: [
					{
						name: 'When the Workflow Succeeds',
						value: 'afterWorkflow',
						description: 'Answer 200 once the workflow succeeded and 500 when it failed, so the bot learns when a hand-off failed',
					},
					{ name: 'At Once', value: 'atOnce', description: 'Answer 200 on receipt, whatever the workflow does' },
				],
				default: 'afterWorkflow',
			},
			{
				displayName: 'Message Reply',
				name: 'messageReply',
				type: 'options',
				options: [
					{ name: 'At Once', value: 'atOnce', description: 'Answer 200 on receipt: executions of one conversation may overlap' },
					{
						name: 'When the Workflow Has Run',
						value: 'afterWorkflow',
						description:
							"Answer once the workflow ran: the bot sends a conversation's next message only then, so routed messages keep their order",
					},
				],
				default: 'atOnce',
				description: "When to answer the bot's messages (sendMessage)",
			},
			{
				displayName: 'Team Online Answer',
				name: 'teamOnlineAnswer',
				type: 'options',
				options: [
					{ name: 'Fixed', value: 'fixed', description: 'Answer with the setting below, at once' },
					{
						name: 'From the Workflow',
						value: 'fromWorkflow',
						description:
							'Answer with the last node\'s first item, which must be {"isOnline": true|false} (use Ultimate > Webhook Reply > Answer Team Online Query)',
					},
				],
				default: 'fixed',
			},
			{
				displayName: 'Team Is Online',
				name: 'teamOnline',
				type: 'boolean',
				default: true,
				displayOptions: { show: { teamOnlineAnswer: ['fixed'] } },
				description: 'Whether to tell the bot that human agents are available',
			},
			{
				displayName:
					'Actions are answered with the last node\'s first item, which must be {"results": [...]}: end the Action branch with Ultimate > Webhook Reply > Answer Action',
				name: 'actionNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Check Bot ID',
						name: 'checkBotId',
						type: 'boolean',
						default: true,
						description: "Whether to refuse (403) events whose botId is not the credential's Bot ID",
					},
					{
						displayName: 'Raw Output',
						name: 'rawOutput',
						type: 'boolean',
						default: false,
						description: "Whether to output Ultimate's payload as it came instead of the ChatEvent",
					},
					{
						displayName: 'Header With the Webhook Secret',
						name: 'checkedHeader',
						type: 'string',
						default: 'x-webhook-secret',
						description:
							"Header that carries the credential's Webhook Secret (checked only when the credential has one); the value may also be written as \"Bearer &lt;secret&gt;\"",
					},
				],
			},
		],
	};

	methods = {
		credentialTest: { ultimateApiConnectionTest },
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await handleWebhook(this, readSettings(this));
	}
}

function readSettings(ctx: IWebhookFunctions): TriggerSettings {
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const teamOnlineAnswer = ctx.getNodeParameter('teamOnlineAnswer', 'fixed') as TriggerSettings['teamOnlineAnswer'];
	return {
		events: ctx.getNodeParameter('events', []) as UltimateEventName[],
		escalationReply: ctx.getNodeParameter('escalationReply', 'afterWorkflow') as TriggerSettings['escalationReply'],
		messageReply: ctx.getNodeParameter('messageReply', 'atOnce') as TriggerSettings['messageReply'],
		teamOnlineAnswer,
		teamOnline: teamOnlineAnswer === 'fixed' && (ctx.getNodeParameter('teamOnline', true) as boolean),
		rawOutput: options.rawOutput === true,
		secretHeader: typeof options.checkedHeader === 'string' && options.checkedHeader.trim() ? options.checkedHeader : 'x-webhook-secret',
		checkBotId: options.checkBotId !== false,
	};
}
