import { AUTH0_CACHE_MAX_VALUE_BYTES, CacheBudget, CacheShare, CACHE_SHARES, type KeyValueCache } from '../../src/core/cache-budget';
import { memoryCache } from '../helpers/cache-shares';

// One share of Auth0's cache (cache-budget.ts) on its own: which entry an item goes to, how much
// of it fits, how long it is kept, and that a cache that fails never fails a send.

const HOUR_MS = 60 * 60 * 1000;

/** A share of `entries` entries under `key` whose values hold `valueBytes` bytes each. */
function shareOf(valueBytes: number, entries = 2, key = 'k') {
  const cache = memoryCache();
  const set = jest.spyOn(cache, 'set');
  const keyBytes = Buffer.byteLength(`${key}:0`);
  return { cache, set, share: new CacheShare(cache, key, (valueBytes + keyBytes) * entries, entries) };
}

describe('a share of the cache', () => {
  it("puts each item in the entry its first character picks, and rewrites only the changed item's entry", () => {
    const { cache, share } = shareOf(100);
    // 'a' is 97, 'b' 98, 'c' 99: odd ones in entry 1, even ones in entry 0.
    share.write(['a1', 'b1', 'c1'], HOUR_MS, 'a1');
    expect([...cache.values]).toEqual([['k:1', 'a1,c1']]);
    share.write(['a1', 'b1', 'c1'], HOUR_MS, 'b1');
    expect(cache.values.get('k:0')).toBe('b1');
    expect(share.read()).toEqual(['b1', 'a1', 'c1']);
  });

  it('keeps the items given first, up to the last that fits whole in the bytes of an entry', () => {
    const { cache, share } = shareOf(10, 1);
    share.write(['a1234', 'a567', 'a8'], HOUR_MS, 'a');
    expect(cache.values.get('k:0')).toBe('a1234,a567');
    share.write(['a1234', 'a5678', 'a9'], HOUR_MS, 'a');
    expect(cache.values.get('k:0')).toBe('a1234');
  });

  it("never writes a value past Auth0's limit, however large the share", () => {
    const cache = memoryCache();
    const share = new CacheShare(cache, 'k', 10 * AUTH0_CACHE_MAX_VALUE_BYTES, 1);
    share.write(Array.from({ length: 100 }, (_, n) => `a${String(n).padStart(99, '0')}`), HOUR_MS, 'a');
    const value = cache.values.get('k:0') ?? '';
    expect(value.length).toBeLessThanOrEqual(AUTH0_CACHE_MAX_VALUE_BYTES);
    expect(value.length).toBeGreaterThan(AUTH0_CACHE_MAX_VALUE_BYTES - 101);
  });

  it('counts the bytes of its keys in its share', () => {
    const { bytes, keys, key } = CACHE_SHARES.lookup;
    const cache = memoryCache();
    const share = new CacheShare(cache, key, bytes, keys);
    const valueBytes = Math.floor(bytes / keys) - Buffer.byteLength(`${key}:0`);
    const items = Array.from({ length: 200 }, (_, n) => `a${String(n).padStart(9, '0')}`);
    share.write(items, HOUR_MS, 'a');
    const value = cache.values.get(`${key}:${'a'.charCodeAt(0) % keys}`) ?? '';
    expect(value.length).toBeLessThanOrEqual(valueBytes);
    expect(value.length).toBeGreaterThan(valueBytes - 11);
  });

  it("keeps an entry as long as it is asked, a day at most (Auth0's longest)", () => {
    const { set, share } = shareOf(100);
    share.write(['a1'], HOUR_MS, 'a1');
    share.write(['a1'], 23 * HOUR_MS, 'a1');
    share.write(['a1'], 48 * HOUR_MS, 'a1');
    expect(set.mock.calls.map(([, , options]) => options)).toEqual([{ ttl: HOUR_MS }, { ttl: 23 * HOUR_MS }, { ttl: 24 * HOUR_MS }]);
  });

  it('writes an entry emptied of its items as empty, and reads an empty entry as none', () => {
    const { cache, share } = shareOf(100);
    share.write(['a1'], HOUR_MS, 'a1');
    share.write([], HOUR_MS, 'a1');
    expect(cache.values.get('k:1')).toBe('');
    expect(share.read()).toEqual([]);
  });

  it('reads nothing from an entry that is not text, and nothing from a cache that throws, without failing', () => {
    const values: Record<string, unknown> = { 'k:0': 42, 'k:1': 'a1,c1' };
    const odd: KeyValueCache = { get: (key) => ({ value: values[key] }), set: () => undefined };
    expect(new CacheShare(odd, 'k', 1_000, 2).read()).toEqual(['a1', 'c1']);
    const down: KeyValueCache = {
      get: () => {
        throw new Error('cache down');
      },
      set: () => {
        throw new Error('cache down');
      },
    };
    const share = new CacheShare(down, 'k', 1_000, 2);
    expect(share.read()).toEqual([]);
    expect(() => share.write(['a1'], HOUR_MS, 'a1')).not.toThrow();
  });
});

describe("the trigger's cache budget", () => {
  it('hands out no share where the entry has no cache (the hook)', () => {
    expect(new CacheBudget(undefined).share('whatsapp')).toBeUndefined();
  });

  it("hands out each share under its own key, in as many entries as the share says", () => {
    const cache = memoryCache();
    for (const name of ['whatsapp', 'velocity', 'lookup'] as const) {
      const share = new CacheBudget(cache).share(name);
      for (let first = 0; first < 128; first++) share?.write([`${String.fromCharCode(first)}x`], HOUR_MS, String.fromCharCode(first));
    }
    expect([...cache.values.keys()].sort()).toEqual(
      Object.values(CACHE_SHARES)
        .flatMap(({ key, keys }) => Array.from({ length: keys }, (_, index) => `${key}:${index}`))
        .sort(),
    );
  });
});
