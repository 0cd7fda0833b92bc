import type { Stack } from '../stack';
import { JAICP_TO_CONCIERGE, jaicpToConcierge } from './jaicp-to-concierge';
import type { RoutingScene } from './scene';
import { ULTIMATE_TO_NOVATALKS, ultimateToNovaTalks } from './ultimate-to-novatalks';

export type { RoutingScene } from './scene';

const SCENES: Array<{ file: string; create: (stack: Stack) => RoutingScene }> = [
	{ file: ULTIMATE_TO_NOVATALKS, create: ultimateToNovaTalks },
	{ file: JAICP_TO_CONCIERGE, create: jaicpToConcierge },
];

/** The routing scenes whose workflows the stack imported (not wired yet). */
export function routingScenes(stack: Stack): RoutingScene[] {
	return SCENES.filter(({ file }) => stack.imported.some((imported) => imported.file === file)).map(({ create }) => create(stack));
}

/** The routing scenes whose workflows the stack imported, wired and ready to play. */
export async function wiredScenes(stack: Stack): Promise<RoutingScene[]> {
	const scenes = routingScenes(stack);
	for (const scene of scenes) await scene.wire();
	return scenes;
}
