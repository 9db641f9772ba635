import type twilio = require('twilio');
import type { SenderConfig } from '../../src/core/config';
import type { TenantCalls } from './tenant-calls';
import type { Verdict } from './verdict';

/** What each check is given: the secrets as the sender reads them, and a client built as the sender builds its own. */
export interface CheckContext {
  config: SenderConfig;
  /** The real twilio library's client: the sender's credentials, region and edge, and its transport. */
  client: twilio.Twilio;
  /** Whether the tenant offers calls: voice is checked when they are on, flagged rather than failed when unknown. */
  calls: TenantCalls;
}

/** One check of a configured resource: its name (the first column) and what it reads. */
export interface Check {
  name: string;
  run(context: CheckContext): Promise<Verdict>;
}
