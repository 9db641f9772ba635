import { SEND_DEADLINE_MS } from '../../src/core/send';
import { LOOKUP_BUDGET_MS } from '../../src/core/screen/lookup';
import { edgeDomain, routeTwilio } from '../../tools/fake-twilio/route';
import type { FakeFault, FakeTwilio } from '../../tools/fake-twilio/server';
import { ENTRIES, type EntryName } from '../helpers/entries';
import { SHORTEST_WAITS, startFakeOnOwnEdge, startFakeTwilio, TWILIO_MAJORS, twilioPackage, untilSettled } from '../helpers/fake-twilio';
import { expectNoSecrets, expectNumbersMasked } from '../helpers/no-secrets';
import { loadCodeEntry, type CodeOutcome, type CodeRequest } from '../helpers/whatsapp-entries';
import { ACTION_CODE, SECRETS } from '../fixtures/values';

/**
 * The pumping shield through the three built entries (the hook compiled by Auth0's compiler, both
 * actions loaded as Auth0 loads them) on the real twilio 3 to 6, over HTTPS to the fake on
 * loopback, which checks every request, Lookup's included, against Twilio's API description.
 * Each entry and major has a fake of its own, reached through an edge of its own.
 */

type Major = (typeof TWILIO_MAJORS)[number];
const PAIRS = ENTRIES.flatMap((entry) => TWILIO_MAJORS.map((major) => ({ entry, major })));

/** Mobiles of Brazil (libphonenumber-js places them; Lookup is asked of such numbers). */
const LOW_RISK = '+5511987654321';
const HIGH_RISK = '+5511987650099';
const PREMIUM_RATE = '+19005550100';
const INTERNATIONAL_NETWORK = '+882345678901';
const LOOKUP = { ...SECRETS, TWILIO_LOOKUP: 'enrollment' };

interface Pair {
  entry: EntryName;
  major: Major;
  fake: FakeTwilio;
  /** `lookups.{edge}.{region}.twilio.com`: where this pair's Lookup requests go. */
  lookupHost: string;
  /** A newly loaded entry (another container): each call sends one code. */
  load(): Promise<(request: Partial<CodeRequest>) => Promise<CodeOutcome>>;
}

/** Runs `check` for every entry on every major at once; fails naming every pair that failed. */
async function everyPair(check: (pair: Pair) => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(
    PAIRS.map(async ({ entry, major }) => {
      const { fake, secrets: edge, edge: edgeName, region } = await startFakeOnOwnEdge();
      try {
        const load: Pair['load'] = async () => {
          const run = await loadCodeEntry(entry, twilioPackage(major), { globals: SHORTEST_WAITS });
          return async (request) => {
            const outcome = await run({ recipient: LOW_RISK, code: ACTION_CODE, purpose: 'enrollment', ...request, secrets: { ...(request.secrets ?? LOOKUP), ...edge } });
            expect(outcome.logs).toHaveLength(1);
            expectNoSecrets([outcome.message, outcome.logs, outcome.raw], [SECRETS.TWILIO_AUTH_TOKEN, ACTION_CODE]);
            expectNumbersMasked([outcome.message, outcome.logs, outcome.raw], [request.recipient ?? LOW_RISK]);
            return outcome;
          };
        };
        await check({ entry, major, fake, lookupHost: `lookups.${edgeDomain(edgeName, region)}`, load });
        await untilSettled(fake);
      } finally {
        await fake.stop();
      }
    }),
  );
  const failures = results.flatMap((result, index) => (result.status === 'rejected' ? [`${PAIRS[index]?.entry} on ${PAIRS[index]?.major}: ${String(result.reason)}`] : []));
  expect(failures).toEqual([]);
}

/** What the Custom Phone Provider did with a refusal: a drop, never a retry (Auth0 would send again). */
function expectRefused(pair: Pair, outcome: CodeOutcome, layer: string): void {
  expect(outcome).toMatchObject({ delivered: false, transient: false });
  expect(outcome.logs[0]).toMatch(new RegExp(`^twilio-phone-message: refused sms to \\S+ by ${layer} `));
  if (pair.entry === 'custom-phone-provider') expect(outcome.raw).toEqual([{ method: 'drop', reason: outcome.message }]);
}

