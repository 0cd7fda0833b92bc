import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { closePooledConnections } from '../../nodes/Expertflow/actions/connection-pool';
import { ExpertflowEmulator, type EmulatedConversation } from '../emulators/expertflow';
import { actionWorkflow, chain } from '../helpers/workflow-builder';

/** Starts a fresh emulator before each test (handed to `use`) and closes it after the test. */
export function emulatorPerTest(use: (emulator: ExpertflowEmulator) => void): void {
	let current: ExpertflowEmulator | undefined;
	beforeEach(async () => {
		current = await ExpertflowEmulator.start();
		use(current);
	});
	afterEach(async () => {
		await closePooledConnections();
		await current?.close();
	});
}

/** The credential pointing at an emulator (plus any other credential fields). */
export function credentialsFor(
	emulator: ExpertflowEmulator | string,
	extra: ICredentialDataDecryptedObject = {},
): Record<string, ICredentialDataDecryptedObject> {
	return { expertflowApi: { serverUrl: typeof emulator === 'string' ? emulator : emulator.url, ...extra } };
}

/** Manual Trigger -> Expertflow with these parameters. */
export function expertflowAction(parameters: INodeParameters, continueOnFail = false) {
	return actionWorkflow('expertflow', parameters, { continueOnFail });
}

/** Manual Trigger -> Expertflow Message > Send, as the conversation's customer. */
export function sendAsCustomer(conversation: EmulatedConversation, parameters: INodeParameters, continueOnFail = false) {
	return expertflowAction(
		{
			resource: 'message',
			operation: 'send',
			conversationId: conversation.id,
			participantId: conversation.customer.id,
			...parameters,
		},
		continueOnFail,
	);
}

/** A workflow holding only the Expertflow Trigger. */
export function expertflowTrigger(parameters: INodeParameters) {
	return chain({ name: 'Expertflow Trigger', type: 'expertflowTrigger', parameters });
}

/** Trigger parameters that join one conversation as its customer. */
export function joining(conversationId: string, participantId: string, extra: INodeParameters = {}): INodeParameters {
	return {
		mode: 'conversation',
		conversations: { conversation: [{ conversationId, participantId, participantName: 'Jane Doe' }] },
		...extra,
	};
}

/** A test-only self-signed certificate for 127.0.0.1. */
export function selfSignedTls(): { key: string; cert: string } {
	const folder = path.join(__dirname, 'fixtures');
	return {
		key: readFileSync(path.join(folder, 'self-signed.key'), 'utf8'),
		cert: readFileSync(path.join(folder, 'self-signed.crt'), 'utf8'),
	};
}

/** Checks a PDF's structure: header, objects where the xref table says, startxref, %%EOF. */
export function pdfProblems(pdf: Buffer): string[] {
	const text = pdf.toString('latin1');
	const problems: string[] = [];
	if (!text.startsWith('%PDF-1.')) problems.push('no %PDF header');
	if (!text.trimEnd().endsWith('%%EOF')) problems.push('no %%EOF');
	const startxref = /startxref\n(\d+)\n%%EOF/.exec(text);
	if (!startxref) return [...problems, 'no startxref'];
	const xrefAt = Number(startxref[1]);
	if (!text.startsWith('xref', xrefAt)) return [...problems, 'startxref does not point at the xref table'];
	const entries = text.slice(xrefAt).split('\n').slice(2).filter((line) => / n $/.test(line));
	entries.forEach((line, index) => {
		const offset = Number(line.slice(0, 10));
		if (!text.startsWith(`${index + 1} 0 obj`, offset)) problems.push(`object ${index + 1} is not at ${offset}`);
	});
	if (entries.length === 0) problems.push('empty xref table');
	if (!/\/Type \/Catalog/.test(text)) problems.push('no catalog');
	return problems;
}
