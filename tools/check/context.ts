import type twilio = require('twilio');
import type { SenderConfig } from '../../src/core/config';
import type { Verdict } from './verdict';

/** What each check is given: the secrets as the sender reads them, and a client built as the sender builds its own. */
export interface CheckContext {
  config: SenderConfig;
  /** The real twilio library's client: the sender's credentials, region and edge, and its transport. */
  client: twilio.Twilio;
}

/** One check of a configured resource: its name (the first column) and what it reads. */
export interface Check {
  name: string;
  run(context: CheckContext): Promise<Verdict>;
}
