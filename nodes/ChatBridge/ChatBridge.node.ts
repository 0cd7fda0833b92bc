import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { conciergeApiTest } from '../Concierge/credential-test';
import { testExpertflowConnection } from '../Expertflow/credential-test';
import { jaicpApiTest } from '../Jaicp/token-check';
import { ultimateApiConnectionTest } from '../Ultimate/credential-test';
import { BridgeLinks, checkedBridgeName } from '../shared/bridge-links';
import { DataTables } from '../shared/data-tables';
import { asNodeError } from '../shared/errors';
import { Bridge, type BridgeSettings, type Outcome } from './bridge';
import { bridgeProperties } from './description';
import { readIncoming, type Incoming } from './incoming';
import { claimOnce } from './once';
import { Transcripts } from './transcript';

const RELAYED = 0;
const NOT_RELAYED = 1;

export class ChatBridge implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Chat Bridge',
		name: 'chatBridge',
		icon: { light: 'file:chatBridge.svg', dark: 'file:chatBridge.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["bot"] + " / " + $parameter["desk"] }}',
		description: 'Route a customer chat between a front end, a bot (Ultimate, JAICP) and a human desk (NovaTalks, Expertflow, Concierge)',
		defaults: { name: 'Chat Bridge' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Relayed', 'Not Relayed'],
		credentials: [
			{ name: 'chatBridgeApi', required: true },
			{ name: 'ultimateApi', required: true, testedBy: 'ultimateApiConnectionTest', displayOptions: { show: { bot: ['ultimate'] } } },
			{ name: 'jaicpApi', required: true, testedBy: 'jaicpApiTest', displayOptions: { show: { bot: ['jaicp'] } } },
			{ name: 'novaTalksApi', required: true, displayOptions: { show: { desk: ['novatalks'] } } },
			{ name: 'expertflowApi', required: true, testedBy: 'testExpertflowConnection', displayOptions: { show: { desk: ['expertflow'] } } },
			{ name: 'conciergeApi', required: true, testedBy: 'conciergeApiTest', displayOptions: { show: { desk: ['concierge'] } } },
		],
		properties: bridgeProperties,
	};

	methods = { credentialTest: { ultimateApiConnectionTest, jaicpApiTest, testExpertflowConnection, conciergeApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as string;
		const settings = readSettings(this);
		const tables = await DataTables.connect(this);
		const bridge = new Bridge(this, settings, new BridgeLinks(tables, settings.bridge), new Transcripts(tables, settings.bridge));
		const outputs: INodeExecutionData[][] = [[], []];
		const items = this.getInputData();
		try {
			for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
				try {
					for (const outcome of await runItem(this, bridge, operation, itemIndex)) {
						if ('relayed' in outcome) outputs[RELAYED].push({ json: outcome.relayed, pairedItem: { item: itemIndex } });
						else outputs[NOT_RELAYED].push({ json: { ...items[itemIndex].json, notRelayed: outcome.notRelayed }, pairedItem: { item: itemIndex } });
					}
				} catch (error) {
					const nodeError = asNodeError(this.getNode(), error, itemIndex);
					if (!this.continueOnFail()) throw nodeError;
					outputs[RELAYED].push({ json: { error: nodeError.message }, pairedItem: { item: itemIndex } });
				}
			}
		} finally {
			await bridge.close();
		}
		return outputs;
	}
}

type Settings = BridgeSettings & { bridge: string };

function readSettings(ctx: IExecuteFunctions): Settings {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const text = (name: string, fallback: string) => (typeof options[name] === 'string' ? (options[name] as string) : fallback);
	return {
		bridge: checkedBridgeName(ctx.getNode(), options.bridgeName, 'Use letters, digits and _, starting with a letter (at most 41 characters)'),
		bot: ctx.getNodeParameter('bot', 0) as BridgeSettings['bot'],
		desk: ctx.getNodeParameter('desk', 0) as BridgeSettings['desk'],
		handOverOnEscalation: options.handOverOnEscalation !== false,
		endOnSessionEnd: options.endOnSessionEnd !== false,
		handOverNotice: text('handOverNotice', 'An agent has joined the chat.'),
		endNotice: text('endNotice', 'The chat has ended.'),
		transcriptHeader: text('transcriptHeader', 'Handed over by the bot. Transcript so far:'),
		defaultCustomerName: text('customerName', 'Web customer').trim() || 'Web customer',
		expertflowChannel: text('expertflowChannel', 'web').trim() || 'web',
		unknownConversation: options.unknownConversation === 'notRelayed' ? 'notRelayed' : 'error',
	};
}

async function runItem(ctx: IExecuteFunctions, bridge: Bridge, operation: string, itemIndex: number): Promise<Outcome[]> {
	switch (operation) {
		case 'relay':
		case 'record': {
			const incoming = incomingOf(ctx, itemIndex);
			const run = async () => (operation === 'relay' ? await bridge.relay(incoming, itemIndex) : await bridge.record(incoming, itemIndex));
			const key = keyOf(incoming);
			return await claimOnce(ctx, key && `${operation}:${key}`, run, 'it was relayed before (a repeated delivery or a retried node)');
		}
		case 'handOver':
			return await bridge.handOver(chatIdOf(ctx, itemIndex), itemIndex);
		case 'end':
			return await bridge.end(chatIdOf(ctx, itemIndex), itemIndex);
		case 'getTranscript':
			return [{ relayed: await bridge.transcript(chatIdOf(ctx, itemIndex), itemIndex) }];
		default:
			throw new NodeOperationError(ctx.getNode(), `Unknown operation ${operation}`, { itemIndex });
	}
}

function incomingOf(ctx: IExecuteFunctions, itemIndex: number): Incoming {
	let value = ctx.getNodeParameter('event', itemIndex) as unknown;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			throw new NodeOperationError(ctx.getNode(), `Event is not valid JSON (item ${itemIndex})`, { itemIndex });
		}
	}
	const incoming = readIncoming(value);
	if ('problem' in incoming) {
		throw new NodeOperationError(ctx.getNode(), `Event of item ${itemIndex} cannot be relayed: ${incoming.problem}`, { itemIndex });
	}
	return incoming;
}

/** What makes an input unique, so a repeated one is not sent twice; undefined when nothing identifies it. */
function keyOf(incoming: Incoming): string | undefined {
	if (incoming.kind === 'customer') {
		return incoming.post.messageId ? `customer:${incoming.post.chatId}:${incoming.post.messageId}` : undefined;
	}
	const { event } = incoming;
	return event.messageId ? `${event.provider}:${event.conversationId}:${event.type}:${event.messageId}` : undefined;
}

function chatIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const chatId = String(ctx.getNodeParameter('chatId', itemIndex, '') ?? '').trim();
	if (chatId === '') throw new NodeOperationError(ctx.getNode(), `Chat ID is empty (item ${itemIndex})`, { itemIndex });
	return chatId;
}
