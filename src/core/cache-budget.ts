/** The part of Auth0's `api.cache` (Actions) the sender uses; the hook has none. */
export interface KeyValueCache {
  get(key: string): { value?: unknown } | undefined;
  set(key: string, value: string, options?: { ttl?: number }): unknown;
}

/*
 * Auth0's limits of `api.cache`, per trigger (Actions > Limitations): few entries, small values,
 * a small total, kept a day at most, and best effort (an entry may be gone at any time).
 */
export const AUTH0_CACHE_MAX_ENTRIES = 20;
export const AUTH0_CACHE_MAX_VALUE_BYTES = 4_096;
export const AUTH0_CACHE_MAX_TOTAL_BYTES = 8_192;
export const AUTH0_CACHE_MAX_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Who writes Auth0's cache, under which key, and how many bytes of key and value each may use:
 * the one list, so that the shares never pass Auth0's total between them. The WhatsApp memory
 * holds the most (a number not on WhatsApp must be remembered across containers); velocity counts
 * need the blocks under attack; Lookup answers spare a second paid lookup of a number.
 */
export const CACHE_SHARES = {
  whatsapp: { key: 'tpm:whatsapp', bytes: 3_800 },
  velocity: { key: 'tpm:velocity', bytes: 2_400 },
  lookup: { key: 'tpm:lookup', bytes: 1_900 },
} as const satisfies Record<string, { key: string; bytes: number }>;

export type CacheShareName = keyof typeof CACHE_SHARES;

/** What separates the items of a share's value: no item may hold it. */
export const ITEM_SEPARATOR = ',';

/** One user's share of the cache: a list of items, the most important first, cut to its bytes. */
export class CacheShare {
  private readonly valueBytes: number;

  constructor(
    private readonly cache: KeyValueCache,
    readonly key: string,
    shareBytes: number,
  ) {
    this.valueBytes = Math.min(shareBytes - Buffer.byteLength(key), AUTH0_CACHE_MAX_VALUE_BYTES);
  }

  /** The items stored, in the order written; none when the entry is gone or unreadable. */
  read(): string[] {
    let value: unknown;
    try {
      value = this.cache.get(this.key)?.value;
    } catch {
      return [];
    }
    return typeof value === 'string' && value !== '' ? value.split(ITEM_SEPARATOR) : [];
  }

  /** Stores the items that fit, in the order given (what matters most first). Best effort, as the cache is. */
  write(items: readonly string[], ttlMs: number): void {
    let value = '';
    for (const item of items) {
      const next = value === '' ? item : `${value}${ITEM_SEPARATOR}${item}`;
      if (Buffer.byteLength(next) > this.valueBytes) break;
      value = next;
    }
    try {
      this.cache.set(this.key, value, { ttl: Math.min(ttlMs, AUTH0_CACHE_MAX_TTL_MS) });
    } catch {
      // Auth0 calls its cache best effort; so is everything kept in it.
    }
  }
}

/** The trigger's cache, handed out in shares; nothing else in the sender writes it. */
export class CacheBudget {
  constructor(private readonly cache: KeyValueCache | undefined) {}

  /** The share of `name`, or undefined where the entry has no cache (the hook). */
  share(name: CacheShareName): CacheShare | undefined {
    const { key, bytes } = CACHE_SHARES[name];
    return this.cache === undefined ? undefined : new CacheShare(this.cache, key, bytes);
  }
}
