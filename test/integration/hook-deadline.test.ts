import type { FakeFault, FakeTwilio } from '../../tools/fake-twilio/server';
import { SEND_DEADLINE_MS } from '../../src/core/send';
import { samplePayload } from '../helpers/hook-bundle';
import { hookOverHttp, startFakeTwilio } from '../helpers/fake-twilio';
import { SECRETS } from '../helpers/mock-twilio';

/** Auth0 ends a hook after 20 s; an answer after that is never seen. */
const AUTH0_HOOK_LIMIT_MS = 20_000;

// Real time on purpose: these show that the deadline holds with real sockets. One test per
// version, in their own file so that jest runs them beside the others.
describe.each(['twilio-v4', 'twilio-v6'])('with %s, a Twilio that never answers', (twilioPackage) => {
  let fake: FakeTwilio;
  beforeAll(async () => {
    fake = await startFakeTwilio();
  });
  afterAll(() => fake.stop());

  it('gets an error from the hook at its deadline, far under Auth0 limit', async () => {
    const hang: FakeFault = { kind: 'hang' };
    fake.failAlways(hang);
    const { hook, logs } = await hookOverHttp(twilioPackage, fake);
    const started = Date.now();
    const envelope = await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS });
    const elapsed = Date.now() - started;
    expect(envelope).toMatchObject({
      status: 'error',
      data: { transient: true, message: expect.stringContaining(`Twilio did not answer within ${SEND_DEADLINE_MS} ms`) },
    });
    expect(elapsed).toBeGreaterThanOrEqual(SEND_DEADLINE_MS - 50);
    expect(elapsed).toBeLessThan(AUTH0_HOOK_LIMIT_MS);
    expect(logs).toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
    expect(hook.extraAnswers).toBe(0);
  }, 25_000);
});
