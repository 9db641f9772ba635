import { createHmac } from 'node:crypto';

/**
 * Auth0 never returns a secret's value, so each deploy leaves one tag per secret in a comment at
 * the end of the action's code, which Auth0 does return, for the next run to compare with the
 * file's values (docs/deploy.md says what this can and cannot see). The tags are keyed, with a key
 * derived from the client secret: a plain hash of a short value such as TWILIO_REGION could be
 * guessed by whoever reads the code. The name is part of what is tagged, so two secrets with one
 * value do not show as equal; a tag per secret lets the plan name the one that changed.
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
