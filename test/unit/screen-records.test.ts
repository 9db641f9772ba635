import { CacheBudget } from '../../src/core/cache-budget';
import { readConfig } from '../../src/core/config';
import { Deadline } from '../../src/core/deadline';
import { parseMessage, type PhoneMessageInput } from '../../src/core/message';
import { PHONE_NUMBER_METADATA } from '../../src/core/number-metadata';
import type { ScreenContext } from '../../src/core/screen/check';
import { parseAllowedNumberTypes } from '../../src/core/screen/settings';
import type { E164 } from '../../src/core/phone';
import { lookupSignals, twilioLookup } from '../../src/core/screen/lookup';
import { lookupMemory, LOOKUP_MEMORY_MS, type LookupSignals } from '../../src/core/screen/lookup-memory';
import { admit, velocityCounts, VELOCITY_WINDOW_MS } from '../../src/core/screen/velocity-counts';
import { SECRETS } from '../fixtures/values';
import { memoryCache, shareItems } from '../helpers/cache-shares';
import { lookupAnswer } from '../helpers/mock-twilio';
import { enrollmentInput } from '../helpers/enrollment-input';

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

  it('read nothing from a state that is not one they write', () => {
    const cache = memoryCache();
    const share = () => new CacheBudget(cache).share('lookup');
    lookupMemory(KEY, share(), new Map(), () => NOW).set(NUMBER, { lineType: 'mobile', blocked: false, riskScore: 5 });
    const stored = [...cache.values].filter(([, text]) => text !== '');
    expect(stored).toHaveLength(1);
    for (const state of ['mobile', 'mobile~0', '~~mobile~0~5', 'mobile~0~5~', 'mobile~0~1000', 'mobile~2~5', 'mobile1~0~5']) {
      for (const [key, value] of stored) cache.values.set(key, value.replace(/=.*@/, `=${state}@`));
      expect(lookupMemory(KEY, share(), new Map(), () => NOW).get(NUMBER)).toBeUndefined();
    }
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
    // 36 minutes and more take two characters.
    now += 45 * MINUTE_MS;
    admit(mine, block(3), 10, now);
    expect(shareItems(cache.values, 'velocity')).toEqual([expect.stringMatching(/=0011e\.00219\.0030@/)]);
    expect(velocityCounts(KEY, share(), new Map(), () => now).get(block(0).slice(0, -3))?.get('001')).toBe(Math.floor(now / MINUTE_MS) * MINUTE_MS - 50 * MINUTE_MS);
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

  it("merge a number two containers each counted without the other's count, at the earlier time, and keep the block while the later holds", () => {
    const cache = memoryCache();
    const share = () => new CacheBudget(cache).share('velocity');
    const container = new Map();
    let now = NOW;
    // Another container counts the number first; this one counts it a minute later, without the cache.
    admit(velocityCounts(KEY, share(), new Map(), () => now), block(1), 10, now);
    now += MINUTE_MS;
    admit(velocityCounts(KEY, undefined, container, () => now), block(1), 10, now);
    const counts = velocityCounts(KEY, share(), container, () => now);
    expect(counts.get(block(0).slice(0, -3))).toEqual(new Map([['001', NOW]]));
    now = NOW + VELOCITY_WINDOW_MS;
    expect(counts.get(block(0).slice(0, -3))).toEqual(new Map([['001', NOW]]));
  });

  it('read nothing from a block whose numbers are not three digits and a time', () => {
    const cache = memoryCache();
    const share = () => new CacheBudget(cache).share('velocity');
    admit(velocityCounts(KEY, share(), new Map(), () => NOW), block(1), 10, NOW);
    const [key, value] = [...cache.values].find(([, text]) => text !== '') ?? ['', ''];
    const [hash, time] = [value.split('=')[0], value.split('@')[1]];
    for (const numbers of ['01', '0010.00a', '001abc', '0010.', 'x010', 'x0010']) {
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

describe('the Lookup check on its own', () => {
  const ENROLLMENT = enrollmentInput(NUMBER);

  /** The part of a send's screen the Lookup check uses, Lookup's answers remembered as `known` says. */
  function screenOf(secrets: Record<string, string>, input: Partial<PhoneMessageInput> = {}, known?: LookupSignals) {
    const config = readConfig({ ...SECRETS, ...secrets }, () => require(PHONE_NUMBER_METADATA));
    const message = parseMessage({ ...ENROLLMENT, ...input });
    const lookups = lookupMemory(KEY, undefined, new Map());
    if (known !== undefined) lookups.set(message.to, known);
    const note = jest.fn();
    const lookUp = jest.fn(async (): Promise<unknown> => lookupAnswer(message.to, {}));
    const context = { config, message, lookups, note, lookUp, deadline: new Deadline(10_000) } as unknown as ScreenContext;
    return { context, note, lookUp };
  }

  it("connects ahead to Lookup exactly when it will ask: a code it screens, of a number it does not remember", () => {
    expect(twilioLookup.connectsTo?.(screenOf({ TWILIO_LOOKUP: 'enrollment' }).context)).toBe('lookups');
    expect(twilioLookup.connectsTo?.(screenOf({ TWILIO_LOOKUP: 'enrollment' }, {}, { lineType: 'mobile', blocked: false, riskScore: 1 }).context)).toBeUndefined();
    expect(twilioLookup.connectsTo?.(screenOf({ TWILIO_LOOKUP: 'enrollment' }, { purpose: 'verification' }).context)).toBeUndefined();
    expect(twilioLookup.connectsTo?.(screenOf({}).context)).toBeUndefined();
  });

  it.each([
    ['a shared-cost line', { lineType: 'sharedCost' }, 'is a shared-cost line, Twilio Lookup says', 'Add shared_cost to ALLOWED_NUMBER_TYPES'],
    ['a UAN line', { lineType: 'uan' }, 'is a uan line, Twilio Lookup says', 'Add uan to ALLOWED_NUMBER_TYPES'],
    ['a pager', { lineType: 'pager' }, 'is a pager line, Twilio Lookup says', 'Add pager to ALLOWED_NUMBER_TYPES'],
    ['a number Fraud Guard blocks', { blocked: true }, 'is blocked by Verify Fraud Guard for SMS pumping, Twilio Lookup says', 'Review Console > Verify > Fraud Guard if it is not.'],
    ['a risky number', { riskScore: 81 }, 'has an SMS pumping risk score of 81 from Twilio Lookup, above TWILIO_LOOKUP_MAX_RISK (80)', 'Raise TWILIO_LOOKUP_MAX_RISK if legitimate users are refused.'],
  ])('refuses %s, saying why and what to change', async (_case, signals, why, fix) => {
    const { context } = screenOf({ TWILIO_LOOKUP: 'enrollment' }, {}, { lineType: 'mobile', blocked: false, riskScore: 0, ...signals });
    const refusal = (await Promise.resolve(twilioLookup.screen(context)).catch((error: unknown) => error)) as Error;
    expect(refusal.message).toContain(why);
    expect(refusal.message).toContain(fix);
  });

  it('notes that Lookup was not consulted when its request failed in a way of its own, and lets the code go', async () => {
    const { context, note, lookUp } = screenOf({ TWILIO_LOOKUP: 'all' }, { purpose: 'verification' });
    lookUp.mockRejectedValueOnce(new TypeError('a bug'));
    await twilioLookup.screen(context);
    expect(note).toHaveBeenCalledWith('lookup not consulted (the request failed)');
  });
});

describe('ALLOWED_NUMBER_TYPES, as tenants write it', () => {
  const read = (text: string) => parseAllowedNumberTypes(text, 'ALLOWED_NUMBER_TYPES');

  it('takes a type whatever spaces or dashes join its words', () => {
    expect([...read('premium  rate, shared - cost').allowedTypes]).toEqual(['PREMIUM_RATE', 'SHARED_COST']);
  });

  it('takes a calling code with its + in front only', () => {
    expect([...read('+882').allowedNetworks]).toEqual(['882']);
    expect(() => read('8+82')).toThrow('ALLOWED_NUMBER_TYPES lists "8+82"');
  });

  it('quotes at most 20 characters of an entry it does not know', () => {
    expect(() => read(`premium rate and ${'x'.repeat(40)}`)).toThrow('ALLOWED_NUMBER_TYPES lists "premium rate and xxx":');
  });
});
