import { ALL_SECRET_NAMES } from '../src/core/config';
import { CREDENTIAL_NAMES } from './deploy/secrets-file';

/**
 * Names in a secrets file that the sender does not read, most likely typos (`TWILIO_PHONE_NUMBR`),
 * said in one sentence for both `npm run check` (a flagged line) and `npm run deploy` (a note: it
 * deploys them anyway), each with the known name it is closest to, when one is near.
 */

/** The most single-character edits (added, dropped, changed) that still make a name a slip of a known one: `NUMBR`, `NUMEBR`. */
const MAX_TYPO_EDITS = 2;

/** What a name can be a slip of: every secret the sender reads, and the deploy's own keys. */
const KNOWN_NAMES: readonly string[] = [...ALL_SECRET_NAMES, ...CREDENTIAL_NAMES];

/** Edits from `a` to `b` (Levenshtein): each a character added, dropped or changed. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The known name `name` is most likely a slip of (case aside), if one is within MAX_TYPO_EDITS. */
export function closestKnownName(name: string): string | undefined {
  const upper = name.toUpperCase();
  let closest: { known: string; edits: number } | undefined;
  for (const known of KNOWN_NAMES) {
    const edits = editDistance(upper, known);
    if (edits <= MAX_TYPO_EDITS && (closest === undefined || edits < closest.edits)) closest = { known, edits };
  }
  return closest?.known;
}

/**
 * `the sender does not read TWILIO_PHONE_NUMBR (TWILIO_PHONE_NUMBER?), MY_NOTE`: the names of
 * `names` that no secret of SECRETS has, each with its likely intended name; undefined when the
 * sender reads them all. Deploy's own AUTH0_ keys are to be left out by the caller.
 */
export function unreadSecretsSentence(names: Iterable<string>): string | undefined {
  const unread = [...names].filter((name) => !ALL_SECRET_NAMES.includes(name));
  if (unread.length === 0) return undefined;
  const described = unread.map((name) => {
    const closest = closestKnownName(name);
    return closest === undefined ? name : `${name} (${closest}?)`;
  });
  return `the sender does not read ${described.join(', ')}`;
}
