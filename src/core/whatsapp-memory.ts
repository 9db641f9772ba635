import type { CacheShare } from './cache-budget';
import { statusOutcome, type Confirmation } from './confirm';
import { isNumberFailure, whatsappFailureReason } from './fallback';
import { KeptRecords, type Kept, type RecordCodec } from './kept-records';
import { isSid } from './sid';
import type { MessageStatusResource } from './twilio-module';

/**
 * What the sender remembers of a number's last WhatsApp code, so that a user whose WhatsApp
 * failed gets the next code by SMS at once, and never a second WhatsApp that cannot arrive.
 */
export type WhatsAppRecord =
  /** WhatsApp failed for this number (at the create, or in the status read back). */
  | { kind: 'undeliverable'; twilioCode: number | undefined }
  /** The last code went out on WhatsApp and was not yet delivered when the sender stopped watching. */
  | { kind: 'pending'; sid: string };

/** What came of a code on WhatsApp: refused at the create, or what its status said when the watch ended. */
export type WhatsAppResult = { outcome: 'refused'; twilioCode: number | undefined } | { outcome: 'pending'; sid: string } | Exclude<Confirmation, { outcome: 'pending' }>;

/** How long a number is remembered: a day, the longest Auth0's cache keeps anything. */
export const WHATSAPP_MEMORY_MS = 24 * 60 * 60 * 1000;
/** Reading the status of the last WhatsApp code, before the next is sent, may take this long. */
export const LAST_STATUS_READ_MS = 2_000;
/** Numbers kept in a warm container, the oldest dropped first. */
const MAX_CONTAINER_RECORDS = 1_000;
/** The cache keeps the hour a record was stored: a day-long memory needs no finer time, and its records stay short. */
const HOUR_MS = 60 * 60 * 1000;

/** What a container remembers, by keyed hash of the number. */
export type WhatsAppRecords = Map<string, Kept<WhatsAppRecord>>;
export type WhatsAppMemory = KeptRecords<WhatsAppRecord>;

/**
 * `x63003` (`x` when no code); a pending message's SID in 23 characters: its type letter (`S` for
 * `SM…`, `M` for an MMS's `MM…`) and its 32 hex digits in base64url.
 */
const WHATSAPP_CODEC: RecordCodec<WhatsAppRecord> = {
  encode: (record) => (record.kind === 'pending' ? record.sid.charAt(0) + Buffer.from(record.sid.slice(2), 'hex').toString('base64url') : `x${record.twilioCode ?? ''}`),
  decode(text) {
    if (/^[SM][A-Za-z0-9_-]{22}$/.test(text)) return { kind: 'pending', sid: `${text.charAt(0)}M${Buffer.from(text.slice(1), 'base64url').toString('hex')}` };
    const code = /^x(\d{0,6})$/.exec(text)?.[1];
    return code === undefined ? undefined : { kind: 'undeliverable', twilioCode: code === '' ? undefined : Number(code) };
  },
};

/**
 * The WhatsApp memory of a send: the container's records, and the cache's share where there is
 * one, where a number that is not on WhatsApp is kept before a message still on its way.
 */
export function whatsappMemory(hashKey: string, share: CacheShare | undefined, container: WhatsAppRecords, now: () => number = Date.now): WhatsAppMemory {
  return new KeptRecords({
    hashKey,
    timeUnitMs: HOUR_MS,
    container,
    share,
    codec: WHATSAPP_CODEC,
    lifetimeMs: WHATSAPP_MEMORY_MS,
    maxRecords: MAX_CONTAINER_RECORDS,
    now,
    rank: (record) => (record.kind === 'undeliverable' ? 1 : 0),
  });
}

/**
 * Why not to try WhatsApp for this number now: it failed before, or the last code sent there,
 * read back now, failed or never arrived. Undefined: try WhatsApp.
 */
export async function whatsappStanding(memory: WhatsAppMemory, to: string, readStatus: (sid: string) => Promise<MessageStatusResource>): Promise<string | undefined> {
  const known = memory.get(to);
  if (known === undefined) return undefined;
  if (known.kind === 'undeliverable') return `earlier: ${whatsappFailureReason(known.twilioCode)}`;
  let last: Confirmation | undefined;
  try {
    last = statusOutcome(await readStatus(known.sid));
  } catch {
    // Unread: as if it were still on its way.
  }
  if (last?.outcome === 'delivered') {
    memory.delete(to);
    return undefined;
  }
  const twilioCode = last?.outcome === 'failed' ? last.twilioCode : undefined;
  // A code that never arrived says something of the number (isNumberFailure counts no code as the
  // number's); a failure of the account's setup does not.
  if (!isNumberFailure(twilioCode, true)) memory.delete(to);
  else memory.set(to, { kind: 'undeliverable', twilioCode });
  return last?.outcome === 'failed' ? `earlier: ${whatsappFailureReason(twilioCode, last.status)}` : 'the last code sent on WhatsApp was not delivered';
}

/**
 * What the memory keeps of a code's result: a failure of the number's own (for a day), a message
 * still on its way (read back before the next code); a delivery, or a failure of the setup, is
 * forgotten, so that a fix takes effect at once.
 */
export function rememberWhatsApp(memory: WhatsAppMemory, to: string, result: WhatsAppResult): void {
  if (result.outcome === 'pending') {
    // Only a message's SID can be read back, and packed into the record.
    if (isSid(result.sid, 'SM', 'MM')) memory.set(to, { kind: 'pending', sid: result.sid });
  } else if (result.outcome !== 'delivered' && isNumberFailure(result.twilioCode, result.outcome === 'failed')) memory.set(to, { kind: 'undeliverable', twilioCode: result.twilioCode });
  else if (result.outcome !== 'refused') memory.delete(to);
}
