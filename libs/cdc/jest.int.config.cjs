const { createJestConfig } = require('../../tools/jest/jest.base.cjs');
// `needs: ['connect']`: the global setup also gives these tests a Kafka Connect worker (CONNECT_URL).
module.exports = createJestConfig({ rootDir: __dirname, kind: 'int', displayName: 'cdc', needs: ['connect'] });
