import { CacheBudget } from '../../src/core/cache-budget';
import type { E164 } from '../../src/core/phone';
import { lookupSignals } from '../../src/core/screen/lookup';
import { lookupMemory, LOOKUP_MEMORY_MS, type LookupSignals } from '../../src/core/screen/lookup-memory';
import { admit, velocityCounts, VELOCITY_WINDOW_MS } from '../../src/core/screen/velocity-counts';
import { SECRETS } from '../fixtures/values';
import { memoryCache, shareItems } from '../helpers/cache-shares';
import { lookupAnswer } from '../helpers/mock-twilio';

// What the pumping shield reads of Lookup's answers and keeps of them and of the velocity counts
// (screen/lookup.ts, lookup-memory.ts, velocity-counts.ts), on their own: the answer's signals
// read strictly, and each record carried through Auth0's cache to a container without one.

const NUMBER = '+15550105310' as E164;
const KEY = SECRETS.TWILIO_AUTH_TOKEN;
const MINUTE_MS = 60_000;
const NOW = Date.UTC(2026, 11, 1, 9, 30);

describe("the signals of Lookup's answer", () => {
  it('are the line type, the Fraud Guard block and the pumping risk score', () => {
    expect(lookupSignals(lookupAnswer(NUMBER, { lineType: 'sharedCost', blocked: true, riskScore: 100 }))).toEqual({
      signals: { lineType: 'sharedCost', blocked: true, riskScore: 100 },
      error: undefined,
    });
  });

  it("leave out a package that answered with its error code, and say which error when neither answered", () => {
    const answer = lookupAnswer(NUMBER, { riskScore: 0 }) as { line_type_intelligence: Record<string, unknown>; sms_pumping_risk: Record<string, unknown> };
    answer.line_type_intelligence.error_code = 60606;
    expect(lookupSignals(answer)).toEqual({ signals: { lineType: undefined, blocked: false, riskScore: 0 }, error: undefined });
    answer.sms_pumping_risk.error_code = 60607;
    expect(lookupSignals(answer)).toEqual({ signals: { lineType: undefined, blocked: undefined, riskScore: undefined }, error: 'package error 60606' });
    answer.line_type_intelligence.error_code = null;
    answer.line_type_intelligence.type = undefined;
    expect(lookupSignals(answer).error).toBe('package error 60607');
  });

  it.each([null, 'not an object', {}, { line_type_intelligence: null, sms_pumping_risk: 7 }])('are none of an answer without the packages (%p)', (answer) => {
    expect(lookupSignals(answer)).toEqual({ signals: { lineType: undefined, blocked: undefined, riskScore: undefined }, error: 'package error none' });
  });

  it('take only a line type of up to 20 letters, a true or false block, and a whole score from 0 to 100', () => {
    const read = (lineType: unknown, blocked: unknown, score: unknown) =>
      lookupSignals({ line_type_intelligence: { type: lineType, error_code: null }, sms_pumping_risk: { number_blocked: blocked, sms_pumping_risk_score: score, error_code: null } }).signals;
    expect(read('a'.repeat(20), false, 0)).toEqual({ lineType: 'a'.repeat(20), blocked: false, riskScore: 0 });
    for (const [lineType, blocked, score] of [['a'.repeat(21), 'true', 101], ['', 1, -1], ['fixed line', null, 1.5], ['mobile;', 'false', '50'], [7, undefined, null]]) {
      expect(read(lineType, blocked, score)).toEqual({ lineType: undefined, blocked: undefined, riskScore: undefined });
    }
  });
});

