import type { ExpertflowEmulator } from '../emulators/expertflow';
import { runWorkflow } from '../helpers/workflow';
import { credentialsFor, emulatorPerTest, expertflowAction, sendAsCustomer } from './helpers';

/**
 * The spec lists `name` in joinConversation and in a message's `from` (a Participant has id and name), and the
 * emulator refuses both without it. Without Participant Name the node takes the name Chat > Initiate's answer
 * gave the participant, or "Customer".
 */
describe('Expertflow: the participant name when Participant Name is empty', () => {
	let emulator: ExpertflowEmulator;
	emulatorPerTest((started) => (emulator = started));

	const joinNames = () => emulator.eventsNamed('joinConversation').map((entry) => (entry.payload as { name?: string }).name);
	const fromNames = () => emulator.eventsNamed('sendMessage').map((entry) => (entry.payload as { from: { name?: string } }).from.name);

	it('takes the name the init answer gave, in a later execution of this process', async () => {
		const init = await runWorkflow(
			expertflowAction({ resource: 'chat', operation: 'initiate', channel: 'web', firstName: 'Jane', phone: '+10000000001', additionalFields: { lastName: 'Doe' } }),
			{ credentials: credentialsFor(emulator) },
		);
		const { conversationId, participantId } = init.json('Action')[0] as { conversationId: string; participantId: string };
		const send = await runWorkflow(
			expertflowAction({ resource: 'message', operation: 'send', conversationId, participantId, text: 'Hello' }),
			{ credentials: credentialsFor(emulator) },
		);
		expect(send.status).toBe('success');
		expect(joinNames()).toEqual(['Jane Doe']);
		expect(fromNames()).toEqual(['Jane Doe']);
	});

	it('takes the name from an input item that is the init answer, and falls back to "Customer"', async () => {
		const conversation = emulator.createConversation({ firstName: 'Ann', lastName: 'Lee' });
		const { id, name } = conversation.customer;
		const fromInput = await runWorkflow(sendAsCustomer(conversation, { text: 'Hi' }), {
			credentials: credentialsFor(emulator),
			startData: [[{ json: { conversationId: conversation.id, participant: { id, name }, participantId: id } }]],
		});
		expect(fromInput.status).toBe('success');

		const other = emulator.createConversation({ firstName: 'Bo' });
		const fallback = await runWorkflow(sendAsCustomer(other, { text: 'Hi' }), { credentials: credentialsFor(emulator) });
		expect(fallback.status).toBe('success');
		const typing = await runWorkflow(
			sendAsCustomer(other, { operation: 'sendActivity', activityType: 'typing', participantName: 'Bo Given' }),
			{ credentials: credentialsFor(emulator) },
		);
		expect(typing.status).toBe('success');
		expect(joinNames()).toEqual(['Ann Lee', 'Customer', 'Bo Given']);
		expect(fromNames()).toEqual(['Ann Lee', 'Customer', 'Bo Given']);
	});
});
