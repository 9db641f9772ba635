/** The types of Twilio SID the sender reads: an account, an API key, a Messaging, Verify or Content resource, a message. */
export type SidPrefix = 'AC' | 'SK' | 'MG' | 'VA' | 'HX' | 'SM' | 'MM';

/**
 * Twilio's SIDs: a two-letter type prefix and 32 hex digits, the one pattern of every SID the
 * sender reads or echoes. Of one of `prefixes` (`SM` or `MM`: a message, sent as SMS or MMS), or of
 * any type when none is named.
 */
export function isSid(value: unknown, ...prefixes: SidPrefix[]): value is string {
  return typeof value === 'string' && new RegExp(`^(?:${prefixes.join('|') || '[A-Z]{2}'})[0-9a-fA-F]{32}$`).test(value);
}
