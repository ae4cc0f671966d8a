// The end-to-end suite (*.e2e-spec.ts): every service as a real process against the broker and database
// server that the integration-test global setup provides (tools/jest/int-global-setup.cjs).
const { createJestConfig } = require('../../tools/jest/jest.base.cjs');
// `needs: ['connect']`: cdc.e2e-spec.ts registers the users CDC connector on a Kafka Connect worker (CONNECT_URL).
const base = createJestConfig({ rootDir: __dirname, kind: 'int', displayName: 'system-tests', needs: ['connect'] });
module.exports = {
  ...base,
  displayName: 'system-tests:e2e',
  testMatch: ['<rootDir>/**/*.e2e-spec.ts'],
  // Starting four services, thousands of orders and a rebuild of each service take minutes on 2 cores.
  testTimeout: 15 * 60_000,
  maxWorkers: 1,
};
