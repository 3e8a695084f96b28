// Shared jest settings: every package's jest.config.js spreads this. Workspace imports resolve to
// the packages' TypeScript sources, so unit tests never run against a stale build.
const path = require('node:path');
const root = __dirname;
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(root, 'tsconfig.base.json'), diagnostics: false }],
  },
  moduleNameMapper: {
    '^@backtest/core/testing$': path.join(root, 'packages/core/src/testing.ts'),
    '^@backtest/(core|forecast|models)/internal$': path.join(root, 'packages/$1/src/internal.ts'),
    '^@backtest/strategy-([a-z0-9-]+)$': path.join(root, 'strategies/$1/src/index.ts'),
    '^@backtest/(core|data|engine|metrics|models|forecast|report|api|cli)$': path.join(root, 'packages/$1/src/index.ts'),
  },
};
