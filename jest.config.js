/** One jest run for the whole monorepo; tests are named by kind: *.unit|int|e2e.spec.ts. */
/*
 * ts-jest in transpile-only mode (types are checked by `npm run typecheck`). Not @swc/jest:
 * the registry here serves only Linux builds of swc's native bindings, and a lock file
 * without the other platforms' entries fails `npm ci`.
 */
const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }];
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/deploy'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': tsJest },
  moduleNameMapper: {
    '^@platform/(core|event-store|messaging|contracts|service-kit|testing|embedded-postgres|customer-directory)$': '<rootDir>/libs/$1/src/index.ts',
  },
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/tools/jest/summary-reporter.js'],
};
