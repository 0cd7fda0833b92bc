import type { InitResponse } from './protocol';

/** Shown for n8n's participant when neither the node nor an init answer gives a name. */
export const FALLBACK_PARTICIPANT_NAME = 'Customer';

/** How many participant names this process remembers from init answers (the oldest are forgotten first). */
const REMEMBERED = 1000;

const names = new Map<string, string>();

const keyOf = (server: string, participantId: string) => `${server}\n${participantId}`;

/**
 * Remembers the name an init answer gave a participant, so a later join as that participant in this
 * process carries it even when no Participant Name is set. Per process only: in another process the
 * input item or the fallback name is used.
 */
export function rememberParticipantName(server: string, participantId: string, name: string | undefined): void {
	if (!name || name.trim() === '') return;
	const key = keyOf(server, participantId);
	names.delete(key);
	names.set(key, name.trim());
	if (names.size > REMEMBERED) names.delete(names.keys().next().value as string);
}

/** The name of an init answer's participant (an object with a name; a plain id has none). */
export function initParticipantName(response: Pick<InitResponse, 'participant'> | undefined): string | undefined {
	const participant = response?.participant;
	if (typeof participant !== 'object' || participant === null) return undefined;
	return typeof participant.name === 'string' && participant.name.trim() !== '' ? participant.name.trim() : undefined;
}

/**
 * The name to join and write as: the one given, else the one an init answer gave (`fromInput`: the item
 * the node got, often Chat > Initiate's output; then what this process remembers), else "Customer".
 * The spec lists `name` in joinConversation and in a message's `from`; strict servers refuse without it.
 */
export function participantNameFor(server: string, participantId: string, given?: string, fromInput?: string): string {
	return [given, fromInput, names.get(keyOf(server, participantId))].find((name) => !!name && name.trim() !== '')?.trim() ?? FALLBACK_PARTICIPANT_NAME;
}
