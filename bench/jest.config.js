// Jest for the benchmarks (npm run bench): they print their measurements and check that every event
// arrived; they never fail on speed.
module.exports = {
  "testEnvironment": "node",
  "roots": [
    "<rootDir>/bench"
  ],
  "testMatch": [
    "<rootDir>/bench/**/*.bench.ts"
  ],
  "testPathIgnorePatterns": [
    "/node_modules/"
  ],
  "setupFiles": [
    "<rootDir>/test/helpers/environment.ts"
  ],
  "setupFilesAfterEnv": [
    "<rootDir>/test/helpers/no-network.ts"
  ],
  "transform": {
    "^.+\\.ts$": [
      "ts-jest",
      {
        "tsconfig": "<rootDir>/test/tsconfig.json",
        "diagnostics": false
      }
    ]
  },
  "testTimeout": 300000,
  "testEnvironmentOptions": {
    "globalsCleanup": "off"
  },
  "rootDir": ".."
};
