const { createJestConfig } = require('../../tools/jest/jest.base.cjs');
module.exports = createJestConfig({ rootDir: __dirname, kind: 'unit', displayName: 'customer-profiles' });
