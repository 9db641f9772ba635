// The tests StrykerJS runs against each mutant of the core: the unit tests (mocked Twilio
// client) and the transport's own tests over loopback. `npm run mutation`; not part of CI.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  globalSetup: undefined,
  roots: ['<rootDir>/test'],
  testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/test/integration/transport.test.ts'],
};
