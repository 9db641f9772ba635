import { MAX_LOG_LINE_LENGTH } from '../../src/core/log-line';
import { SEND_DEADLINE_MS } from '../../src/core/send';
import type { FakeFault, FakeTwilio } from '../../tools/fake-twilio/server';
import { ENTRIES, type EntryName } from '../helpers/entries';
import { SHORTEST_WAITS, startFakeOnOwnEdge, twilioPackage, untilFakeHolds, untilSettled } from '../helpers/fake-twilio';
import { expectNoSecrets, expectNumbersMasked } from '../helpers/no-secrets';
import { actionCache, loadCodeEntry, type ActionCache, type CodeOutcome, type CodeRequest } from '../helpers/whatsapp-entries';
import { ACTION_CODE, API_KEY, MESSAGING_SERVICE_SID, SECRETS, VERIFY_SID } from '../fixtures/values';

/**
 * One-time codes on WhatsApp, through the three built entries (the hook compiled by Auth0's
 * compiler, both actions loaded as Auth0 loads them) on the real twilio 4 and 6, over HTTPS to the
 * fake on loopback. Each test runs every entry on both majors side by side, each pair with a fake
 * of its own, whose stop() fails on any request Twilio's API description rejects. One host name
 * goes to one fake at a time, so each pair addresses its fake through an edge of its own
 * (TWILIO_EDGE and TWILIO_REGION added to every run's secrets: the first eight are in us1, where
 * Verify is).
 */

/** A mobile number of Brazil: libphonenumber-js places it (the +1 555 01xx numbers belong to no country). */
const BRAZIL = '+5511987654321';
const WHATSAPP_FROM = '+15005550007';
const CONTENT_SID = 'HX0123456789abcdef0123456789abcdef';
const CORRELATION_ID = 'e1b2c3d4-7f00-4c0e-9a53-1b2c3d4e5f60';
const MAJORS = ['twilio-v4', 'twilio-v6'] as const;
type Major = (typeof MAJORS)[number];

/** The three ways to WhatsApp, each with its secrets and the fake account that makes it work. */
const ROUTES = {
  /** Programmable Messaging from the WhatsApp sender's number; SMS from TWILIO_PHONE_NUMBER. */
  from: {
    secrets: { ...SECRETS, WHATSAPP_COUNTRIES: 'BR,IN', TWILIO_WHATSAPP_FROM: WHATSAPP_FROM, TWILIO_WHATSAPP_CONTENT_SID: CONTENT_SID },
    sender: (fake: FakeTwilio) => fake.whatsapp.sender(WHATSAPP_FROM),
  },
  /** Programmable Messaging through the Messaging Service, for WhatsApp and SMS alike; with an API key. */
  service: {
    secrets: { ...SECRETS, ...API_KEY, WHATSAPP_COUNTRIES: 'BR', TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID, TWILIO_WHATSAPP_CONTENT_SID: CONTENT_SID },
    sender: (fake: FakeTwilio) => fake.whatsapp.sender(WHATSAPP_FROM, { messagingServiceSid: MESSAGING_SERVICE_SID }),
  },
  /** Verify's WhatsApp channel, then Verify's SMS. */
  verify: {
    secrets: { ...SECRETS, WHATSAPP_COUNTRIES: '*', TWILIO_VERIFY_SID: VERIFY_SID },
    sender: (fake: FakeTwilio) => fake.whatsapp.verify(VERIFY_SID, 'enabled'),
  },
} as const;
type RouteName = keyof typeof ROUTES;

/** What must never leave an entry: the secrets (both kinds of credential) and the code. */
const NEVER_SHOWN = [SECRETS.TWILIO_AUTH_TOKEN, API_KEY.TWILIO_API_SECRET, ACTION_CODE];

/** One entry on one major, with its own fake. */
interface Pair {
  entry: EntryName;
  major: Major;
  fake: FakeTwilio;
  /** Loads the entry anew: another container, with its own memory (and `api.cache` when given, for the actions). */
  load(options?: { cache?: ActionCache }): Promise<(request?: Partial<CodeRequest>) => Promise<CodeOutcome>>;
  /** Sends one code to Brazil through a newly loaded entry. */
  send(request?: Partial<CodeRequest>): Promise<CodeOutcome>;
}

