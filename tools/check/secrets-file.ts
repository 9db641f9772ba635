import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';

/** What the deploy file holds for the Management API: not Twilio's, read apart (tenant-calls.ts) to learn whether the tenant offers calls. */
const AUTH0_PREFIX = 'AUTH0_';

/**
 * The Twilio secrets of a dotenv file (`npm run deploy`'s): every line but the AUTH0_ ones, as
 * written (the sender's readConfig trims and reads them).
 */
export function readTwilioSecrets(file: string): Record<string, string> {
  return Object.fromEntries(Object.entries(parse(readFileSync(file))).filter(([name]) => !name.startsWith(AUTH0_PREFIX)));
}