describe('the pumping shield over HTTP, in every entry on twilio 3 to 6', () => {
  it('refuses a premium-rate number and a number of an international network before any request, and never has them retried', () =>
    everyPair(async (pair) => {
      const send = await pair.load();
      expectRefused(pair, await send({ recipient: PREMIUM_RATE, secrets: SECRETS }), 'number-type');
      expectRefused(pair, await send({ recipient: INTERNATIONAL_NETWORK, secrets: SECRETS }), 'number-type');
      expect(pair.fake.requests).toEqual([]);
    }));

  it("looks an enrollment's number up once through twilio, refuses what Lookup scores high, and never looks up a verification code", () =>
    everyPair(async (pair) => {
      pair.fake.lookup.number(HIGH_RISK, { riskScore: 95 }).number(LOW_RISK, { riskScore: 5 });
      const send = await pair.load();
      expect(await send({})).toMatchObject({ delivered: true, channel: 'sms', shieldNotes: undefined });
      expect(await send({})).toMatchObject({ delivered: true });
      expect(await send({ purpose: 'verification', recipient: '+5511987650001' })).toMatchObject({ delivered: true });
      const refused = await send({ recipient: HIGH_RISK });
      expectRefused(pair, refused, 'lookup');
      expect(refused.message).toContain('has an SMS pumping risk score of 95 from Twilio Lookup, above TWILIO_LOOKUP_MAX_RISK (80); nothing was sent.');
      const lookups = pair.fake.requests.filter((request) => request.host === pair.lookupHost);
      expect(lookups.map((request) => request.path)).toEqual([
        '/v2/PhoneNumbers/%2B5511987654321?Fields=line_type_intelligence%2Csms_pumping_risk',
        '/v2/PhoneNumbers/%2B5511987650099?Fields=line_type_intelligence%2Csms_pumping_risk',
      ]);
      expect(pair.fake.requests.filter((request) => request.method === 'POST')).toHaveLength(3);
      expect(pair.fake.lookup.billed()).toEqual({ line_type_intelligence: 2, sms_pumping_risk: 2, basic: 0 });
    }));

  it.each<[string, FakeFault]>([
    ['answers 503 every time', { kind: 'http-status', status: 503 }],
    ['never answers', { kind: 'hang' }],
  ])(`sends the enrollment code within the ${SEND_DEADLINE_MS / 1000} s deadline when Lookup %s, saying it was not consulted`, (_case, fault) =>
    everyPair(async (pair) => {
      const outage = await startFakeTwilio();
      outage.failAlways(fault);
      const unroute = routeTwilio(outage.port, pair.lookupHost);
      try {
        const send = await pair.load();
        const started = Date.now();
        const outcome = await send({});
        const elapsed = Date.now() - started;
        expect(outcome).toMatchObject({ delivered: true, channel: 'sms', shieldNotes: expect.stringMatching(/^lookup not consulted \((error 20503|no answer)\)$/) });
        expect(elapsed).toBeLessThan(SEND_DEADLINE_MS);
        if (fault.kind === 'hang') expect(elapsed).toBeGreaterThanOrEqual(LOOKUP_BUDGET_MS - 50);
        expect(outage.requests.length).toBeGreaterThanOrEqual(1);
        expect(pair.fake.requests.map((request) => request.method)).toEqual(['POST']);
      } finally {
        unroute();
        outage.releaseHeldRequests();
        await outage.stop();
      }
    }));

  it("opens the connection to Lookup ahead on a cold send, beside the API's", () =>
    everyPair(async (pair) => {
      const send = await pair.load();
      await send({});
      expect([...pair.fake.servernames].sort()).toEqual([pair.lookupHost, pair.lookupHost.replace(/^lookups\./, 'api.')].sort());
    }));
});
