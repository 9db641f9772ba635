import { CacheShare } from '../../src/core/cache-budget';
import { KeptRecords, type Kept, type KeptRecordsOptions, type RecordCodec } from '../../src/core/kept-records';
import { memoryCache } from '../helpers/cache-shares';

// Records kept by keyed hash (kept-records.ts) on their own, with records that are words: what a
// warm container keeps and drops, what it writes in its share of the cache, and what another
// container reads back from it.

const MINUTE_MS = 60_000;
const LIFETIME_MS = 60 * MINUTE_MS;
const START = Date.UTC(2026, 11, 1, 9, 0);

/** Words, stored as they are. */
const WORDS: RecordCodec<string> = { encode: (word) => word, decode: (text) => (/^[a-z]+$/.test(text) ? text : undefined) };

/** Records of words, in a container of their own, over one cache (a share of one entry), on a clock the test moves. */
function kept(options: Partial<KeptRecordsOptions<string>> = {}) {
  const cache = memoryCache();
  const clock = { now: START };
  const share = () => new CacheShare(cache, 'test', 4_000, 1);
  const records = (more: Partial<KeptRecordsOptions<string>> = {}) =>
    new KeptRecords<string>({ hashKey: 'key', container: new Map(), share: share(), codec: WORDS, lifetimeMs: LIFETIME_MS, maxRecords: 100, now: () => clock.now, ...options, ...more });
  /** The items of the cache: `hash=word@time`. */
  const items = () => (cache.values.get('test:0') ?? '').split(',').filter((item) => item !== '');
  return { cache, clock, records, items };
}

