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
 * Who writes Auth0's cache, under which keys, and how many bytes of keys and values each may use:
 * the one list, so that the shares never pass Auth0's total between them. The WhatsApp memory
 * holds the most (a number not on WhatsApp must be remembered across containers); velocity counts
 * need the blocks under attack; Lookup answers spare a second paid lookup of a number.
 *
 * Each share is cut into `keys` entries, an item going to one of them by its first character (the
 * start of its keyed hash), and a write rewrites only the entry of the item it changes: Auth0's
 * cache has no compare-and-set, and executions that run at once each rewrite the entry from the
 * copy they started with, so the fewer items an entry holds, the fewer such a write can lose.
 */
export const CACHE_SHARES = {
  whatsapp: { key: 'tpm:whatsapp', bytes: 3_800, keys: 2 },
  velocity: { key: 'tpm:velocity', bytes: 2_400, keys: 3 },
  lookup: { key: 'tpm:lookup', bytes: 1_900, keys: 4 },
} as const satisfies Record<string, { key: string; bytes: number; keys: number }>;

export type CacheShareName = keyof typeof CACHE_SHARES;

/** What separates the items of an entry's value: no item may hold it. */
export const ITEM_SEPARATOR = ',';

/** One user's share of the cache: items, each starting with its key, in a few entries, each cut to its bytes. */
export class CacheShare {
  private readonly keys: string[];
  private readonly valueBytes: number;

  constructor(
    private readonly cache: KeyValueCache,
    private readonly key: string,
    shareBytes: number,
    entries: number,
  ) {
    this.keys = Array.from({ length: entries }, (_, index) => this.entryKey(index));
    this.valueBytes = Math.min(Math.floor(shareBytes / entries) - Buffer.byteLength(this.entryKey(0)), AUTH0_CACHE_MAX_VALUE_BYTES);
  }

  /** The items stored in every entry, each entry's in the order written; none where an entry is gone or unreadable. */
  read(): string[] {
    return this.keys.flatMap((key) => {
      let value: unknown;
      try {
        value = this.cache.get(key)?.value;
      } catch {
        // Unreadable: read as gone, below.
      }
      return typeof value === 'string' && value !== '' ? value.split(ITEM_SEPARATOR) : [];
    });
  }

  /**
   * Rewrites the entry that holds the items starting as `changed` does, with those of `items`
   * that fit, in the order given (what matters most first). Best effort, as the cache is.
   */
  write(items: readonly string[], ttlMs: number, changed: string): void {
    const key = this.keyOf(changed);
    let value = '';
    for (const item of items.filter((candidate) => this.keyOf(candidate) === key)) {
      const next = value === '' ? item : `${value}${ITEM_SEPARATOR}${item}`;
      if (Buffer.byteLength(next) > this.valueBytes) break;
      value = next;
    }
    try {
      this.cache.set(key, value, { ttl: Math.min(ttlMs, AUTH0_CACHE_MAX_TTL_MS) });
    } catch {
      // Auth0 calls its cache best effort; so is everything kept in it.
    }
  }

  private keyOf(item: string): string {
    return this.entryKey(item.charCodeAt(0) % this.keys.length);
  }

  private entryKey(index: number): string {
    return `${this.key}:${index}`;
  }
}

/** The trigger's cache, handed out in shares; nothing else in the sender writes it. */
export class CacheBudget {
  constructor(private readonly cache: KeyValueCache | undefined) {}

  /** The share of `name`, or undefined where the entry has no cache (the hook). */
  share(name: CacheShareName): CacheShare | undefined {
    const { key, bytes, keys } = CACHE_SHARES[name];
    return this.cache === undefined ? undefined : new CacheShare(this.cache, key, bytes, keys);
  }
}
