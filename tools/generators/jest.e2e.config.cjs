// The generator run for real in a scratch copy of the workspace (nx g, then the new app's tests and typecheck).
const { createJestConfig } = require('../jest/jest.base.cjs');
const unit = createJestConfig({ rootDir: __dirname, kind: 'unit', displayName: 'tools:e2e' });
module.exports = { ...unit, testMatch: ['<rootDir>/**/*.e2e-spec.ts'], testTimeout: 600_000 };
