// Two projects, named by what their tests need: `bundles` needs the test bundles that
// test/global-setup.js builds first; `no-bundles` needs none (unit, docs and transport tests),
// so `npm run test:no-bundles` runs it alone, without the build, for the inner loop. `npm test` runs both.
// StrykerJS runs this file's top level, without the projects (stryker.config.json).

/** What every test file needs. */
const project = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // Twilio's hosts routed to the fakes at the network, refused until a test starts one; their certificate trusted.
  setupFilesAfterEnv: ['<rootDir>/test/helpers/network.ts'],
  transform: {
    // tsc checks the types (tsconfig.json, test/tsconfig.json); with isolatedModules, ts-jest only strips them.
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }],
  },
};

/** The tests that need no bundle from test/global-setup.js: they import src/ and tools/, or read files. */
const WITHOUT_BUNDLES = [
  'test/unit/**/*.test.ts',
  'test/helpers/**/*.test.ts',
  'test/customize.test.ts',
  'test/docs/**/*.test.ts',
  'test/integration/transport.test.ts',
  'test/integration/relay.test.ts',
];

/** @type {import('jest').Config} */
module.exports = {
  ...project,
  // Most tests wait on sockets and timers rather than the CPU: three workers on two cores.
  maxWorkers: 3,
  // On a 2-core machine under load, a worker that holds nothing may take more than jest's 500 ms to exit.
  workerGracefulExitTimeout: 5000,
  // Each integration test starts loopback servers; a leak must fail loudly, not hang CI.
  testTimeout: 30000,
  projects: [
    { ...project, displayName: 'no-bundles', testMatch: WITHOUT_BUNDLES.map((glob) => `<rootDir>/${glob}`) },
    {
      ...project,
      displayName: 'bundles',
      globalSetup: '<rootDir>/test/global-setup.js',
      testMatch: ['<rootDir>/test/**/*.test.ts', ...WITHOUT_BUNDLES.map((glob) => `!**/${glob}`)],
    },
  ],
};
