import { readOrder, type OrderOptionValues } from '../shared/trigger-options';
import type { INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { followLinkedConversations, readLinkedFollowSettings } from '../shared/linked-conversations';
import { runSocketTrigger, type TriggerSink } from '../shared/trigger';
import { DEFAULT_RECONNECT, ExpertflowClient, type OpenConnection } from './client';
import { testExpertflowConnection } from './credential-test';
import { triggerProperties } from './descriptions/TriggerDescription';
import {
	ConnectorListener,
	ConversationListener,
	type ConversationFilter,
	type ConversationTarget,
	type ListenerContext,
} from './listeners';
import { readSettings, type ExpertflowCredentialData, type ExpertflowSettings } from './settings';

interface TriggerOptions extends OrderOptionValues {
	connectorEvents?: string;
	emitHistory?: boolean;
	includeOwnMessages?: boolean;
	maxReconnectAttempts?: number;
	rawOutput?: boolean;
	timeout?: number;
}

interface Listener {
	onConnect(connection: OpenConnection, info: { reconnect: boolean }): Promise<void> | void;
	onEvent(event: string, payload: unknown): void;
}

export class ExpertflowTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Expertflow Trigger',
		name: 'expertflowTrigger',
		icon: { light: 'file:expertflow.svg', dark: 'file:expertflow.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["mode"] === "connector" ? "Connector " + $parameter["connectorId"] : "Conversations"}}',
		description: 'Starts the workflow on Expertflow Hybrid Chat messages, over Socket.IO',
		defaults: { name: 'Expertflow Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'expertflowApi', required: true, testedBy: 'testExpertflowConnection' },
			{ name: 'chatBridgeApi', required: true, displayOptions: { show: { mode: ['bridge'] } } },
		],
		properties: triggerProperties,
	};

	methods = { credentialTest: { testExpertflowConnection } };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const settings = settingsOf(this, await this.getCredentials<ExpertflowCredentialData>('expertflowApi'));
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const timeoutMs = options.timeout ?? 10_000;
		const mode = this.getNodeParameter('mode') as string;
		const connect = async (listener: Listener, sink: TriggerSink) => {
			const client = new ExpertflowClient({
				config: settings.socket,
				secrets: settings.secrets,
				connectTimeoutMs: timeoutMs,
				reconnect: { ...DEFAULT_RECONNECT, maxAttempts: options.maxReconnectAttempts ?? DEFAULT_RECONNECT.maxAttempts },
				logger: this.logger,
				onConnect: (connection, info) => listener.onConnect(connection, info),
				onEvent: (event, payload) => listener.onEvent(event, payload),
				onFatal: (error) => sink.fail(error),
			});
			await client.connect();
			return client;
		};
		if (mode === 'bridge') {
			const linked = readLinkedFollowSettings(this, 'expertflow');
			// Every message of a handed-over conversation is for the customer, also those before the join.
			const filter = { ...conversationFilter(this, options), emitHistory: true };
			return await runSocketTrigger(
				this,
				async (sink) =>
					await followLinkedConversations(this, linked, async (link) => {
						const address = link.deskAddress;
						if (!address?.participantId) throw new NodeOperationError(this.getNode(), `The link of chat ${link.chatId} has no Expertflow participant`);
						const target: ConversationTarget = { conversationId: address.conversationId, participantId: address.participantId };
						if (address.participantName) target.participantName = address.participantName;
						return await connect(new ConversationListener([target], filter, { sink, logger: this.logger, timeoutMs }), sink);
					}),
				{ rawOutput: options.rawOutput === true, order: readOrder(options) },
			);
		}
		const listenerFor = mode === 'connector' ? connectorListener(this, options) : conversationListener(this, options);
		return await runSocketTrigger(
			this,
			async (sink) => await connect(listenerFor({ sink, logger: this.logger, timeoutMs }), sink),
			{ rawOutput: options.rawOutput === true, order: readOrder(options) },
		);
	}
}

function settingsOf(ctx: ITriggerFunctions, credentials: ExpertflowCredentialData): ExpertflowSettings {
	try {
		return readSettings(credentials);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message, { description: 'Check the Expertflow API credential' });
	}
}

function conversationListener(ctx: ITriggerFunctions, options: TriggerOptions): (context: ListenerContext) => Listener {
	const entries = ((ctx.getNodeParameter('conversations', {}) as { conversation?: Array<Partial<ConversationTarget>> })
		.conversation ?? []) as Array<Partial<ConversationTarget>>;
	const targets = entries.map((entry, index) => {
		const conversationId = String(entry.conversationId ?? '').trim();
		const participantId = String(entry.participantId ?? '').trim();
		if (!conversationId || !participantId) {
			throw new NodeOperationError(ctx.getNode(), `Conversation ${index + 1} needs a Conversation ID and a Participant ID`);
		}
		const participantName = String(entry.participantName ?? '').trim();
		return { conversationId, participantId, ...(participantName ? { participantName } : {}) };
	});
	if (targets.length === 0) throw new NodeOperationError(ctx.getNode(), 'Add at least one conversation to join');
	const filter = conversationFilter(ctx, options);
	return (context) => new ConversationListener(targets, filter, context);
}

function conversationFilter(ctx: ITriggerFunctions, options: TriggerOptions): ConversationFilter {
	const events = new Set(ctx.getNodeParameter('events', []) as string[]);
	return {
		chatMessages: events.has('chatMessage'),
		activities: events.has('activityMessage'),
		activityTypes: new Set(ctx.getNodeParameter('activityTypes', []) as string[]),
		conversationInfo: events.has('conversationInfo'),
		includeOwnMessages: options.includeOwnMessages === true,
		emitHistory: options.emitHistory === true,
	};
}

function connectorListener(ctx: ITriggerFunctions, options: TriggerOptions): (context: ListenerContext) => Listener {
	const id = String(ctx.getNodeParameter('connectorId', '')).trim();
	if (!id) throw new NodeOperationError(ctx.getNode(), 'Connector ID is empty: use the channel name the chat server knows');
	const name = String(ctx.getNodeParameter('connectorName', '')).trim() || id;
	const channel = String(ctx.getNodeParameter('connectorChannel', '')).trim() || id;
	const named = (options.connectorEvents ?? '')
		.split(',')
		.map((event) => event.trim())
		.filter(Boolean);
	const events = new Set(named.length > 0 ? named : ['messageArrived']);
	return (context) => new ConnectorListener({ id, name, channel }, events, context);
}
