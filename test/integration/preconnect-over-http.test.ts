import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { routeTwilio } from '../../tools/fake-twilio/route';
import type { FakeTwilio } from '../../tools/fake-twilio/server';
import { samplePayload } from '../helpers/bundles';
import { hookOverHttp, startFakeTwilio, untilSettled } from '../helpers/fake-twilio';
import { SECRETS, VERIFY_SID } from '../fixtures/values';

// The built hook, compiled by Auth0's compiler, with the real twilio reaching the fake through
// the network route: what a cold container does. Its sender opens the connection to Twilio
// before the library loads, and its first request takes that connection.

describe.each(['twilio-v4', 'twilio-v6'])('a cold container of the hook with %s', (twilioPackage) => {
  let fake: FakeTwilio;
  beforeAll(async () => {
    fake = await startFakeTwilio();
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  async function coldSend(secrets: Record<string, string>, payload = samplePayload('sms-enrollment')) {
    // A fresh compile is a fresh container: its transport holds no connection yet.
    const { hook } = await hookOverHttp(twilioPackage);
    const envelope = await hook.invoke(payload, secrets);
    await untilSettled(fake);
    return { hook, envelope };
  }

  it('sends its first SMS on the one connection it opened ahead, to the host the config names', async () => {
    const { envelope } = await coldSend({ ...SECRETS });
    expect(envelope.status).toBe('success');
    // The fake's new TLS connections since its reset, by the name each asked for.
    expect(fake.servernames).toEqual(['api.twilio.com']);
    expect(fake.requests.map((request) => request.host)).toEqual(['api.twilio.com']);
  });

  it('opens it to Verify when Verify delivers the code', async () => {
    await coldSend({ ...SECRETS, TWILIO_VERIFY_SID: VERIFY_SID });
    expect(fake.servernames).toEqual(['verify.twilio.com']);
  });

  it('opens it to the region and edge of the secrets', async () => {
    await coldSend({ ...SECRETS, TWILIO_REGION: 'ie1' });
    expect(fake.servernames).toEqual(['api.dublin.ie1.twilio.com']);
    expect(fake.requests.map((request) => request.host)).toEqual(['api.dublin.ie1.twilio.com']);
  });

  it('opens none in a warm container: the next send takes the kept connection', async () => {
    const { hook } = await coldSend({ ...SECRETS });
    await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS });
    await untilSettled(fake);
    expect(fake.servernames).toEqual(['api.twilio.com']);
    expect(fake.requests).toHaveLength(2);
  });

  it.each([
    ['a secret missing', { TWILIO_ACCOUNT_SID: SECRETS.TWILIO_ACCOUNT_SID, TWILIO_PHONE_NUMBER: SECRETS.TWILIO_PHONE_NUMBER }],
    ['no sender', { TWILIO_ACCOUNT_SID: SECRETS.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: SECRETS.TWILIO_AUTH_TOKEN }],
  ])('opens no connection for a send that cannot happen, found by the parse: %s', async (_case, secrets) => {
    const { envelope } = await coldSend(secrets, { ...samplePayload('sms-enrollment'), recipient: '+12025550143' });
    expect(envelope.status).toBe('error');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.servernames).toEqual([]);
  });

  it('opens the connection of the send while a pre-send check screens the number, and sends nothing when it refuses', async () => {
    const { envelope } = await coldSend({ ...SECRETS, ALLOWED_COUNTRIES: 'GB' }, { ...samplePayload('sms-enrollment'), recipient: '+12025550143' });
    expect(envelope).toMatchObject({ status: 'error', data: { message: expect.stringContaining('which ALLOWED_COUNTRIES (GB) does not list') } });
    await untilSettled(fake);
    expect(fake.servernames).toEqual(['api.twilio.com']);
    expect(fake.requests).toEqual([]);
  });
});

describe('a connection opened ahead that fails', () => {
  let fake: FakeTwilio;
  let front: Server;
  let accepted = 0;

  beforeAll(async () => {
    fake = await startFakeTwilio();
    // In front of the fake, a hop that drops the first connection it is given, at once, before
    // any TLS: the preconnect's; every later one goes through.
    front = createServer((socket) => {
      accepted++;
      if (accepted === 1) return socket.destroy();
      const inner = connect(fake.port, '127.0.0.1');
      socket.pipe(inner).pipe(socket);
      socket.on('error', () => inner.destroy());
      inner.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    routeTwilio((front.address() as AddressInfo).port);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => front.close(() => resolve()));
    await fake.stop();
  });

  it('leaves the send as it was: the request opens its own connection, one attempt', async () => {
    const { hook, logs } = await hookOverHttp('twilio-v6');
    const envelope = await hook.invoke(samplePayload('sms-enrollment'), { ...SECRETS });
    expect(envelope.status).toBe('success');
    expect(logs).toEqual([expect.stringMatching(/ attempts=1 /)]);
    expect(accepted).toBe(2);
    expect(fake.servernames).toEqual(['api.twilio.com']);
  });
});
