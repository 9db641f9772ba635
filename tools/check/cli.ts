/**
 * `npm run check`: tells a tenant, before any login depends on it, whether its Twilio account
 * will deliver, from the same secrets the sender uses (the dotenv file of `npm run deploy`).
 *
 *   npm run check [-- --secrets FILE] [--send-to +E164]
 *
 * Read-only unless --send-to: one line per check (passed, failed with what to do, flagged, not
 * configured, not checked), no secret and no whole phone number. With the deploy's AUTH0_ lines it
 * also reads the tenant's MFA phone message types, and checks voice only when calls are on. Exit
 * codes: 0 every configured check passed, 1 a check failed, 2 wrong usage. Started by scripts/run-ts.js, which calls runCli; a test
 * calls it too, or runCheck (run.ts) with its own twilio.
 */
import twilio = require('twilio');
import { readCommandLine, secretsFileGiven } from '../command-line';
import { parseCheckArguments, USAGE } from './args';
import { checkScrubber, reportLines } from './print';
import { runCheck } from './run';
import { readTwilioSecrets } from './secrets-file';
import { readTenantCalls } from './tenant-calls';
import type { TwilioLibrary } from '../runtime/twilio-transport';
import { PHONE_NUMBER_METADATA } from '../../src/core/number-metadata';

export interface CheckIo {
  write(text: string): void;
  writeError(text: string): void;
  /** stdout is a terminal and NO_COLOR is unset. */
  colour: boolean;
  /** Where relative paths on the command line start (the shell's directory). */
  cwd: string;
  /** A test's twilio (pointed at the fake); `require('twilio')` otherwise. */
  twilio?: TwilioLibrary;
}

export async function runCli(argv: readonly string[], io: CheckIo): Promise<number> {
  const options = readCommandLine(argv, parseCheckArguments, USAGE, io);
  if (typeof options === 'number') return options;
  const file = secretsFileGiven(options.secretsFile, io, 'the Twilio secrets');
  if (typeof file === 'number') return file;
  const { shown } = file;
  const secrets = readTwilioSecrets(file.path);
  const scrubber = checkScrubber(secrets);
  io.write(`${scrubber.clean(`Checking the Twilio secrets of ${shown}, ${options.sendTo === undefined ? 'read-only: nothing is sent, nothing changes.' : `read-only until the last step, which sends one code to ${options.sendTo}.`}`)}\n\n`);
  const calls = await readTenantCalls(file.path);
  const report = await runCheck({ secrets, file: shown, sendTo: options.sendTo, calls }, { twilio: io.twilio ?? twilio, phoneNumberLibrary: () => require(PHONE_NUMBER_METADATA) });
  io.write(`${reportLines(report, scrubber, io.colour).join('\n')}\n`);
  return report.ok ? 0 : 1;
}
