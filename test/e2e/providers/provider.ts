/** A provider emulator started for a real-n8n run, with the credential that points this package's nodes at it. */
export interface RunningProvider<Emulator = unknown> {
	emulator: Emulator;
	/** Credential type name (e.g. `ultimateApi`) and the data n8n stores for it. */
	credentialType: string;
	credentialData: Record<string, unknown>;
	/** More credentials of the same type by name, for workflows that name one (e.g. a second account). */
	namedCredentials: Record<string, Record<string, unknown>>;
	/**
	 * Values for the placeholders an example asks its user to fill in (e.g. a contact token), taken
	 * from what the emulator was set up with.
	 */
	placeholders: Record<string, string>;
	/** Lines the demo prints about this emulator. */
	describe(): string[];
	stop(): Promise<void>;
}

export interface ProviderSetup<Emulator = unknown> {
	/** The ChatEvent provider name, e.g. `ultimate`. */
	name: string;
	displayName: string;
	start(): Promise<RunningProvider<Emulator>>;
}

/** A provider whose emulator is started by `start` and closed by its `close()`. */
export function emulatedProvider<Emulator extends { close(): Promise<void> }>(spec: {
	name: string;
	displayName: string;
	start: () => Promise<Emulator>;
	credentialType: string;
	credentialData: (emulator: Emulator) => Record<string, unknown>;
	namedCredentials?: (emulator: Emulator) => Record<string, Record<string, unknown>>;
	placeholders?: (emulator: Emulator) => Record<string, string>;
	describe: (emulator: Emulator) => string[];
}): ProviderSetup<Emulator> {
	return {
		name: spec.name,
		displayName: spec.displayName,
		async start() {
			const emulator = await spec.start();
			return {
				emulator,
				credentialType: spec.credentialType,
				credentialData: spec.credentialData(emulator),
				namedCredentials: spec.namedCredentials?.(emulator) ?? {},
				placeholders: spec.placeholders?.(emulator) ?? {},
				describe: () => spec.describe(emulator),
				stop: async () => await emulator.close(),
			};
		},
	};
}
