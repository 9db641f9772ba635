import { CacheBudget, CACHE_SHARES } from '../../src/core/cache-budget';
import type { MessageStatusResource } from '../../src/core/twilio-module';
import { rememberWhatsApp, whatsappMemory, whatsappStanding, type WhatsAppRecord, type WhatsAppResult } from '../../src/core/whatsapp-memory';
import { SECRETS } from '../fixtures/values';
import { memoryCache, shareBytes, shareItems } from '../helpers/cache-shares';
import { twilioRestError } from '../helpers/mock-twilio';

// What the sender remembers of a number's WhatsApp (whatsapp-memory.ts) on its own: what the
// next code of a number learns from it, what each result of a code leaves in it, and how its
// records travel through Auth0's cache to a container that has none of its own.

const NUMBER = '+5511987654321';
const PENDING_SID = 'SM0123456789abcdef0123456789abcdef';
const KEY = SECRETS.TWILIO_AUTH_TOKEN;

/** A memory of a warm container with a cache, and another container's view of the same cache. */
function memories(now: () => number = Date.now) {
  const cache = memoryCache();
  const share = () => new CacheBudget(cache).share('whatsapp');
  const memory = whatsappMemory(KEY, share(), new Map(), now);
  const elsewhere = () => whatsappMemory(KEY, share(), new Map(), now);
  return { cache, memory, elsewhere };
}

/** A status read that answers `resource`, counting its reads. */
function reads(resource: MessageStatusResource | Error) {
  return jest.fn(async (_sid: string) => {
    if (resource instanceof Error) throw resource;
    return resource;
  });
}

describe("a number's standing before its next code", () => {
  it('is nothing for a number never seen: WhatsApp is tried, and nothing is read', async () => {
    const { memory } = memories();
    const read = reads({ status: 'failed', errorCode: 63003 });
    expect(await whatsappStanding(memory, NUMBER, read)).toBeUndefined();
    expect(read).not.toHaveBeenCalled();
  });

  it('is the earlier failure of a number WhatsApp could not reach, with or without its code, read without a request', async () => {
    const { memory } = memories();
    const read = reads({ status: 'delivered', errorCode: null });
    memory.set(NUMBER, { kind: 'undeliverable', twilioCode: 63003 });
    expect(await whatsappStanding(memory, NUMBER, read)).toBe('earlier: not on WhatsApp (63003)');
    memory.set(NUMBER, { kind: 'undeliverable', twilioCode: undefined });
    expect(await whatsappStanding(memory, NUMBER, read)).toBe('earlier: WhatsApp failed');
    expect(read).not.toHaveBeenCalled();
  });

  it('reads the last code back: delivered since, the number is forgotten and WhatsApp tried', async () => {
    const { memory } = memories();
    memory.set(NUMBER, { kind: 'pending', sid: PENDING_SID });
    const read = reads({ status: 'delivered', errorCode: null });
    expect(await whatsappStanding(memory, NUMBER, read)).toBeUndefined();
    expect(read).toHaveBeenCalledWith(PENDING_SID);
    expect(memory.get(NUMBER)).toBeUndefined();
  });

  it.each<[string, MessageStatusResource | Error, string, WhatsAppRecord | undefined]>([
    ['failed for the number', { status: 'undelivered', errorCode: 63003 }, 'earlier: not on WhatsApp (63003)', { kind: 'undeliverable', twilioCode: 63003 }],
    ['failed without a code', { status: 'failed', errorCode: null }, 'earlier: WhatsApp reported the message failed', { kind: 'undeliverable', twilioCode: undefined }],
    ["failed for the account's setup", { status: 'failed', errorCode: 63016 }, 'earlier: WhatsApp wants an approved template (TWILIO_WHATSAPP_CONTENT_SID) (63016)', undefined],
    ['still on its way', { status: 'sent', errorCode: null }, 'the last code sent on WhatsApp was not delivered', { kind: 'undeliverable', twilioCode: undefined }],
    ['unreadable', twilioRestError(503, 20503, 'unavailable'), 'the last code sent on WhatsApp was not delivered', { kind: 'undeliverable', twilioCode: undefined }],
  ])('reads the last code back: %s, this code goes by SMS, saying why', async (_case, resource, reason, remembered) => {
    const { memory } = memories();
    memory.set(NUMBER, { kind: 'pending', sid: PENDING_SID });
    expect(await whatsappStanding(memory, NUMBER, reads(resource))).toBe(reason);
    expect(memory.get(NUMBER)).toEqual(remembered);
  });
});