const PAIRS = ENTRIES.flatMap((entry) => MAJORS.map((major) => ({ entry, major })));
const ACTIONS = PAIRS.filter(({ entry }) => entry !== 'hook');

/**
 * Runs `check` for each entry on each major at once, each pair with its own fake on its own edge:
 * what it sends, everything it answers and logs is checked for secrets, the code and the unmasked
 * number; then the pair waits until nothing is in flight to its fake, and the fake stops, failing
 * on any contract violation. Fails naming every pair that failed.
 */
async function everyPair(check: (pair: Pair) => Promise<void>, pairs: readonly { entry: EntryName; major: Major }[] = PAIRS): Promise<void> {
  const results = await Promise.allSettled(
    pairs.map(async ({ entry, major }) => {
      const { fake, secrets: edge } = await startFakeOnOwnEdge();
      try {
        const load: Pair['load'] = async (options = {}) => {
          const run = await loadCodeEntry(entry, twilioPackage(major), { globals: SHORTEST_WAITS, ...options });
          return async (request = {}) => {
            const outcome = await run({ recipient: BRAZIL, code: ACTION_CODE, ...request, secrets: { ...(request.secrets ?? ROUTES.from.secrets), ...edge } });
            expect(outcome.logs).toHaveLength(1);
            expect(outcome.logs[0]?.length).toBeLessThanOrEqual(MAX_LOG_LINE_LENGTH);
            expectNoSecrets([outcome.raw, outcome.logs], NEVER_SHOWN);
            expectNumbersMasked([outcome.raw, outcome.logs], [BRAZIL]);
            return outcome;
          };
        };
        await check({ entry, major, fake, load, send: async (request) => (await load())(request) });
        await untilSettled(fake);
      } finally {
        await fake.stop();
      }
    }),
  );
  const failures = results.flatMap((result, index) => (result.status === 'rejected' ? [`${pairs[index]?.entry} on ${pairs[index]?.major}: ${String((result.reason as Error)?.message ?? result.reason)}`] : []));
  if (failures.length > 0) throw new Error(`${failures.length} of ${pairs.length} failed:\n\n${failures.join('\n\n')}`);
}

/** The requests the fake received, one word each: `whatsapp 201`, `read 200`, `sms 201`, `verify whatsapp 400`, `whatsapp hang`. */
function wire(fake: FakeTwilio): string[] {
  return fake.requests.map((request) => {
    if (request.method === 'GET') return `read ${request.outcome}`;
    if (request.path.endsWith('/Verifications')) return `verify ${request.form.Channel} ${request.outcome}`;
    return `${request.form.To?.startsWith('whatsapp:') ? 'whatsapp' : 'sms'} ${request.outcome}`;
  });
}

/** The messages Twilio accepted (created), WhatsApp and SMS. */
const accepted = (fake: FakeTwilio) => fake.requests.filter((request) => request.method === 'POST' && typeof request.outcome === 'number' && request.outcome < 300);

/** The answer of an entry that delivered, as each entry shows it; the hook's envelope carries the same. */
function expectDelivered(pair: Pair, outcome: CodeOutcome, expected: { channel: string; api: string; fallbackReason?: string | RegExp }): void {
  const fallbackReason = expected.fallbackReason === undefined ? undefined : typeof expected.fallbackReason === 'string' ? expected.fallbackReason : expect.stringMatching(expected.fallbackReason);
  expect(outcome).toMatchObject({ delivered: true, channel: expected.channel, api: expected.api, fallbackReason, sid: expect.stringMatching(/^(SM|VE)[0-9a-f]{32}$/) });
  if (pair.entry === 'hook') {
    expect(outcome.raw).toEqual({
      status: 'success',
      data: { api: expected.api, channel: expected.channel, sid: outcome.sid, ...(fallbackReason === undefined ? {} : { fallbackReason }) },
    });
  }
}

/** The answer of an entry that did not deliver, permanent: the hook's error, the action's throw, the provider's drop. */
function expectRefused(pair: Pair, outcome: CodeOutcome, message: RegExp): void {
  expect(outcome).toMatchObject({ delivered: false, transient: false, message: expect.stringMatching(message) });
  expect(outcome.logs[0]).toMatch(/^twilio-phone-message: failed sms to \+5511\*\*\*4321 /);
  if (pair.entry === 'custom-phone-provider') expect(outcome.raw).toEqual([{ method: 'drop', reason: outcome.message }]);
}

