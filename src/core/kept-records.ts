import { createHmac } from 'crypto';
import type { CacheShare } from './cache-budget';

/**
 * What the sender remembers between sends, by number, without ever holding a number: each is a
 * keyed hash (an HMAC with the account's auth token or API secret, so that no one without it can
 * test whether a number is there). A warm container keeps the records in memory; where the entry
 * has Auth0's cache, its share of the cache carries them to the other containers.
 */

/** Characters of the HMAC kept (base64url, 60 bits): among the numbers a tenant sees in a day, a collision is improbable, and harmless. */
const HASH_LENGTH = 10;
const MINUTE_MS = 60_000;

/** A number (or any text) as the sender keeps it: a keyed hash. */
function keyedHash(key: string, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url').slice(0, HASH_LENGTH);
}

/** A record and when it was stored (ms since the epoch). */
export interface Kept<T> {
  record: T;
  at: number;
}

/** A record in the few characters of a cache item (no `,`, `=` or `@`), given when it was stored. */
export interface RecordCodec<T> {
  encode(record: T, at: number): string;
  decode(text: string, at: number): T | undefined;
}

export interface KeptRecordsOptions<T> {
  /** The HMAC key of the hashes: the account's auth token or API secret. */
  hashKey: string;
  /** The container's records, by hash, shared by every send it runs. */
  container: Map<string, Kept<T>>;
  /** The cache's share, where the entry has a cache. */
  share: CacheShare | undefined;
  codec: RecordCodec<T>;
  /** How long a record holds. */
  lifetimeMs: number;
  /** How coarsely the cache writes when a record was stored; a minute by default (a day-long memory does with an hour). */
  timeUnitMs?: number;
  /** Records kept in a container, the oldest dropped first. */
  maxRecords: number;
  now: () => number;
  /** What the cache keeps first when its share is full (higher first, then the newest); by default the newest. */
  rank?: (record: T) => number;
  /** The container's record and the cache's of one hash as one (another container may have added to it); by default the container's. */
  merge?: (mine: Kept<T>, cached: Kept<T>) => Kept<T>;
}

/** `hash=state@time`, when it was stored in base 36, in units of `timeUnitMs`. */
const ITEM = new RegExp(`^[A-Za-z0-9_-]{${HASH_LENGTH}}=[^,=@]*@[0-9a-z]{1,9}$`);

/** Records by number (or block of numbers), kept as keyed hashes. */
export class KeptRecords<T> {
  constructor(private readonly options: KeptRecordsOptions<T>) {}

  /** The record of `key`: the container's, else the cache's, or both merged; undefined once it has expired. */
  get(key: string): T | undefined {
    const hash = this.hash(key);
    const mine = this.options.container.get(hash);
    const cached = mine === undefined || this.options.merge !== undefined ? this.fromCache().get(hash) : undefined;
    const kept = mine !== undefined && cached !== undefined && this.options.merge !== undefined ? this.options.merge(mine, cached) : (mine ?? cached);
    return kept !== undefined && this.fresh(kept) ? kept.record : undefined;
  }

  set(key: string, record: T): void {
    this.store(this.hash(key), { record, at: this.options.now() });
  }

  delete(key: string): void {
    this.store(this.hash(key), undefined);
  }

  private hash(key: string): string {
    return keyedHash(this.options.hashKey, key);
  }

  private fresh(kept: Kept<T>): boolean {
    return this.options.now() - kept.at < this.options.lifetimeMs;
  }

  private store(hash: string, kept: Kept<T> | undefined): void {
    const { container, share, codec, maxRecords, lifetimeMs, rank = () => 0, timeUnitMs = MINUTE_MS } = this.options;
    container.delete(hash);
    if (kept !== undefined) container.set(hash, kept);
    while (container.size > maxRecords) container.delete(container.keys().next().value as string);
    if (share === undefined) return;
    const cached = this.fromCache();
    cached.delete(hash);
    // What ranks first, then the newest (this one before any of its minute), so that a value cut to the share loses what matters least.
    const entries = [...(kept === undefined ? [] : [[hash, kept] as const]), ...cached]
      .filter(([, entry]) => this.fresh(entry))
      .sort(([, a], [, b]) => rank(b.record) - rank(a.record) || b.at - a.at);
    share.write(
      entries.map(([key, { record, at }]) => `${key}=${codec.encode(record, at)}@${Math.floor(at / timeUnitMs).toString(36)}`),
      lifetimeMs,
      hash,
    );
  }

  /** The cache's records; empty without a cache or when its value is unreadable. */
  private fromCache(): Map<string, Kept<T>> {
    const records = new Map<string, Kept<T>>();
    const { share, codec, timeUnitMs = MINUTE_MS } = this.options;
    if (share === undefined) return records;
    for (const item of share.read()) {
      if (!ITEM.test(item)) continue;
      const hash = item.slice(0, HASH_LENGTH);
      const timeStart = item.lastIndexOf('@') + 1;
      const at = parseInt(item.slice(timeStart), 36) * timeUnitMs;
      const record = codec.decode(item.slice(HASH_LENGTH + 1, timeStart - 1), at);
      if (record !== undefined && !records.has(hash)) records.set(hash, { record, at });
    }
    return records;
  }
}