describe('what a code leaves in the memory', () => {
  it.each<[string, WhatsAppResult, WhatsAppRecord | undefined]>([
    ['a message still on its way: its SID, read back before the next code', { outcome: 'pending', sid: PENDING_SID }, { kind: 'pending', sid: PENDING_SID }],
    ['a refusal of the number at the create', { outcome: 'refused', twilioCode: 63024 }, { kind: 'undeliverable', twilioCode: 63024 }],
    ['a failed status of the number', { outcome: 'failed', status: 'failed', twilioCode: 63003 }, { kind: 'undeliverable', twilioCode: 63003 }],
    ['a failed status without a code', { outcome: 'failed', status: 'undelivered', twilioCode: undefined }, { kind: 'undeliverable', twilioCode: undefined }],
  ])('keeps %s', (_case, result, record) => {
    const { memory } = memories();
    rememberWhatsApp(memory, NUMBER, result);
    expect(memory.get(NUMBER)).toEqual(record);
  });

  it.each<[string, WhatsAppResult]>([
    ['a delivery', { outcome: 'delivered' }],
    ["a failed status of the account's setup", { outcome: 'failed', status: 'failed', twilioCode: 63016 }],
  ])('forgets the number after %s', (_case, result) => {
    const { memory } = memories();
    memory.set(NUMBER, { kind: 'pending', sid: PENDING_SID });
    rememberWhatsApp(memory, NUMBER, result);
    expect(memory.get(NUMBER)).toBeUndefined();
  });

  it.each<[string, WhatsAppResult]>([
    ["a refusal of the account's setup", { outcome: 'refused', twilioCode: 63007 }],
    ['a refusal without a code (an outage)', { outcome: 'refused', twilioCode: undefined }],
  ])('leaves what it knew after %s: nothing of the number was learnt', (_case, result) => {
    const { memory } = memories();
    memory.set(NUMBER, { kind: 'pending', sid: PENDING_SID });
    rememberWhatsApp(memory, NUMBER, result);
    expect(memory.get(NUMBER)).toEqual({ kind: 'pending', sid: PENDING_SID });
  });
});

describe("the memory's records in Auth0's cache", () => {
  it.each<[string, WhatsAppRecord, RegExp]>([
    ['a message of SMS on its way, its SID in 23 characters', { kind: 'pending', sid: PENDING_SID }, /^[\w-]{10}=S[\w-]{22}@[0-9a-z]+$/],
    ['an MMS on its way', { kind: 'pending', sid: 'MMfedcba9876543210fedcba9876543210' }, /^[\w-]{10}=M[\w-]{22}@[0-9a-z]+$/],
    ['a number not on WhatsApp', { kind: 'undeliverable', twilioCode: 63003 }, /^[\w-]{10}=x63003@[0-9a-z]+$/],
    ['a number WhatsApp failed without a code', { kind: 'undeliverable', twilioCode: undefined }, /^[\w-]{10}=x@[0-9a-z]+$/],
  ])('carry %s to another container, read back as it was stored', (_case, record, stored) => {
    const { cache, memory, elsewhere } = memories();
    memory.set(NUMBER, record);
    expect(shareItems(cache.values, 'whatsapp')).toEqual([expect.stringMatching(stored)]);
    expect(elsewhere().get(NUMBER)).toEqual(record);
  });

  it('read nothing from a state that is not one the memory writes', () => {
    const { cache, memory, elsewhere } = memories();
    memory.set(NUMBER, { kind: 'undeliverable', twilioCode: 63003 });
    const [key, value] = [...cache.values].find(([, text]) => text !== '') ?? ['', ''];
    const hash = value.split('=')[0];
    for (const state of ['x1234567', 'y63003', 'yx63003', 'x63003z', 'S' + 'A'.repeat(21), 'S' + 'A'.repeat(23), 'MS' + 'A'.repeat(22), 'Q' + 'A'.repeat(22), 'S' + 'A'.repeat(21) + '!']) {
      cache.values.set(key, `${hash}=${state}@${value.split('@')[1]}`);
      expect(elsewhere().get(NUMBER)).toBeUndefined();
    }
  });

  it('keep the numbers WhatsApp cannot reach before the messages on their way when the share is full, however old', () => {
    const { cache, memory, elsewhere } = memories();
    memory.set(NUMBER, { kind: 'undeliverable', twilioCode: 63003 });
    for (let n = 0; n < 300; n++) memory.set(`+55119${String(n).padStart(8, '0')}`, { kind: 'pending', sid: PENDING_SID });
    expect(shareBytes(cache.values, 'whatsapp')).toBeLessThanOrEqual(CACHE_SHARES.whatsapp.bytes);
    expect(elsewhere().get('+5511900000000')).toBeUndefined();
    expect(elsewhere().get(NUMBER)).toEqual({ kind: 'undeliverable', twilioCode: 63003 });
  });

  it('hold a record for a day from the start of the hour it was stored in, the time the cache keeps', () => {
    let now = Date.UTC(2026, 10, 30, 12, 30);
    const { memory, elsewhere } = memories(() => now);
    memory.set(NUMBER, { kind: 'undeliverable', twilioCode: 63003 });
    now = Date.UTC(2026, 11, 1, 11, 59);
    expect(elsewhere().get(NUMBER)).toEqual({ kind: 'undeliverable', twilioCode: 63003 });
    expect(memory.get(NUMBER)).toEqual({ kind: 'undeliverable', twilioCode: 63003 });
    now = Date.UTC(2026, 11, 1, 12, 0);
    expect(elsewhere().get(NUMBER)).toBeUndefined();
    // The warm container kept the minute: its own record holds until then.
    expect(memory.get(NUMBER)).toEqual({ kind: 'undeliverable', twilioCode: 63003 });
    now = Date.UTC(2026, 11, 1, 12, 30);
    expect(memory.get(NUMBER)).toBeUndefined();
  });
});
