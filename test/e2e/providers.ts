/**
 * The providers whose emulators the real-n8n runs start, and the credential that points this
 * package's nodes at each emulator.
 */
export interface RunningProvider {
	/** Credential type name (e.g. `novaTalksApi`) and the data n8n stores for it. */
	credentialType: string;
	credentialData: Record<string, unknown>;
	/** Lines the demo prints: where the emulator listens and how to play the other side. */
	describe(): string[];
	stop(): Promise<void>;
}

export interface ProviderSetup {
	/** The ChatEvent provider name, e.g. `novatalks`. */
	name: string;
	displayName: string;
	start(): Promise<RunningProvider>;
}

export const PROVIDERS: ProviderSetup[] = [];
