import type { ImportedWorkflow } from '../stack';

/**
 * A routing workflow made playable: wired to the emulators, with a customer who writes through its
 * webhook and a human agent who answers on the other provider's emulator.
 */
export interface RoutingScene {
	readonly title: string;
	readonly imported: ImportedWorkflow;
	/** Runs the workflow's table set-up and points the emulators' webhooks at it. */
	wire(): Promise<void>;
	customerSays(conversationId: string, text: string): Promise<void>;
	/** The human agent answers in the agent-side chat n8n linked to the customer's conversation. */
	agentSays(conversationId: string, text: string): Promise<void>;
	/** What the agent's side of that chat holds so far ("<sender>: <text>"), oldest first. */
	agentView(conversationId: string): Promise<string[]>;
	/** Lines for the demo: how this scene is played. */
	howToPlay(): string[];
}

