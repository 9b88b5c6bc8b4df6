// Three tiers, named by file suffix: pure logic (.unit), real SQLite store (.int), over HTTP (.e2e);
// and the web console driven in Chromium (test/browser/*.e2e.spec.ts), a project of its own so it
// can be run (npm run test:browser) or left out (--selectProjects) on its own.
const { availableParallelism } = require('node:os');

const BROWSER_TESTS = '<rootDir>/test/browser/';

const tier = (displayName, testMatch, options = {}) => ({
  displayName,
  testMatch,
  preset: 'ts-jest',
  testEnvironment: 'node',
  rootDir: __dirname,
  // Copies of the project that `npm run test:node` tests under other Node versions.
  modulePathIgnorePatterns: ['<rootDir>/.cache/'],
  // Type checking is done once by `tsc --noEmit` in `npm test`; jest only transpiles.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }] },
  ...options,
});

module.exports = {
  // jest's default, one worker less than the cores, is a single worker on 2 cores: the tests would run
  // one at a time while most of them wait on a child process, a server or the disk. Two keep both busy.
  maxWorkers: Math.max(2, availableParallelism() - 1),
  projects: [
    tier('unit', ['<rootDir>/src/**/*.unit.spec.ts', '<rootDir>/test/**/*.unit.spec.ts']),
    tier('integration', ['<rootDir>/src/**/*.int.spec.ts', '<rootDir>/test/**/*.int.spec.ts']),
    tier('e2e', ['<rootDir>/test/**/*.e2e.spec.ts'], { testPathIgnorePatterns: ['/node_modules/', BROWSER_TESTS] }),
    tier('browser', [`${BROWSER_TESTS}**/*.e2e.spec.ts`]),
  ],
};
