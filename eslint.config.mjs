import nx from '@nx/eslint-plugin';

// Library boundaries, enforced by tags in each project.json:
//   type:app       services; may use contracts and platform libs
//   type:platform  shared plumbing (kafka, db); may use contracts
//   type:contracts topic and event definitions; depends on nothing of ours
//   type:testing   the test harness; only test files may import it
//   type:e2e       system tests; may use everything
const productionConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:testing'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:testing'] },
];

// Test files (and test-only fixtures) may also use the harness.
const testConstraints = productionConstraints.map((c) =>
  c.sourceTag === 'type:contracts' ? c : { ...c, onlyDependOnLibsWithTags: [...new Set([...c.onlyDependOnLibsWithTags, 'type:testing'])] },
);

const testFiles = ['**/*.spec.ts', '**/*.int-spec.ts', '**/test-support/**/*.ts', '**/*.bench.ts'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/generated/**', '**/.nx', 'tmp/**'],
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints: productionConstraints },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: testFiles,
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints: testConstraints }],
    },
  },
];
