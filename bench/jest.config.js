// Jest for the benchmarks (npm run bench): the unit suite's setup, with the bench files and a long
// timeout. Benchmarks print their measurements and check that every event arrived; they never fail on speed.
const unit = require('../test/jest.config.js');

module.exports = {
  ...unit,
  roots: ['<rootDir>/bench'],
  testMatch: ['<rootDir>/bench/**/*.bench.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300000,
};
