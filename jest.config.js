// Three tiers, named by file suffix: pure logic (.unit), real SQLite store (.int), over HTTP (.e2e).
const tier = (displayName, testMatch) => ({
  displayName,
  testMatch,
  preset: 'ts-jest',
  testEnvironment: 'node',
  rootDir: __dirname,
  // Type checking is done once by `tsc --noEmit` in `npm test`; jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
});

module.exports = {
  projects: [
    tier('unit', ['<rootDir>/src/**/*.unit.spec.ts', '<rootDir>/test/**/*.unit.spec.ts']),
    tier('integration', ['<rootDir>/src/**/*.int.spec.ts', '<rootDir>/test/**/*.int.spec.ts']),
    tier('e2e', ['<rootDir>/test/**/*.e2e.spec.ts']),
  ],
};
