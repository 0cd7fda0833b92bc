// Jest for the unit and integration suites (npm test); the real-n8n suite lives in test/e2e.
module.exports = {
  "testEnvironment": "node",
  "roots": [
    "<rootDir>/test"
  ],
  "testMatch": [
    "**/*.test.ts"
  ],
  "testPathIgnorePatterns": [
    "/node_modules/",
    "<rootDir>/test/e2e/"
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
  "testTimeout": 30000,
  "testEnvironmentOptions": {
    "globalsCleanup": "off"
  },
  "rootDir": ".."
};