describe('records kept by keyed hash', () => {
  it('are read back by the container that keeps them, and by another through the cache', () => {
    const { records } = kept();
    const mine = records();
    mine.set('+15550100001', 'pending');
    expect(mine.get('+15550100001')).toBe('pending');
    expect(records().get('+15550100001')).toBe('pending');
    expect(records().get('+15550100002')).toBeUndefined();
  });

  it('are stored under a hash of ten characters keyed by the secret, with the minute they were stored in base 36, never the number', () => {
    const { records, items } = kept();
    const at = START + 30 * 1000;
    records({ now: () => at }).set('+15550100001', 'pending');
    expect(items()).toEqual([expect.stringMatching(new RegExp(`^[\\w-]{10}=pending@${Math.floor(at / MINUTE_MS).toString(36)}$`))]);
    expect(items()[0]).not.toMatch(/5550100001/);
    expect(records({ hashKey: 'another key' }).get('+15550100001')).toBeUndefined();
  });

  it('are stored with the time in the unit asked for', () => {
    const { records, items } = kept({ timeUnitMs: LIFETIME_MS });
    records().set('+15550100001', 'pending');
    expect(items()[0]?.split('@')[1]).toBe(Math.floor(START / LIFETIME_MS).toString(36));
  });

  it('hold for their lifetime, not a moment more', () => {
    const { records, clock } = kept();
    const mine = records();
    mine.set('+15550100001', 'pending');
    clock.now += LIFETIME_MS - 1;
    expect(mine.get('+15550100001')).toBe('pending');
    expect(records().get('+15550100001')).toBe('pending');
    clock.now += 1;
    expect(mine.get('+15550100001')).toBeUndefined();
    expect(records().get('+15550100001')).toBeUndefined();
  });

  it('are deleted from the container and the cache alike', () => {
    const { records, items } = kept();
    const mine = records();
    mine.set('+15550100001', 'pending');
    mine.set('+15550100002', 'absent');
    mine.delete('+15550100001');
    expect(mine.get('+15550100001')).toBeUndefined();
    expect(records().get('+15550100001')).toBeUndefined();
    expect(records().get('+15550100002')).toBe('absent');
    expect(items()).toHaveLength(1);
  });

  it("are the container's own before the cache's, unless they are merged", () => {
    const { records } = kept();
    const mine = records();
    mine.set('+15550100001', 'mine');
    records().set('+15550100001', 'theirs');
    expect(mine.get('+15550100001')).toBe('mine');
    const merge = jest.fn((a: Kept<string>, b: Kept<string>): Kept<string> => ({ record: `${a.record}and${b.record}`, at: Math.max(a.at, b.at) }));
    const merging = records({ merge });
    merging.set('+15550100001', 'ours');
    records().set('+15550100001', 'theirs');
    expect(merging.get('+15550100001')).toBe('oursandtheirs');
    expect(merging.get('+15550100002')).toBeUndefined();
    expect(merge).toHaveBeenCalledTimes(1);
  });

  it('take a merged record that has expired for none', () => {
    const { records, clock } = kept();
    const merging = records({ merge: (mine) => mine });
    merging.set('+15550100001', 'ours');
    clock.now += LIFETIME_MS;
    expect(merging.get('+15550100001')).toBeUndefined();
  });

  it('drop the least recently stored number of a full container first', () => {
    const { records } = kept({ share: undefined, maxRecords: 2 });
    const mine = records();
    mine.set('+15550100001', 'first');
    mine.set('+15550100002', 'second');
    mine.set('+15550100001', 'again');
    mine.set('+15550100003', 'third');
    expect(mine.get('+15550100002')).toBeUndefined();
    expect(mine.get('+15550100001')).toBe('again');
    expect(mine.get('+15550100003')).toBe('third');
  });

  it('are written to the cache highest rank first, then newest first, and expired ones dropped', () => {
    const { records, clock, items } = kept({ rank: (word) => word.length });
    const mine = records();
    mine.set('+15550100001', 'old');
    clock.now += MINUTE_MS;
    mine.set('+15550100002', 'new');
    clock.now += MINUTE_MS;
    mine.set('+15550100003', 'longest');
    expect(items().map((item) => item.split(/[=@]/)[1])).toEqual(['longest', 'new', 'old']);
    clock.now = START + LIFETIME_MS;
    mine.set('+15550100004', 'now');
    expect(items().map((item) => item.split(/[=@]/)[1])).toEqual(['longest', 'now', 'new']);
  });

  it('are newest first in the cache without a rank', () => {
    const { records, clock, items } = kept();
    const mine = records();
    mine.set('+15550100001', 'longest');
    clock.now += MINUTE_MS;
    mine.set('+15550100002', 'new');
    expect(items().map((item) => item.split(/[=@]/)[1])).toEqual(['new', 'longest']);
  });

  it("read from the cache only well-formed items, each hash's first", () => {
    const { cache, records, items } = kept();
    records().set('+15550100001', 'first');
    const [item = ''] = items();
    const [hash, time] = [item.split('=')[0], item.split('@')[1]];
    for (const broken of [`${hash}=first`, `${hash}x=first@${time}`, `${hash?.slice(1)}=first@${time}`, `${hash}=first@${time}@1`, `${hash}=FIRST@${time}`, ` ${hash}=first@${time}`, `${hash}=first@${time}!`]) {
      cache.values.set('test:0', broken);
      expect(records().get('+15550100001')).toBeUndefined();
    }
    cache.values.set('test:0', `${hash}=first@${time},${hash}=second@${time}`);
    expect(records().get('+15550100001')).toBe('first');
  });
});

describe('records kept by keyed hash, as the cache carries them', () => {
  it("are read from the container's own records without a read of the cache, unless they are merged", () => {
    const { cache, records } = kept();
    const mine = records();
    mine.set('+15550100001', 'pending');
    const get = jest.spyOn(cache, 'get');
    expect(mine.get('+15550100001')).toBe('pending');
    expect(get).not.toHaveBeenCalled();
    const merging = records({ merge: (own) => own });
    merging.set('+15550100001', 'pending');
    get.mockClear();
    expect(merging.get('+15550100001')).toBe('pending');
    expect(get).toHaveBeenCalled();
  });

  it('are written newest first, even after a container whose clock runs behind wrote its own', () => {
    const { records, clock, items } = kept();
    records().set('+15550100001', 'ontime');
    records({ now: () => clock.now - 5 * MINUTE_MS }).set('+15550100002', 'late');
    expect(items().map((item) => item.split(/[=@]/)[1])).toEqual(['ontime', 'late']);
  });

  it('drop from the cache, at their next write, an item whose hash is not one of theirs', () => {
    const { cache, records, items } = kept();
    records().set('+15550100001', 'first');
    const [item = ''] = items();
    const time = item.split('@')[1];
    cache.values.set('test:0', `${item},short=other@${time},${'x'.repeat(11)}=other@${time}`);
    records().set('+15550100002', 'second');
    expect(items().map((kept) => kept.split(/[=@]/)[1])).toEqual(['second', 'first']);
  });
});