describe("Lookup's answers kept in Auth0's cache", () => {
  /** Stores `signals` in one container, then reads them back in another that shares only the cache. */
  function carried(signals: LookupSignals, readAt = NOW) {
    const cache = memoryCache();
    const share = () => new CacheBudget(cache).share('lookup');
    lookupMemory(KEY, share(), new Map(), () => NOW).set(NUMBER, signals);
    return { items: shareItems(cache.values, 'lookup'), read: lookupMemory(KEY, share(), new Map(), () => readAt).get(NUMBER) };
  }

  it.each<LookupSignals>([
    { lineType: 'mobile', blocked: true, riskScore: 12 },
    { lineType: 'premium', blocked: false, riskScore: 0 },
    { lineType: undefined, blocked: undefined, riskScore: undefined },
  ])('are read back as they were stored: %p', (signals) => {
    expect(carried(signals).read).toEqual(signals);
  });

  it('take a few characters: the line type, the block as 1 or 0, the score, and the hour', () => {
    expect(carried({ lineType: 'mobile', blocked: true, riskScore: 12 }).items).toEqual([
      expect.stringMatching(new RegExp(`^[\\w-]{10}=mobile~1~12@${Math.floor(NOW / (60 * MINUTE_MS)).toString(36)}$`)),
    ]);
  });

  it('hold a day from the start of the hour they were stored in', () => {
    const signals = { lineType: 'mobile', blocked: false, riskScore: 5 };
    const hour = NOW - (NOW % (60 * MINUTE_MS));
    expect(carried(signals, hour + LOOKUP_MEMORY_MS - 1).read).toEqual(signals);
    expect(carried(signals, hour + LOOKUP_MEMORY_MS).read).toBeUndefined();
  });
});

describe("the velocity counts kept in Auth0's cache", () => {
  const block = (n: number) => `+44770090${String(n).padStart(3, '0')}` as E164;

  it("carry each number's last three digits and the minutes since it was counted, read back to the minute", () => {
    const cache = memoryCache();
    const share = () => new CacheBudget(cache).share('velocity');
    let now = NOW;
    const mine = velocityCounts(KEY, share(), new Map(), () => now);
    admit(mine, block(1), 10, now);
    now += 5 * MINUTE_MS + 20_000;
    admit(mine, block(2), 10, now);
    expect(shareItems(cache.values, 'velocity')).toEqual([expect.stringMatching(new RegExp(`^[\\w-]{10}=0015\\.0020@${Math.floor(now / MINUTE_MS).toString(36)}$`))]);
    const elsewhere = velocityCounts(KEY, share(), new Map(), () => now).get(block(0).slice(0, -3));
    expect(elsewhere).toEqual(new Map([['001', Math.floor(now / MINUTE_MS) * MINUTE_MS - 5 * MINUTE_MS], ['002', Math.floor(now / MINUTE_MS) * MINUTE_MS]]));
  });

  it("merge a container's counts with the cache's, each number at the first time either saw it", () => {
    const cache = memoryCache();
    const share = () => new CacheBudget(cache).share('velocity');
    let now = NOW;
    const mine = velocityCounts(KEY, share(), new Map(), () => now);
    const theirs = velocityCounts(KEY, share(), new Map(), () => now);
    admit(mine, block(1), 10, now);
    now += MINUTE_MS;
    admit(theirs, block(2), 10, now);
    admit(theirs, block(1), 10, now);
    expect(mine.get(block(0).slice(0, -3))).toEqual(new Map([['001', NOW], ['002', NOW + MINUTE_MS]]));
    now += MINUTE_MS;
    expect(admit(mine, block(3), 2, now)).toEqual({ admitted: false, counted: 2 });
  });

  it('read nothing from a block whose numbers are not three digits and a time', () => {
    const cache = memoryCache();
    const share = () => new CacheBudget(cache).share('velocity');
    admit(velocityCounts(KEY, share(), new Map(), () => NOW), block(1), 10, NOW);
    const [key, value] = [...cache.values].find(([, text]) => text !== '') ?? ['', ''];
    const [hash, time] = [value.split('=')[0], value.split('@')[1]];
    for (const numbers of ['01', '0010.00a', '001abc', '0010.', 'x010']) {
      cache.values.set(key, `${hash}=${numbers}@${time}`);
      expect(velocityCounts(KEY, share(), new Map(), () => NOW).get(block(0).slice(0, -3))).toBeUndefined();
    }
  });

  it('count a number only while it is within the window', () => {
    const counts = velocityCounts(KEY, undefined, new Map(), () => NOW);
    admit(counts, block(1), 10, NOW);
    expect(admit(counts, block(2), 1, NOW + VELOCITY_WINDOW_MS - 1)).toEqual({ admitted: false, counted: 1 });
    expect(admit(counts, block(2), 1, NOW + VELOCITY_WINDOW_MS)).toEqual({ admitted: true, counted: 0 });
  });
});
