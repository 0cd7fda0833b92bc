// Jest for the benchmarks (npm run bench): the unit suite's setup, with the bench files, a long
// timeout and the table reporter. The unit suite's nock layer is left out, so requests go straight to
// the emulators on 127.0.0.1 as they would in n8n. Benchmarks record their figures and check that the
// work really happened (every event arrived, every item succeeded); they never fail on speed.
const unit = require('../test/jest.config.js');

module.exports = {
  ...unit,
  roots: ['<rootDir>/bench'],
  testMatch: ['<rootDir>/bench/**/*.bench.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  setupFilesAfterEnv: [],
  testTimeout: 600000,
  reporters: ['default', '<rootDir>/bench/support/table-reporter.js'],
};
