import { ALL_SECRET_NAMES, readConfig, SECRET_NAMES, type SenderConfig } from '../../src/core/config';
import { ConfigurationError } from '../../src/core/errors';

/**
 * Every secret the sender would refuse, in one run, each in the sender's own words. The sender's
 * readConfig stops at the first problem (an action refuses every message whatever the second
 * is), so it is asked again on the secrets less the one its message names, until it reads them:
 * each message starts with the name of the secret it is about. A message that names a secret
 * already reported (`TWILIO_API_SECRET is set but TWILIO_API_KEY is not`, after a malformed
 * TWILIO_API_KEY was taken out) follows from that report and is not reported again. A required
 * secret taken out is read as a well-formed stand-in, so that the rest is still read.
 */

/** Well-formed values for the secrets readConfig requires, never sent anywhere: the secrets after them are still read. */
const STAND_INS: Readonly<Record<string, string>> = {
  [SECRET_NAMES.accountSid]: `AC${'0'.repeat(32)}`,
  [SECRET_NAMES.authToken]: 'stand-in',
};

export interface SecretProblems {
  /** The sender's configuration, when it reads the secrets as they are. */
  config: SenderConfig | undefined;
  /** What it refuses, each once, in its order of reading. */
  problems: string[];
}

/** The secret a message of readConfig is about: the name it starts with. */
function subjectOf(message: string): string | undefined {
  const first = /^[A-Z][A-Z0-9_]*/.exec(message)?.[0];
  return first !== undefined && ALL_SECRET_NAMES.includes(first) ? first : undefined;
}

const mentions = (message: string, name: string): boolean => new RegExp(`\\b${name}\\b`).test(message);

export function secretProblems(secrets: Readonly<Record<string, string>>, loadPhoneNumberLibrary: () => unknown): SecretProblems {
  const remaining: Record<string, string> = { ...secrets };
  const reported: string[] = [];
  const problems: string[] = [];
  for (;;) {
    let config: SenderConfig;
    try {
      config = readConfig(remaining, loadPhoneNumberLibrary);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      if (!reported.some((name) => mentions(error.message, name))) problems.push(error.message);
      const subject = subjectOf(error.message);
      if (subject === undefined) return { config: undefined, problems };
      reported.push(subject);
      const standIn = STAND_INS[subject];
      if ((remaining[subject] ?? '').trim() !== '' && remaining[subject] !== standIn) delete remaining[subject];
      else if (standIn !== undefined && remaining[subject] !== standIn) remaining[subject] = standIn;
      // Neither there to take out nor to stand in for: the rest cannot be read past it.
      else return { config: undefined, problems };
      continue;
    }
    return { config: problems.length === 0 ? config : undefined, problems };
  }
}
