/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.js',
  transform: {
    // Type checking is `tsc --noEmit` (npm test builds first); with isolatedModules in
    // tsconfig.json, ts-jest only strips the types.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  // Most tests wait on sockets and timers rather than the CPU: three workers on two cores.
  maxWorkers: 3,
  // A worker holds nothing at its end (process.getActiveResourcesInfo() lists only its IPC and
  // stdio pipes when jest asks it to stop), yet on a 2-core machine under two CPU hogs it may need
  // more than jest's default 500 ms to get scheduled and exit, and is then reported as leaking.
  workerGracefulExitTimeout: 5000,
  // Each integration test starts loopback servers; a leak must fail loudly, not hang CI.
  testTimeout: 30000,
};
