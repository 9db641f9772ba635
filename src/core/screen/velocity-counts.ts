import type { CacheShare } from '../cache-budget';
import { KeptRecords, type Kept, type RecordCodec } from '../kept-records';
import type { E164 } from '../phone';

/**
 * The numbers of each block of 1,000 (a number less its last three digits) that got an enrollment
 * code in the last hour. A block is kept as a keyed hash and its numbers by their last three
 * digits: without the key nothing here names a number. The container counts what it sent; Auth0's
 * cache carries the counts to the other containers, merged with what each container adds. The
 * cache has no compare-and-set: two containers writing at once may each lose the other's last
 * number, so a campaign can pass the cap by the codes in flight at that moment, no more.
 */

/** The window the cap counts in. */
export const VELOCITY_WINDOW_MS = 60 * 60 * 1000;
/** Blocks kept in a warm container, the least recently counted dropped first. */
const MAX_CONTAINER_BLOCKS = 10_000;
const MINUTE_MS = 60_000;

/** A block's numbers (last three digits) and when each was first counted, in ms since the epoch. */
export type BlockNumbers = ReadonlyMap<string, number>;
export type VelocityRecords = Map<string, Kept<BlockNumbers>>;
export type VelocityCounts = KeptRecords<BlockNumbers>;

/** `3070a.5121f`: each number's last digits, then how many minutes before the block was stored it was counted (base 36). */
const BLOCK_CODEC: RecordCodec<BlockNumbers> = {
  encode: (numbers, at) => [...numbers].map(([digits, counted]) => `${digits}${Math.round((at - counted) / MINUTE_MS).toString(36)}`).join('.'),
  decode(text, at) {
    const entries = text.split('.');
    if (!entries.every((entry) => /^\d{3}[0-9a-z]{1,2}$/.test(entry))) return undefined;
    return new Map(entries.map((entry) => [entry.slice(0, 3), at - parseInt(entry.slice(3), 36) * MINUTE_MS]));
  },
};

/** Both counts of a block, each number at the first time either saw it. */
function merge(mine: Kept<BlockNumbers>, cached: Kept<BlockNumbers>): Kept<BlockNumbers> {
  const numbers = new Map(mine.record);
  for (const [digits, at] of cached.record) numbers.set(digits, Math.min(at, numbers.get(digits) ?? at));
  return { record: numbers, at: Math.max(mine.at, cached.at) };
}

/** The counts of a send: the container's, and the cache's share where there is one; the fullest blocks (a campaign's) are kept first. */
export function velocityCounts(hashKey: string, share: CacheShare | undefined, container: VelocityRecords, now: () => number = Date.now): VelocityCounts {
  return new KeptRecords({
    hashKey,
    container,
    share,
    codec: BLOCK_CODEC,
    lifetimeMs: VELOCITY_WINDOW_MS,
    maxRecords: MAX_CONTAINER_BLOCKS,
    now,
    rank: (numbers) => numbers.size,
    merge,
  });
}

/**
 * Whether `number` may get an enrollment code: yes when it was counted in the last hour (a user
 * asking again is never refused), or when fewer than `limit` numbers of its block were, and then
 * it is counted. `counted`: the block's numbers in the hour before.
 */
export function admit(counts: VelocityCounts, number: E164, limit: number, now: number = Date.now()): { admitted: boolean; counted: number } {
  const block = number.slice(0, -3);
  const digits = number.slice(-3);
  const numbers = new Map([...(counts.get(block) ?? [])].filter(([, at]) => at > now - VELOCITY_WINDOW_MS));
  const counted = numbers.size;
  const admitted = numbers.has(digits) || counted < limit;
  if (admitted && !numbers.has(digits)) counts.set(block, numbers.set(digits, now));
  return { admitted, counted };
}
