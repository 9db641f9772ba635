import { createHmac } from 'crypto';
import type { CacheShare } from './cache-budget';

/**
 * What the sender remembers between sends, by number, without ever holding a number: each is a
 * keyed hash (an HMAC with the account's auth token or API secret, so that no one without it can
 * test whether a number is there). A warm container keeps the records in memory; where the entry
 * has Auth0's cache, its share of the cache carries them to the other containers.
 */

/** Characters of the HMAC kept (base64url, 96 bits): a collision is harmless and improbable. */
export const HASH_LENGTH = 16;
const MINUTE_MS = 60_000;

/** A number (or any text) as the sender keeps it: a keyed hash. */
export function keyedHash(key: string, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url').slice(0, HASH_LENGTH);
}

/** A record and when it was stored (ms since the epoch). */
export interface Kept<T> {
  record: T;
  at: number;
}

/** A record in the few characters of a cache item: no `,`, `=` or `@`. */
export interface RecordCodec<T> {
  encode(record: T): string;
  decode(text: string): T | undefined;
}

export interface KeptRecordsOptions<T> {
  /** The container's records, shared by every send it runs. */
  container: Map<string, Kept<T>>;
  /** The cache's share, where the entry has a cache. */
  share: CacheShare | undefined;
  codec: RecordCodec<T>;
  /** How long a record holds. */
  lifetimeMs: number;
  /** Records kept in a container, the oldest dropped first. */
  maxRecords: number;
  now: () => number;
}

/** `hash=state@minute`, the minute it was stored in base 36. */
const ITEM = /^([A-Za-z0-9_-]+)=([^,=@]*)@([0-9a-z]{1,9})$/;

export class KeptRecords<T> {
  constructor(private readonly options: KeptRecordsOptions<T>) {}

  /** The record of `hash`: the container's, else the cache's; undefined once it has expired. */
  get(hash: string): T | undefined {
    const kept = this.options.container.get(hash) ?? this.fromCache().get(hash);
    return kept !== undefined && this.fresh(kept) ? kept.record : undefined;
  }

  set(hash: string, record: T): void {
    this.store(hash, { record, at: this.options.now() });
  }

  delete(hash: string): void {
    this.store(hash, undefined);
  }

  private fresh(kept: Kept<T>): boolean {
    return this.options.now() - kept.at < this.options.lifetimeMs;
  }

  private store(hash: string, kept: Kept<T> | undefined): void {
    const { container, share, codec, maxRecords, lifetimeMs } = this.options;
    container.delete(hash);
    if (kept !== undefined) container.set(hash, kept);
    while (container.size > maxRecords) container.delete(container.keys().next().value as string);
    if (share === undefined) return;
    const cached = this.fromCache();
    cached.delete(hash);
    // Newest first, so that a value cut to the share loses the oldest numbers.
    const entries = [...(kept === undefined ? [] : [[hash, kept] as const]), ...[...cached].reverse()];
    const items = entries.filter(([, entry]) => this.fresh(entry)).map(([key, entry]) => `${key}=${codec.encode(entry.record)}@${Math.floor(entry.at / MINUTE_MS).toString(36)}`);
    share.write(items, lifetimeMs);
  }

  /** The cache's records, oldest first; empty without a cache or when its value is unreadable. */
  private fromCache(): Map<string, Kept<T>> {
    const records = new Map<string, Kept<T>>();
    for (const item of (this.options.share?.read() ?? []).reverse()) {
      const match = ITEM.exec(item);
      const record = match === null ? undefined : this.options.codec.decode(match[2] ?? '');
      if (match === null || record === undefined || match[1]?.length !== HASH_LENGTH) continue;
      records.set(match[1], { record, at: parseInt(match[3] ?? '', 36) * MINUTE_MS });
    }
    return records;
  }
}
