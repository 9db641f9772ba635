import { AUTH0_CACHE_MAX_ENTRIES, AUTH0_CACHE_MAX_TOTAL_BYTES, AUTH0_CACHE_MAX_VALUE_BYTES } from '../../src/core/cache-budget';
import { Auth0LikeCache } from '../../tools/runtime/auth0-cache';

// The Auth0-like cache of the attack benchmark and the cross-container tests: Auth0's documented
// limits, and the copy each execution works from.

describe("the Auth0-like cache", () => {
  it("refuses a value over Auth0's 4 KB, a 21st entry, and a write past 8 KB in all, keeping what it held", () => {
    const execution = new Auth0LikeCache().forExecution();
    expect(execution.set('big', 'x'.repeat(AUTH0_CACHE_MAX_VALUE_BYTES + 1))).toEqual({ type: 'error', code: 'value-too-large' });
    for (let n = 0; n < AUTH0_CACHE_MAX_ENTRIES; n++) expect(execution.set(`k${n}`, 'v').type).toBe('success');
    expect(execution.set('one-more', 'v')).toEqual({ type: 'error', code: 'too-many-entries' });
    const full = new Auth0LikeCache();
    const writer = full.forExecution();
    expect(writer.set('a', 'x'.repeat(AUTH0_CACHE_MAX_VALUE_BYTES - 10)).type).toBe('success');
    expect(writer.set('b', 'x'.repeat(AUTH0_CACHE_MAX_VALUE_BYTES - 10)).type).toBe('success');
    expect(writer.set('c', 'x'.repeat(100))).toEqual({ type: 'error', code: 'cache-full' });
    expect(full.totalBytes()).toBeLessThanOrEqual(AUTH0_CACHE_MAX_TOTAL_BYTES);
    expect(full.forExecution().get('a')?.value).toHaveLength(AUTH0_CACHE_MAX_VALUE_BYTES - 10);
  });

  it('shows an execution the cache as it was when it started, and its own writes, not those of another since', () => {
    const cache = new Auth0LikeCache();
    const first = cache.forExecution();
    const second = cache.forExecution();
    first.set('key', 'first');
    expect(first.get('key')?.value).toBe('first');
    expect(second.get('key')).toBeUndefined();
    second.set('key', 'second');
    expect(cache.forExecution().get('key')?.value).toBe('second');
  });

  it('keeps a value its ttl, a day at most, and 15 minutes without one', () => {
    let now = 1_000_000;
    const cache = new Auth0LikeCache(() => now);
    const execution = cache.forExecution();
    execution.set('short', 'v', { ttl: 1_000 });
    execution.set('default', 'v');
    execution.set('long', 'v', { ttl: 10 * 24 * 60 * 60 * 1000 });
    now += 1_000;
    expect(cache.forExecution().get('short')).toBeUndefined();
    now += 15 * 60 * 1000 - 1_000;
    expect(cache.forExecution().get('default')).toBeUndefined();
    now += 24 * 60 * 60 * 1000 - 15 * 60 * 1000 - 1;
    expect(cache.forExecution().get('long')?.value).toBe('v');
    now += 1;
    expect(cache.forExecution().get('long')).toBeUndefined();
  });
});
