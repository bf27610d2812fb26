/** Three levels (STYLE.md): small = pure logic beside the code; medium = real PostgreSQL
 * and Redis, a database per test file; e2e = the whole app over HTTP. */
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  // The OTLP exporter's import('http'): a require under Jest (see the transformer).
  '/node_modules/@opentelemetry/.+\\.js$': '<rootDir>/test/support/dynamic-import-transform.js',
};
const common = {
  testEnvironment: 'node',
  transform,
  transformIgnorePatterns: ['/node_modules/(?!@opentelemetry/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: process.env.CI ? 2 : '50%',
  // Jest reads testTimeout from the global config only (a project's own is ignored):
  // medium and e2e files start whole apps on a shared, busy machine.
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'small',
      testMatch: [
        '<rootDir>/src/**/*.spec.ts',
        '<rootDir>/bench/**/*.spec.ts',
        '<rootDir>/console/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'medium',
      testMatch: ['<rootDir>/test/medium/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
    },
    {
      // The console in a real browser (Debian's chromium): test/browser.
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
    },
  ],
};
