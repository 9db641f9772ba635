import { createHmac } from 'crypto';

/**
 * What the sender remembers of a number's last WhatsApp code, so that a user whose WhatsApp
 * failed gets the next code by SMS at once, and never a second WhatsApp that cannot arrive.
 * Numbers are kept only as a keyed hash (HMAC with the account's secret): neither the container
 * nor Auth0's cache ever holds a phone number.
 */
export type WhatsAppRecord =
  /** WhatsApp failed for this number (at the create, or in the status read back). */
  | { kind: 'undeliverable'; twilioCode: number | undefined }
  /** The last code went out on WhatsApp and was not yet delivered when the sender stopped watching. */
  | { kind: 'pending'; sid: string };

/** The part of Auth0's `api.cache` (Actions) the sender uses; the hook has none. */
export interface KeyValueCache {
  get(key: string): { value?: unknown } | undefined;
  set(key: string, value: string, options?: { ttl?: number }): unknown;
}

/** How long a number is remembered: a day, the longest Auth0's cache keeps anything. */
export const WHATSAPP_MEMORY_MS = 24 * 60 * 60 * 1000;
/** Auth0's cache takes values of at most 4 KB; the record list is cut, oldest first, below that. */
const MAX_CACHE_VALUE_LENGTH = 4_000;
/** Numbers kept in a warm container, the oldest dropped first. */
const MAX_CONTAINER_RECORDS = 1_000;
/** One cache key for every number: Auth0 keeps at most 20 entries per trigger. */
const CACHE_KEY = 'twilio-phone-message:whatsapp';
/** Characters of the HMAC kept (base64url, 96 bits): collisions are harmless and improbable. */
const HASH_LENGTH = 16;
const MINUTE_MS = 60_000;

interface Stored {
  record: WhatsAppRecord;
  /** When it was stored, in ms since the epoch. */
  at: number;
}

/** What a container remembers, by keyed hash of the number. */
export type WhatsAppRecords = Map<string, Stored>;

/** Records of the container, shared by every send it runs (a warm container runs many). */
const containerRecords: WhatsAppRecords = new Map();

/** `x63003`, `x` or a SID, then `@` and the minute it was stored in base 36. */
function encode({ record, at }: Stored): string {
  const state = record.kind === 'pending' ? record.sid : `x${record.twilioCode ?? ''}`;
  return `${state}@${Math.floor(at / MINUTE_MS).toString(36)}`;
}

function decode(text: string): Stored | undefined {
  const match = /^(?:(SM[0-9a-f]{32})|x(\d{0,6}))@([0-9a-z]{1,9})$/.exec(text);
  if (match === null) return undefined;
  const at = parseInt(match[3] ?? '', 36) * MINUTE_MS;
  if (match[1] !== undefined) return { record: { kind: 'pending', sid: match[1] }, at };
  return { record: { kind: 'undeliverable', twilioCode: match[2] ? Number(match[2]) : undefined }, at };
}

export class WhatsAppMemory {
  constructor(
    /** The HMAC key: the account's auth token or API secret, so that no one without it can test a number. */
    private readonly hashKey: string,
    private readonly cache: KeyValueCache | undefined,
    private readonly records: WhatsAppRecords = containerRecords,
    private readonly now: () => number = Date.now,
  ) {}

  recall(number: string): WhatsAppRecord | undefined {
    const hash = this.hash(number);
    const stored = this.records.get(hash) ?? this.fromCache().get(hash);
    return stored !== undefined && this.now() - stored.at < WHATSAPP_MEMORY_MS ? stored.record : undefined;
  }

  remember(number: string, record: WhatsAppRecord): void {
    this.store(this.hash(number), { record, at: this.now() });
  }

  forget(number: string): void {
    this.store(this.hash(number), undefined);
  }

  private hash(number: string): string {
    return createHmac('sha256', this.hashKey).update(number).digest('base64url').slice(0, HASH_LENGTH);
  }

  private store(hash: string, stored: Stored | undefined): void {
    this.records.delete(hash);
    if (stored !== undefined) this.records.set(hash, stored);
    while (this.records.size > MAX_CONTAINER_RECORDS) this.records.delete(this.records.keys().next().value as string);
    if (this.cache === undefined) return;
    const cached = this.fromCache();
    cached.delete(hash);
    // Newest first, so that a value cut to Auth0's size limit loses the oldest numbers.
    const entries = [...(stored === undefined ? [] : [[hash, stored] as const]), ...[...cached].reverse()];
    let value = '';
    for (const [key, entry] of entries) {
      if (this.now() - entry.at >= WHATSAPP_MEMORY_MS) continue;
      const item = `${key}=${encode(entry)}`;
      if (value.length + item.length + 1 > MAX_CACHE_VALUE_LENGTH) break;
      value = value === '' ? item : `${value},${item}`;
    }
    try {
      this.cache.set(CACHE_KEY, value, { ttl: WHATSAPP_MEMORY_MS });
    } catch {
      // Auth0 calls its cache best effort; so is this memory.
    }
  }

  /** The cache's records, oldest first; empty when there is no cache or its value is unreadable. */
  private fromCache(): Map<string, Stored> {
    const records = new Map<string, Stored>();
    let value: unknown;
    try {
      value = this.cache?.get(CACHE_KEY)?.value;
    } catch {
      value = undefined;
    }
    if (typeof value !== 'string') return records;
    for (const item of value.split(',').reverse()) {
      const [hash, text] = item.split('=');
      const stored = text === undefined ? undefined : decode(text);
      if (hash !== undefined && hash.length === HASH_LENGTH && stored !== undefined) records.set(hash, stored);
    }
    return records;
  }
}
