import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { ConciergeEmulator } from '../emulators/concierge';
import { DataTablesEmulator } from '../emulators/n8n-data-tables';
import { JaicpEmulator } from '../emulators/jaicp';
import { CustomerApp } from '../e2e/customer-app';
import { chain } from '../helpers/workflow-builder';
import { runWorkflow, type WorkflowJson, type WorkflowRun } from '../helpers/workflow';

/** The parties of a JAICP -> Concierge bridge, each a real local server, and the customer's front end. */
export interface BridgeParties {
	tables: DataTablesEmulator;
	jaicp: JaicpEmulator;
	concierge: ConciergeEmulator;
	customer: CustomerApp;
	credentials: Record<string, IDataObject>;
}

export function useParties(): () => BridgeParties {
	let parties: BridgeParties | undefined;
	beforeEach(async () => {
		const [tables, jaicp, concierge, customer] = await Promise.all([
			DataTablesEmulator.start(),
			JaicpEmulator.start({ operatorGreeting: null }),
			ConciergeEmulator.start({ pushScope: 'tenant' }),
			CustomerApp.start(),
		]);
		parties = {
			tables,
			jaicp,
			concierge,
			customer,
			credentials: {
				chatBridgeApi: { baseUrl: tables.baseUrl, apiKey: tables.apiKey },
				jaicpApi: { token: jaicp.token, baseUrl: jaicp.baseUrl },
				conciergeApi: { socketOrigin: concierge.socketOrigin, accessToken: 'tenant-token-34', deviceId: 'bridge-tests', serverUrl: concierge.serverUrl },
			},
		};
	});
	afterEach(async () => {
		if (!parties) return;
		await Promise.all([parties.tables.close(), parties.jaicp.close(), parties.concierge.close(), parties.customer.close()]);
		parties = undefined;
	});
	return () => {
		if (!parties) throw new Error('The parties are not running');
		return parties;
	};
}

export const BRIDGE: INodeParameters = { operation: 'relay', bot: 'jaicp', desk: 'concierge' };

/** Manual Trigger -> Chat Bridge. */
export function bridgeWorkflow(parameters: INodeParameters = BRIDGE, continueOnFail = false): WorkflowJson {
	const workflow = chain({ name: 'Start', type: 'n8n-nodes-base.manualTrigger' }, { name: 'Bridge', type: 'chatBridge', parameters, continueOnFail });
	return { ...workflow, id: 'bridge-workflow' };
}

/** Runs the bridge once with these input items (front-end bodies or ChatEvents). */
export async function runBridge(parties: BridgeParties, items: IDataObject[], parameters: INodeParameters = BRIDGE, continueOnFail = false): Promise<WorkflowRun> {
	return await runWorkflow(bridgeWorkflow(parameters, continueOnFail), {
		credentials: parties.credentials as never,
		startData: [items.map((json) => ({ json }))],
	});
}

/** What the customer's front end posts: the front-end contract's request. */
export const customerSays = (parties: BridgeParties, chatId: string, text: string, extra: IDataObject = {}): IDataObject => ({
	conversationId: chatId,
	text,
	replyUrl: parties.customer.replyUrl,
	...extra,
});
