import type { CacheShare } from './cache-budget';
import { KeptRecords, type Kept, type RecordCodec } from './kept-records';

/**
 * What the sender remembers of a number's last WhatsApp code, so that a user whose WhatsApp
 * failed gets the next code by SMS at once, and never a second WhatsApp that cannot arrive.
 */
export type WhatsAppRecord =
  /** WhatsApp failed for this number (at the create, or in the status read back). */
  | { kind: 'undeliverable'; twilioCode: number | undefined }
  /** The last code went out on WhatsApp and was not yet delivered when the sender stopped watching. */
  | { kind: 'pending'; sid: string };

/** How long a number is remembered: a day, the longest Auth0's cache keeps anything. */
export const WHATSAPP_MEMORY_MS = 24 * 60 * 60 * 1000;
/** Numbers kept in a warm container, the oldest dropped first. */
const MAX_CONTAINER_RECORDS = 1_000;

/** What a container remembers, by keyed hash of the number. */
export type WhatsAppRecords = Map<string, Kept<WhatsAppRecord>>;
export type WhatsAppMemory = KeptRecords<WhatsAppRecord>;

/** A message's SID (`SM…`, or `MM…` for one Twilio sent as MMS): what a pending record reads back. */
const MESSAGE_SID = /^(?:SM|MM)[0-9a-fA-F]{32}$/;

/** `x63003` (`x` when no code), or the SID of the pending message. */
const WHATSAPP_CODEC: RecordCodec<WhatsAppRecord> = {
  encode: (record) => (record.kind === 'pending' ? record.sid : `x${record.twilioCode ?? ''}`),
  decode(text) {
    if (MESSAGE_SID.test(text)) return { kind: 'pending', sid: text };
    const code = /^x(\d{0,6})$/.exec(text)?.[1];
    return code === undefined ? undefined : { kind: 'undeliverable', twilioCode: code === '' ? undefined : Number(code) };
  },
};

/** The WhatsApp memory of a send: the container's records, and the cache's share where there is one. */
export function whatsappMemory(hashKey: string, share: CacheShare | undefined, container: WhatsAppRecords, now: () => number = Date.now): WhatsAppMemory {
  return new KeptRecords({ hashKey, container, share, codec: WHATSAPP_CODEC, lifetimeMs: WHATSAPP_MEMORY_MS, maxRecords: MAX_CONTAINER_RECORDS, now });
}
