const { createJestConfig } = require('../../tools/jest/jest.base.cjs');
// `needs: ['connect']`: the compiled CDC script is run against a Kafka Connect worker (CONNECT_URL).
module.exports = createJestConfig({ rootDir: __dirname, kind: 'int', displayName: 'deploy-check', needs: ['connect'] });
