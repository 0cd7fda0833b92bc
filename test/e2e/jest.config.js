// Jest for the real-n8n suite (npm run test:e2e): one worker, long timeouts (the first run installs n8n).
module.exports = {
	testEnvironment: 'node',
	rootDir: '../..',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	// The queue-mode suite has its own command (npm run test:e2e:queue) and configuration.
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/queue/'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json', diagnostics: false }],
	},
	maxWorkers: 1,
	// The processes a run starts end with it (test/e2e/processes.ts); a socket left open in this
	// process must not keep CI waiting until its time limit.
	forceExit: true,
	testTimeout: 120_000,
	verbose: true,
};
