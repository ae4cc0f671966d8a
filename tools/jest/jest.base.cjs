// One jest setup for every project: SWC transpiles TS (with decorator metadata for Nest),
// Nx's resolver maps the @shop/* paths of tsconfig.base.json.
const path = require('node:path');

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/**
 * kind 'unit'  → *.spec.ts, pure and fast, no I/O.
 * kind 'int'   → *.int-spec.ts, against a real broker and database given by libs/testing.
 * needs         → extra infra the int tests need besides kafka + postgres: ['connect'] (CONNECT_URL).
 */
function createJestConfig({ rootDir, kind, displayName, needs = [] }) {
  const isInt = kind === 'int';
  return {
    displayName: `${displayName}${isInt ? ':int' : ''}`,
    rootDir,
    testEnvironment: 'node',
    resolver: '@nx/jest/plugins/resolver',
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
    transform: { '^.+\\.(ts|js|mjs|cjs)$': swc },
    transformIgnorePatterns: ['/node_modules/'],
    testMatch: isInt ? ['<rootDir>/**/*.int-spec.ts'] : ['<rootDir>/**/*.spec.ts'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    ...(isInt
      ? {
          testTimeout: 120_000,
          // Integration suites share one broker and one PostgreSQL server: run files one by one
          // so the 2-core CI machine is not oversubscribed and timings stay meaningful.
          maxWorkers: 1,
          globals: { __SHOP_INFRA_NEEDS__: needs },
          globalSetup: path.join(__dirname, 'int-global-setup.cjs'),
          globalTeardown: path.join(__dirname, 'int-global-teardown.cjs'),
        }
      : {}),
  };
}

module.exports = { createJestConfig };
