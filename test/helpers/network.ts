// Run before every test file (jest.config.js, setupFilesAfterEnv): the network a test sees. Twilio's
// host names are routed at the network (tools/fake-twilio/route.ts), to nowhere until a test
// starts a fake (startFakeTwilio): a connection to Twilio with no fake routed is refused at
// once, never looked up, and fails the file here, naming it. The fakes' certificate, made once
// and kept in build/, is what every Twilio client of the file trusts (TWILIO_CA_BUNDLE).
import { installTwilioRoute, takeRefusedConnections } from '../../tools/fake-twilio/route';
import { trustFakeCertificate } from '../../tools/fake-twilio/tls';

installTwilioRoute();

beforeAll(async () => {
  await trustFakeCertificate();
});

afterAll(() => {
  const refused = takeRefusedConnections();
  if (refused.length > 0) {
    throw new Error(
      `This file tried to reach ${refused.map(({ host, port }) => `${host}:${port}`).join(', ')} with no fake Twilio routed there: refused, as a test must never reach a real Twilio host. Start a fake first (startFakeTwilio).`,
    );
  }
});
