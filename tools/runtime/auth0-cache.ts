import { AUTH0_CACHE_MAX_ENTRIES, AUTH0_CACHE_MAX_TOTAL_BYTES, AUTH0_CACHE_MAX_TTL_MS, AUTH0_CACHE_MAX_VALUE_BYTES, type KeyValueCache } from '../../src/core/cache-budget';

/**
 * Auth0's `api.cache` of one trigger, shared by its containers, as unkind as Auth0 documents it:
 * at most 20 entries, 4 KB a value and 8 KB in all, a day at most, a write past a limit refused
 * (`{ type: 'error' }`, the value unchanged). And as unkind as it may be where Auth0 says nothing:
 * an execution sees the cache as it was when the execution started, with its own writes, never
 * another execution's written since (the cache has no compare-and-set), so executions that run at
 * once each work from a stale copy.
 */

interface Entry {
  value: string;
  expiresAt: number;
}

/** The lifetime of a value written without one, as Auth0 documents it. */
const DEFAULT_TTL_MS = 15 * 60 * 1000;

/** Why a write was refused; the fake's words, Auth0 publishes no codes. */
export type CacheRefusal = 'too-many-entries' | 'value-too-large' | 'cache-full';

/** `api.cache` as one execution has it: what the sender uses, and what a write answered. */
export interface ExecutionCache extends KeyValueCache {
  get(key: string): { value: string; expires_at: number } | undefined;
  set(key: string, value: string, options?: { ttl?: number }): { type: 'success' } | { type: 'error'; code: CacheRefusal };
}

const lifetime = (ttlMs: number | undefined): number => Math.min(ttlMs ?? DEFAULT_TTL_MS, AUTH0_CACHE_MAX_TTL_MS);

export class Auth0LikeCache {
  private readonly entries = new Map<string, Entry>();
  /** Writes refused, by why. */
  readonly refused = new Map<CacheRefusal, number>();
  writes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** The `api.cache` of one execution: what the cache held when it started, and its own writes. */
  forExecution(): ExecutionCache {
    const snapshot = new Map(this.live());
    return {
      get: (key) => {
        const entry = snapshot.get(key);
        return entry === undefined || entry.expiresAt <= this.now() ? undefined : { value: entry.value, expires_at: entry.expiresAt };
      },
      set: (key, value, options = {}) => {
        const result = this.write(key, value, options.ttl);
        if (result.type === 'success') snapshot.set(key, { value, expiresAt: this.now() + lifetime(options.ttl) });
        return result;
      },
    };
  }

  /** The bytes the cache holds now, keys and values. */
  totalBytes(): number {
    return [...this.live()].reduce((total, [key, entry]) => total + Buffer.byteLength(key) + Buffer.byteLength(entry.value), 0);
  }

  private live(): Map<string, Entry> {
    for (const [key, entry] of this.entries) if (entry.expiresAt <= this.now()) this.entries.delete(key);
    return this.entries;
  }

  private write(key: string, value: string, ttlMs: number | undefined): { type: 'success' } | { type: 'error'; code: CacheRefusal } {
    this.writes++;
    const entries = this.live();
    const others = [...entries].filter(([other]) => other !== key);
    const refusal: CacheRefusal | undefined =
      Buffer.byteLength(value) > AUTH0_CACHE_MAX_VALUE_BYTES
        ? 'value-too-large'
        : others.length >= AUTH0_CACHE_MAX_ENTRIES
          ? 'too-many-entries'
          : others.reduce((total, [other, entry]) => total + Buffer.byteLength(other) + Buffer.byteLength(entry.value), 0) + Buffer.byteLength(key) + Buffer.byteLength(value) > AUTH0_CACHE_MAX_TOTAL_BYTES
            ? 'cache-full'
            : undefined;
    if (refusal !== undefined) {
      this.refused.set(refusal, (this.refused.get(refusal) ?? 0) + 1);
      return { type: 'error', code: refusal };
    }
    entries.set(key, { value, expiresAt: this.now() + lifetime(ttlMs) });
    return { type: 'success' };
  }
}
