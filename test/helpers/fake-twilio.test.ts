import { startFakeTwilio } from './fake-twilio';
import { ACCOUNT_PATH, form, rawRequest } from '../fake-twilio/harness';
import { RECIPIENT, SECRETS } from '../fixtures/values';

// startFakeTwilio's fake holds every request to Twilio's API description: its stop() fails on
// the violations no test looked at, made before a reset() or after it.

const MESSAGES = `${ACCOUNT_PATH}/Messages.json`;
const good = () => form(['To', RECIPIENT], ['From', SECRETS.TWILIO_PHONE_NUMBER], ['Body', 'hi']);
const bogus = () => form(['To', RECIPIENT], ['From', SECRETS.TWILIO_PHONE_NUMBER], ['Body', 'hi'], ['Bogus', 'x']);

describe("the test fake's stop()", () => {
  it('stops quietly when every request passed the contract', async () => {
    const fake = await startFakeTwilio();
    expect((await rawRequest(fake, 'POST', MESSAGES, { form: good() })).status).toBe(201);
    await expect(fake.stop()).resolves.toBeUndefined();
  });

  it('fails, listing the request and what the description rejects, when a violation was never looked at', async () => {
    const fake = await startFakeTwilio();
    await rawRequest(fake, 'POST', MESSAGES, { form: bogus(), host: 'api.twilio.com' });
    await expect(fake.stop()).rejects.toThrow(
      `The fake Twilio received 1 request(s) that Twilio's API description rejects:\nPOST ${MESSAGES} (host api.twilio.com): Bogus: not a body parameter of this operation in the API description`,
    );
    // Stopped all the same: a new request finds no one listening.
    await expect(rawRequest(fake, 'POST', MESSAGES, { form: good() })).rejects.toThrow();
  });

  it('fails on a violation a reset() emptied from the list before anyone looked', async () => {
    const fake = await startFakeTwilio();
    await rawRequest(fake, 'POST', MESSAGES, { form: bogus() });
    fake.reset();
    expect(fake.contractViolations).toEqual([]);
    await expect(fake.stop()).rejects.toThrow(/1 request\(s\).*\nPOST .*Bogus/);
  });

  it('counts a violation a test read as taken in hand, and not the ones made after that read', async () => {
    const fake = await startFakeTwilio();
    await rawRequest(fake, 'POST', MESSAGES, { form: bogus() });
    expect(fake.contractViolations).toHaveLength(1);
    fake.reset();
    await expect(fake.stop()).resolves.toBeUndefined();

    const again = await startFakeTwilio();
    await rawRequest(again, 'POST', MESSAGES, { form: bogus() });
    expect(again.contractViolations).toHaveLength(1);
    await rawRequest(again, 'POST', MESSAGES, { form: form(['To', RECIPIENT], ['From', SECRETS.TWILIO_PHONE_NUMBER], ['Body', 'hi'], ['ValidityPeriod', 'abc']) });
    await expect(again.stop()).rejects.toThrow(/^The fake Twilio received 1 request\(s\).*\nPOST .*ValidityPeriod: must be integer/);
  });
});
