import type { CacheShare } from '../cache-budget';
import { KeptRecords, type Kept, type RecordCodec } from '../kept-records';

/**
 * What Twilio Lookup said of a number, kept a day so that a number is looked up (and paid for)
 * at most once a day per container, and across containers while Auth0's cache holds it. The
 * signals are kept, not the verdict: a threshold changed since still applies.
 */

/** What Lookup answered of a number; a package that did not answer is undefined. */
export interface LookupSignals {
  /** Twilio's line type: `mobile`, `premium`, `sharedCost`… */
  lineType: string | undefined;
  /** Verify Fraud Guard blocks the number for SMS pumping now. */
  blocked: boolean | undefined;
  /** Twilio's SMS pumping risk score, 0 (none) to 100. */
  riskScore: number | undefined;
}

export const LOOKUP_MEMORY_MS = 24 * 60 * 60 * 1000;
/** Numbers kept in a warm container, the oldest dropped first. */
const MAX_CONTAINER_RECORDS = 10_000;
/** The cache keeps the hour an answer was stored: a day-long memory needs no finer time. */
const HOUR_MS = 60 * 60 * 1000;

export type LookupRecords = Map<string, Kept<LookupSignals>>;
export type LookupMemory = KeptRecords<LookupSignals>;

/** `mobile~0~12`: the line type, blocked (1) or not (0), the score; empty where the package did not answer. */
const LOOKUP_CODEC: RecordCodec<LookupSignals> = {
  encode: ({ lineType, blocked, riskScore }) => `${lineType ?? ''}~${blocked === undefined ? '' : Number(blocked)}~${riskScore ?? ''}`,
  decode(text) {
    const match = /^([A-Za-z]{0,20})~([01]?)~(\d{0,3})$/.exec(text);
    if (match === null) return undefined;
    const [, lineType, blocked, score] = match;
    return { lineType: lineType || undefined, blocked: blocked ? blocked === '1' : undefined, riskScore: score ? Number(score) : undefined };
  },
};

export function lookupMemory(hashKey: string, share: CacheShare | undefined, container: LookupRecords, now: () => number = Date.now): LookupMemory {
  return new KeptRecords({ hashKey, timeUnitMs: HOUR_MS, container, share, codec: LOOKUP_CODEC, lifetimeMs: LOOKUP_MEMORY_MS, maxRecords: MAX_CONTAINER_RECORDS, now });
}
