import type { CacheShare } from '../cache-budget';
import { keyedHash } from '../kept-records';
import type { E164 } from '../phone';

/**
 * The numbers of each block of 1,000 (a number less its last three digits) that got an enrollment
 * code in the last hour. A block is kept as a keyed hash and its numbers by their last three
 * digits: without the key nothing here names a number. The container counts what it sent; Auth0's
 * cache carries the counts to the other containers. The cache has no compare-and-set: two
 * containers writing at once may each lose the other's last number, so a campaign can pass the
 * cap by the few codes in flight at that moment, never by more.
 */

/** The window the cap counts in. */
export const VELOCITY_WINDOW_MS = 60 * 60 * 1000;
/** Blocks kept in a warm container, the least recently counted dropped first. */
const MAX_CONTAINER_BLOCKS = 10_000;
/** Characters of a block's keyed hash in the cache: enough to tell apart the blocks of one hour. */
const BLOCK_HASH_LENGTH = 10;
const MINUTE_MS = 60_000;

/** A block's numbers (last three digits) and when each was first counted, in ms since the epoch. */
export type BlockNumbers = Map<string, number>;
/** What a container counts, by block hash. */
export type VelocityRecords = Map<string, BlockNumbers>;

/** What `admit` decided, and how many numbers of the block were counted in the hour before. */
export interface Admission {
  admitted: boolean;
  counted: number;
}

export class VelocityCounts {
  constructor(
    /** The HMAC key: the account's auth token or API secret. */
    private readonly hashKey: string,
    private readonly share: CacheShare | undefined,
    private readonly container: VelocityRecords,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Whether `number` may get an enrollment code: yes when it was counted in the last hour (a user
   * asking again is never refused), or when fewer than `limit` numbers of its block were, and
   * then it is counted.
   */
  admit(number: E164, limit: number): Admission {
    const block = keyedHash(this.hashKey, number.slice(0, -3)).slice(0, BLOCK_HASH_LENGTH);
    const digits = number.slice(-3);
    const cached = this.fromCache();
    const numbers = this.recent(merge(this.container.get(block), cached.get(block)));
    const counted = numbers.size;
    if (numbers.has(digits)) return { admitted: true, counted };
    if (counted >= limit) return { admitted: false, counted };
    numbers.set(digits, this.now());
    this.container.delete(block);
    this.container.set(block, numbers);
    while (this.container.size > MAX_CONTAINER_BLOCKS) this.container.delete(this.container.keys().next().value as string);
    if (this.share !== undefined) {
      cached.set(block, numbers);
      this.share.write(this.cacheItems(cached), VELOCITY_WINDOW_MS);
    }
    return { admitted: true, counted };
  }

  /** The numbers of the last hour. */
  private recent(numbers: BlockNumbers): BlockNumbers {
    const since = this.now() - VELOCITY_WINDOW_MS;
    return new Map([...numbers].filter(([, at]) => at > since));
  }

  /**
   * The blocks to keep, the fullest first (the blocks under attack are what the cap needs across
   * containers; a block with one number costs nothing to forget), then the most recent.
   */
  private cacheItems(blocks: VelocityRecords): string[] {
    const ranked = [...blocks]
      .map(([block, numbers]) => [block, this.recent(numbers)] as const)
      .filter(([, numbers]) => numbers.size > 0)
      .sort(([, a], [, b]) => b.size - a.size || Math.max(...b.values()) - Math.max(...a.values()));
    return ranked.map(([block, numbers]) => encodeBlock(block, numbers));
  }

  private fromCache(): VelocityRecords {
    const blocks: VelocityRecords = new Map();
    for (const item of this.share?.read() ?? []) {
      const decoded = decodeBlock(item);
      if (decoded !== undefined) blocks.set(decoded[0], decoded[1]);
    }
    return blocks;
  }
}

/** Both counts of a block, each number at the first time either saw it. */
function merge(a: BlockNumbers | undefined, b: BlockNumbers | undefined): BlockNumbers {
  const merged = new Map(a ?? []);
  for (const [digits, at] of b ?? []) merged.set(digits, Math.min(at, merged.get(digits) ?? at));
  return merged;
}

/** `hash~base~ddd0a.ddd1f`: the first minute in base 36, then each number's digits and its minute after it (two base-36 characters). */
function encodeBlock(block: string, numbers: BlockNumbers): string {
  const minutes = [...numbers].map(([digits, at]) => [digits, Math.floor(at / MINUTE_MS)] as const);
  const base = Math.min(...minutes.map(([, minute]) => minute));
  return `${block}~${base.toString(36)}~${minutes.map(([digits, minute]) => `${digits}${(minute - base).toString(36).padStart(2, '0')}`).join('.')}`;
}

function decodeBlock(item: string): [string, BlockNumbers] | undefined {
  const match = /^([A-Za-z0-9_-]{10})~([0-9a-z]{1,9})~((?:\d{3}[0-9a-z]{2}\.?)+)$/.exec(item);
  if (match === null) return undefined;
  const base = parseInt(match[2] ?? '', 36);
  const numbers: BlockNumbers = new Map();
  for (const entry of (match[3] ?? '').split('.').filter((part) => part !== '')) {
    numbers.set(entry.slice(0, 3), (base + parseInt(entry.slice(3), 36)) * MINUTE_MS);
  }
  return [match[1] ?? '', numbers];
}
