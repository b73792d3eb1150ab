const fs = require('node:fs');

const swcConfig = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
// @kubernetes/client-node 1.x and some of its dependencies ship only ES
// modules; Jest's CommonJS loader cannot require them on Node 20, so swc
// transforms them along with our TypeScript.
const esmPackages = [
  '@kubernetes/client-node',
  'openid-client',
  'oauth4webapi',
  'jose',
  'jsonpath-plus',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|m?j)s$': ['@swc/jest', { ...swcConfig, swcrc: false }] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '(\\.spec|\\.e2e-spec)\\.ts$',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/setup/stop-spawn-helper.ts'],
  testTimeout: 30_000,
  maxWorkers: 2,
  // A worker ends within a few milliseconds of Jest's request, with nothing but its stdio left
  // open, but its process then takes 0.4-0.6 s to disappear (tearing down a heap of 400-750 MiB
  // grown over a hundred test files): past Jest's 500 ms default, which printed "a worker process
  // has failed to exit gracefully" on every full run although nothing leaked.
  workerGracefulExitTimeout: 3_000,
};
