import type { Stack } from '../stack';
import { BOTS, DESKS, workflowFileOf, type Bot, type Desk } from './bridge-flow';
import { bridgeScene } from './bridge-scene';
import type { RoutingScene } from './scene';

export type { RoutingScene } from './scene';
export { bridgeScene } from './bridge-scene';

/** The bot x desk pairings that ship as examples (examples/routing-<bot>-to-<desk>.json). */
export const EXAMPLE_PAIRINGS: Array<[Bot, Desk]> = [
	['ultimate', 'novatalks'],
	['jaicp', 'expertflow'],
	['jaicp', 'concierge'],
];

/** Every bot x desk pairing. */
export const ALL_PAIRINGS: Array<[Bot, Desk]> = BOTS.flatMap((bot) => DESKS.map((desk): [Bot, Desk] => [bot, desk]));

/** The routing scenes whose workflows the stack imported (not wired yet). */
export function routingScenes(stack: Stack): Array<ReturnType<typeof bridgeScene>> {
	return ALL_PAIRINGS.flatMap(([bot, desk]) => {
		const imported = stack.imported.find((candidate) => candidate.file === workflowFileOf(bot, desk));
		return imported ? [bridgeScene(stack, imported, bot, desk)] : [];
	});
}

/** The routing scenes whose workflows the stack imported, wired and ready to play. */
export async function wiredScenes(stack: Stack): Promise<RoutingScene[]> {
	const scenes = routingScenes(stack);
	for (const scene of scenes) await scene.wire();
	return scenes;
}
