const { createJestConfig } = require('../jest/jest.base.cjs');
module.exports = createJestConfig({ rootDir: __dirname, kind: 'unit', displayName: 'tools' });
