import { createHmac } from 'node:crypto';

/**
 * Auth0 never returns a secret's value, so "are the tenant's secrets the ones in the file?"
 * cannot be answered by reading them back. Instead each deploy writes, in a comment at the end
 * of the action's code (which Auth0 does return), one tag per secret:
 *
 *   HMAC-SHA256(key, name NUL value), first 16 bytes, hex
 *
 * keyed with a key derived from the deploying application's client secret. The next run
 * computes the tags of the file's values and compares: equal tags mean equal values; a value
 * cannot be recovered from its tag, nor guessed by whoever can read the action's code (even a
 * short value such as TWILIO_REGION), because guessing needs the key. A tag per secret lets the
 * plan name which secret changed. The name is part of the MAC, so two secrets with one value do
 * not show as equal.
 *
 * What it cannot see: a secret changed by hand in the dashboard after a deploy (Auth0 returns
 * the same code, hence the same tags). Such a change is the dashboard's, and the next change from
 * the file overwrites it. Rotating the client secret changes the key: the next run then writes
 * one new version with the same content, which is harmless.
 */

export const FINGERPRINT_VERSION = 'v1';
/** Separates the key of this use from any other use of the client secret. */
const KEY_LABEL = 'auth0-twilio-phone-sender deploy secrets fingerprint v1';
/** 128 bits: no two different values share a tag in practice. */
const TAG_BYTES = 16;
const MARKER = `// deploy-fingerprint ${FINGERPRINT_VERSION} `;
const EXPLANATION = '// Written by `npm run deploy`: a keyed HMAC per secret, to tell whether a secret changed; no value can be recovered from it.';

export type SecretTags = ReadonlyMap<string, string>;

export function fingerprintKey(clientSecret: string): Buffer {
  return createHmac('sha256', clientSecret).update(KEY_LABEL).digest();
}

/** One tag per secret, by name. */
export function secretTags(key: Buffer, secrets: ReadonlyMap<string, string>): Map<string, string> {
  return new Map(
    [...secrets]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => [name, createHmac('sha256', key).update(`${name}\0${value}`).digest().subarray(0, TAG_BYTES).toString('hex')]),
  );
}

/** The bundle with the fingerprint comment appended. */
export function withFingerprint(code: string, tags: SecretTags): string {
  return `${withoutFingerprint(code)}\n${EXPLANATION}\n${MARKER}${JSON.stringify(Object.fromEntries(tags))}\n`;
}

/** The code as built, without a fingerprint this command appended. */
export function withoutFingerprint(code: string): string {
  const at = code.lastIndexOf(`\n${EXPLANATION}\n${MARKER}`);
  return (at === -1 ? code : code.slice(0, at)).trimEnd();
}

/** The tags a previous deploy left in the code, or undefined when there are none to trust. */
export function readFingerprint(code: string | undefined): SecretTags | undefined {
  if (code === undefined) return undefined;
  const line = code.split('\n').reverse().find((candidate) => candidate.startsWith(MARKER));
  if (line === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(line.slice(MARKER.length));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const entries = Object.entries(parsed);
    return entries.every(([, tag]) => typeof tag === 'string') ? new Map(entries as Array<[string, string]>) : undefined;
  } catch {
    return undefined;
  }
}
