import type {
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { chatEventsToItems } from '../shared/chat-event';
import { CREDENTIAL_TYPE, type NovaTalksCredentials } from './client';
import {
	isPushNotification,
	pushNotificationProblem,
	pushNotificationKey,
	pushToChatEvent,
	type PushEvent,
} from './protocol';
import { pushAuthFailure, type PushAuthentication } from './push-auth';
import { rememberInStaticData } from '../shared/recent-ids';

/** Deliveries remembered per node to recognise a repeated push notification. */
const REMEMBERED_DELIVERIES = 500;

// eslint-disable-next-line @n8n/community-nodes/webhook-lifecycle-complete -- NovaTalks has no API to register push webhooks: the user pastes the URL into the SDK channel's settings
export class NovaTalksPushTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'NovaTalks Push Trigger',
		name: 'novaTalksPushTrigger',
		icon: { light: 'file:novatalks.svg', dark: 'file:novatalks.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description:
			"Starts the workflow on the NovaTalks SDK channel's push notifications: new agent messages and status changes of every conversation",
		defaults: { name: 'NovaTalks Push Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: CREDENTIAL_TYPE,
				required: true,
				displayOptions: { show: { authentication: ['bearerToken', 'customHeader'] } },
			},
		],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'novatalks-push' }],
		properties: [
			{
				displayName:
					"Paste this node's production URL into the push notification (webhook) settings of the NovaTalks SDK channel. One URL hears every conversation of the channel.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'None', value: 'none' },
					{
						name: 'Bearer Token',
						value: 'bearerToken',
						description: "Require Authorization: Bearer with the credential's Push Webhook Bearer Token",
					},
					{
						name: 'Custom Header',
						value: 'customHeader',
						description: "Require the credential's Push Webhook Header Name with its value",
					},
				],
				default: 'none',
				description: 'How to tell NovaTalks’ requests from anyone else’s; a wrong or missing secret gets 401 and starts nothing',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'New Message', value: 'conversation_new_message' },
					{ name: 'Conversation Status Change', value: 'conversation_status_change' },
				],
				default: ['conversation_new_message', 'conversation_status_change'],
				required: true,
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Raw Output',
						name: 'rawOutput',
						type: 'boolean',
						default: false,
						description: 'Whether to output the notification as NovaTalks sent it instead of a ChatEvent',
					},
				],
			},
		],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		const authentication = this.getNodeParameter('authentication', 'none') as PushAuthentication;
		const credentials =
			authentication === 'none' ? undefined : await this.getCredentials<NovaTalksCredentials>(CREDENTIAL_TYPE);
		const refused = pushAuthFailure(authentication, this.getHeaderData(), credentials);
		if (refused) {
			response.status(401).json({ message: refused });
			return { noWebhookResponse: true };
		}

		const body = this.getBodyData();
		if (!isPushNotification(body)) {
			response.status(400).json({ message: `Not a NovaTalks push notification: ${pushNotificationProblem(body)}` });
			return { noWebhookResponse: true };
		}
		const events = this.getNodeParameter('events', []) as PushEvent[];
		if (!(events as string[]).includes(body.event_name)) {
			return { webhookResponse: { received: true, ignored: `event ${body.event_name} is not selected` } };
		}
		if (!rememberInStaticData(this.getWorkflowStaticData('node'), 'deliveries', pushNotificationKey(body), REMEMBERED_DELIVERIES)) {
			return { webhookResponse: { received: true, duplicate: true } };
		}
		const options = this.getNodeParameter('options', {}) as { rawOutput?: boolean };
		return { workflowData: [chatEventsToItems([pushToChatEvent(body)], { rawOutput: options.rawOutput })] };
	}
}
