// Jest for the queue-mode suite (npm run test:e2e:queue): n8n main, workers and webhook processors on
// Postgres and Redis. One worker, long timeouts (the first run installs n8n, Postgres and Redis).
const base = require('../jest.config.js');

module.exports = {
	...base,
	rootDir: '../../..',
	roots: ['<rootDir>/test/e2e/queue'],
	testPathIgnorePatterns: ['/node_modules/'],
};