const twilioError = (code: number): FakeFault => ({ kind: 'twilio-error', code });

describe('a one-time code to a WhatsApp country, through each entry on the real twilio 4 and 6 over HTTPS', () => {
  interface Row {
    route: RouteName;
    /** The account beyond the route's sender: recipients, statuses, faults. */
    setUp?: (fake: FakeTwilio) => void;
    /** Without the route's WhatsApp sender. */
    noSender?: true;
    wire: string[];
    answer: { channel: 'whatsapp' | 'sms'; api: 'messaging' | 'verify'; fallbackReason?: string | RegExp };
  }

  describe('goes on WhatsApp', () => {
    /** What WhatsApp carries: the approved template, the code as its variable 1, valid as long as Auth0's code. */
    const template = { ContentSid: CONTENT_SID, ContentVariables: JSON.stringify({ 1: ACTION_CODE }), ValidityPeriod: '300' };
    it.each<[string, Row & { created: Record<string, string> }]>([
      [
        'from TWILIO_WHATSAPP_FROM, with the approved template and the code as its variable 1, the watch ending when WhatsApp reports it delivered',
        {
          route: 'from',
          setUp: (fake) => fake.whatsapp.recipient(BRAZIL, { statuses: ['delivered'] }),
          created: { To: `whatsapp:${BRAZIL}`, From: `whatsapp:${WHATSAPP_FROM}`, ...template },
          wire: ['whatsapp 201', 'read 200'],
          answer: { channel: 'whatsapp', api: 'messaging' },
        },
      ],
      [
        "through the Messaging Service's WhatsApp sender, with the approved template, read after sent",
        {
          route: 'service',
          setUp: (fake) => fake.whatsapp.recipient(BRAZIL, { statuses: ['sent', 'read'] }),
          created: { To: `whatsapp:${BRAZIL}`, MessagingServiceSid: MESSAGING_SERVICE_SID, ...template },
          wire: ['whatsapp 201', 'read 200', 'read 200'],
          answer: { channel: 'whatsapp', api: 'messaging' },
        },
      ],
      [
        "through Verify's WhatsApp channel with Auth0's code as the custom code, and no status to read",
        { route: 'verify', created: { To: BRAZIL, Channel: 'whatsapp', CustomCode: ACTION_CODE, Locale: 'en' }, wire: ['verify whatsapp 201'], answer: { channel: 'whatsapp', api: 'verify' } },
      ],
    ])('%s', async (_title, row) => {
      await everyPair(async (pair) => {
        ROUTES[row.route].sender(pair.fake);
        row.setUp?.(pair.fake);
        const outcome = await pair.send({ secrets: ROUTES[row.route].secrets });
        expect(wire(pair.fake)).toEqual(row.wire);
        expect(pair.fake.requests[0]?.form).toEqual(row.created);
        expectDelivered(pair, outcome, row.answer);
        if (row.route !== 'verify') expect(pair.fake.messages.list().map((message) => message.body)).toEqual([`${ACTION_CODE} is your verification code. For your security, do not share this code.`]);
      });
    });
  });

  describe('falls back to SMS', () => {
    it.each<[string, Row]>([
      [
        'when Twilio refuses the WhatsApp request: no such WhatsApp sender (63007)',
        { route: 'from', noSender: true, setUp: (fake) => fake.whatsapp.recipient(BRAZIL), wire: ['whatsapp 400', 'sms 201'], answer: { channel: 'sms', api: 'messaging', fallbackReason: /^no WhatsApp sender .*\(63007\)$/ } },
      ],
      [
        "when Twilio refuses the template's variables (21656)",
        {
          route: 'from',
          setUp: (fake) => {
            fake.whatsapp.recipient(BRAZIL);
            fake.script(twilioError(21656));
          },
          wire: ['whatsapp 400', 'sms 201'],
          answer: { channel: 'sms', api: 'messaging', fallbackReason: /^the template's variables were refused .*\(21656\)$/ },
        },
      ],
      [
        "through Verify's SMS when WhatsApp is turned off on the Verify service (60223)",
        {
          route: 'verify',
          setUp: (fake) => fake.whatsapp.verify(VERIFY_SID, 'disabled'),
          wire: ['verify whatsapp 400', 'verify sms 201'],
          answer: { channel: 'sms', api: 'verify', fallbackReason: 'WhatsApp is turned off on the Verify service (60223)' },
        },
      ],
      [
        "through Verify's SMS when WhatsApp is not set up on the Verify service (68008)",
        { route: 'verify', noSender: true, wire: ['verify whatsapp 400', 'verify sms 201'], answer: { channel: 'sms', api: 'verify', fallbackReason: 'WhatsApp is not set up on the Verify service (68008)' } },
      ],
      [
        'when the status read back says failed: not on WhatsApp (63003)',
        { route: 'from', wire: ['whatsapp 201', 'read 200', 'sms 201'], answer: { channel: 'sms', api: 'messaging', fallbackReason: 'not on WhatsApp (63003)' } },
      ],
      [
        'through the Messaging Service when the status read back says undelivered (63024)',
        {
          route: 'service',
          setUp: (fake) => fake.whatsapp.recipient(BRAZIL, { statuses: ['sent', { status: 'undelivered', errorCode: 63024 }] }),
          wire: ['whatsapp 201', 'read 200', 'read 200', 'sms 201'],
          answer: { channel: 'sms', api: 'messaging', fallbackReason: 'not a valid WhatsApp recipient (63024)' },
        },
      ],
      [
        'when WhatsApp keeps answering 503, after its retries',
        {
          route: 'from',
          setUp: (fake) => {
            fake.whatsapp.recipient(BRAZIL);
            fake.script(...Array<FakeFault>(4).fill({ kind: 'http-status', status: 503 }));
          },
          wire: [...Array<string>(4).fill('whatsapp 503'), 'sms 201'],
          answer: { channel: 'sms', api: 'messaging', fallbackReason: /\(20503\)$/ },
        },
      ],
      [
        'when WhatsApp keeps answering a gateway page, after its retries',
        {
          route: 'from',
          setUp: (fake) => {
            fake.whatsapp.recipient(BRAZIL);
            fake.script(...Array<FakeFault>(4).fill({ kind: 'gateway', status: 503, body: 'html' }));
          },
          wire: [...Array<string>(4).fill('whatsapp 503'), 'sms 201'],
          answer: { channel: 'sms', api: 'messaging', fallbackReason: 'no answer from Twilio in time for WhatsApp' },
        },
      ],
    ])('%s', async (_title, row) => {
      await everyPair(async (pair) => {
        if (row.noSender !== true) ROUTES[row.route].sender(pair.fake);
        row.setUp?.(pair.fake);
        const outcome = await pair.send({ secrets: ROUTES[row.route].secrets });
        expect(wire(pair.fake)).toEqual(row.wire);
        expectDelivered(pair, outcome, row.answer);
        expect(outcome.logs[0]).toMatch(/^twilio-phone-message: sent sms to \+5511\*\*\*4321 via \w+ sid=\w+ attempts=\d+ ms=\d+ after whatsapp: /);
        // The SMS carries Auth0's text, from the route's SMS sender.
        const sms = pair.fake.requests.at(-1)?.form;
        if (row.route === 'verify') expect(sms).toMatchObject({ To: BRAZIL, Channel: 'sms', CustomCode: ACTION_CODE });
        else expect(sms).toEqual({ To: BRAZIL, ...(row.route === 'from' ? { From: SECRETS.TWILIO_PHONE_NUMBER } : { MessagingServiceSid: MESSAGING_SERVICE_SID }), Body: `Your Acme verification code is ${ACTION_CODE}`, ValidityPeriod: '300' });
      });
    });

    it('within the 10 s deadline when WhatsApp never answers, twice', async () => {
      await everyPair(async (pair) => {
        ROUTES.from.sender(pair.fake).recipient(BRAZIL);
        pair.fake.script({ kind: 'hang' }, { kind: 'hang' });
        const started = Date.now();
        const outcome = await pair.send();
        const tookMs = Date.now() - started;
        expect(wire(pair.fake)).toEqual(['whatsapp hang', 'whatsapp hang', 'sms 201']);
        expectDelivered(pair, outcome, { channel: 'sms', api: 'messaging', fallbackReason: 'no answer from Twilio in time for WhatsApp' });
        // The sender's own clock says it answered within its deadline; the wall clock, generously, agrees.
        expect(Number(/ ms=(\d+) /.exec(outcome.logs[0] ?? '')?.[1])).toBeLessThan(SEND_DEADLINE_MS);
        expect(tookMs).toBeLessThan(SEND_DEADLINE_MS + 5_000);
        // The attempts given up were closed.
        await untilFakeHolds(pair.fake, 0);
      });
    });
  });

  describe('is not sent again by SMS', () => {
    it.each<[string, number, RegExp]>([
      ['after Twilio refused the credentials (20003): SMS would carry the same', 20003, /error 20003 \(HTTP 401\)/],
      ['after Twilio found the number invalid (21211): SMS would go to the same', 21211, /error 21211 \(HTTP 400\).*'To' number whatsapp:\+5511\*\*\*4321 /],
    ])('%s, and the error is reported as it is', async (_title, code, message) => {
      await everyPair(async (pair) => {
        ROUTES.from.sender(pair.fake).recipient(BRAZIL);
        pair.fake.script(twilioError(code));
        const outcome = await pair.send();
        expect(wire(pair.fake)).toEqual([`whatsapp ${code === 20003 ? 401 : 400}`]);
        expectRefused(pair, outcome, message);
      });
    });

    it('when Twilio accepted the WhatsApp message (201) but the rest of its answer never came: the message may be out', async () => {
      await everyPair(async (pair) => {
        ROUTES.from.sender(pair.fake).recipient(BRAZIL, { statuses: ['delivered'] });
        pair.fake.script({ kind: 'stall-after-headers' });
        const outcome = await pair.send();
        expect(wire(pair.fake)).toEqual(['whatsapp stall']);
        expectRefused(pair, outcome, /^Twilio accepted the request \(HTTP 201\) but its body did not come in time after 1 attempt; the message may have been sent\. Check the Twilio Console logs\.$/);
        expect(pair.fake.messages.list().map((message) => message.to)).toEqual([`whatsapp:${BRAZIL}`]);
        await untilFakeHolds(pair.fake, 0);
      });
    });

    it('when Twilio accepted the WhatsApp message but its answer cannot be read: the message may be out, as the SMS path says of the same answer', async () => {
      await everyPair(async (pair) => {
        ROUTES.from.sender(pair.fake).recipient(BRAZIL, { statuses: ['delivered'] });
        pair.fake.script({ kind: 'malformed-json' });
        const outcome = await pair.send();
        expect(wire(pair.fake)).toEqual(['whatsapp 201']);
        expectRefused(pair, outcome, /not JSON .*the message may have been sent\. Check the Twilio Console logs/);
        expect(pair.fake.messages.list().map((message) => message.to)).toEqual([`whatsapp:${BRAZIL}`]);
      });
    });

    it('when the message is slow: still sent when the watch ends, it counts as delivered, and the next code, asked while it has not arrived, goes by SMS', async () => {
      await everyPair(async (pair) => {
        ROUTES.from.sender(pair.fake).recipient(BRAZIL, { statuses: ['sent'] });
        const send = await pair.load();
        const first = await send();
        expectDelivered(pair, first, { channel: 'whatsapp', api: 'messaging' });
        expect(accepted(pair.fake)).toHaveLength(1);
        expect(wire(pair.fake).filter((request) => request.startsWith('read'))).not.toHaveLength(0);

        pair.fake.requests.length = 0;
        const next = await send();
        expect(wire(pair.fake)).toEqual(['read 200', 'sms 201']);
        expectDelivered(pair, next, { channel: 'sms', api: 'messaging', fallbackReason: 'the last code sent on WhatsApp was not delivered' });
      });
    });
  });

  describe('is refused before any request when WHATSAPP_COUNTRIES lacks what its route needs', () => {
    it.each<[string, Record<string, string>, RegExp]>([
      ['the template', { ...SECRETS, WHATSAPP_COUNTRIES: 'BR', TWILIO_WHATSAPP_FROM: WHATSAPP_FROM }, /WHATSAPP_COUNTRIES is set but TWILIO_WHATSAPP_CONTENT_SID is not/],
      ['a sender', { ...SECRETS, WHATSAPP_COUNTRIES: 'BR', TWILIO_WHATSAPP_CONTENT_SID: CONTENT_SID }, /WHATSAPP_COUNTRIES is set but no WhatsApp sender is: set TWILIO_WHATSAPP_FROM/],
    ])('without %s, naming the secret', async (_what, secrets, message) => {
      await everyPair(async (pair) => {
        const outcome = await pair.send({ secrets });
        expect(pair.fake.requests).toEqual([]);
        expectRefused(pair, outcome, message);
      });
    });
  });

  describe('remembers a number whose WhatsApp failed', () => {
    it('in the loaded entry: its next code goes straight to SMS, saying why', async () => {
      await everyPair(async (pair) => {
        ROUTES.from.sender(pair.fake);
        const send = await pair.load();
        expectDelivered(pair, await send(), { channel: 'sms', api: 'messaging', fallbackReason: 'not on WhatsApp (63003)' });
        pair.fake.requests.length = 0;
        const next = await send({ purpose: 'enrollment' });
        expect(wire(pair.fake)).toEqual(['sms 201']);
        expectDelivered(pair, next, { channel: 'sms', api: 'messaging', fallbackReason: 'earlier: not on WhatsApp (63003)' });
        expect(next.logs[0]).toMatch(/ after whatsapp: earlier: not on WhatsApp \(63003\)$/);
      });
    });

    it('but not a failure of the setup (no WhatsApp sender, 63007): once it is fixed, the next code goes on WhatsApp', async () => {
      await everyPair(async (pair) => {
        pair.fake.whatsapp.recipient(BRAZIL, { statuses: ['delivered'] });
        const send = await pair.load();
        expectDelivered(pair, await send(), { channel: 'sms', api: 'messaging', fallbackReason: /\(63007\)$/ });
        ROUTES.from.sender(pair.fake);
        pair.fake.requests.length = 0;
        expectDelivered(pair, await send(), { channel: 'whatsapp', api: 'messaging' });
        expect(wire(pair.fake)).toEqual(['whatsapp 201', 'read 200']);
      });
    });

    it("across containers, in the action's api.cache, which holds no digits of the number", async () => {
      await everyPair(async (pair) => {
        ROUTES.from.sender(pair.fake);
        const cache = actionCache();
        const first = await (await pair.load({ cache }))();
        expectDelivered(pair, first, { channel: 'sms', api: 'messaging', fallbackReason: 'not on WhatsApp (63003)' });
        // Another container: an empty memory of its own, the same cache.
        pair.fake.requests.length = 0;
        const next = await (await pair.load({ cache }))();
        expect(wire(pair.fake)).toEqual(['sms 201']);
        expectDelivered(pair, next, { channel: 'sms', api: 'messaging', fallbackReason: 'earlier: not on WhatsApp (63003)' });

        const values = [...cache.values.values()];
        expect(values).toHaveLength(1);
        const windows = Array.from({ length: BRAZIL.length - 4 }, (_, at) => BRAZIL.slice(1 + at, 5 + at));
        // The minute each record was stored, in base 36, aside: every other character is the HMAC's or Twilio's code.
        const stored = (values[0] ?? '').replace(/@[0-9a-z]+/g, '');
        expect(windows.filter((digits) => stored.includes(digits))).toEqual([]);
        expectNumbersMasked(values, [BRAZIL]);
        // A third container without the cache knows nothing: WhatsApp is tried again.
        pair.fake.requests.length = 0;
        await (await pair.load())();
        expect(wire(pair.fake)).toEqual(['whatsapp 201', 'read 200', 'sms 201']);
      }, ACTIONS);
    });
  });

  it("logs Auth0's correlation ID in the action's line, one line of at most 256 characters", async () => {
    await everyPair(async (pair) => {
      ROUTES.from.sender(pair.fake);
      const outcome = await pair.send({ correlationId: CORRELATION_ID });
      expect(outcome.logs).toEqual([
        expect.stringMatching(new RegExp(`^twilio-phone-message: sent sms to \\+5511\\*\\*\\*4321 via messaging sid=SM[0-9a-f]{32} attempts=2 ms=\\d+ cid=${CORRELATION_ID} after whatsapp: not on WhatsApp \\(63003\\)$`)),
      ]);
    }, ACTIONS);
  });
});
