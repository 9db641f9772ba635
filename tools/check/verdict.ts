/**
 * What one check found, as one line of output: passed, failed (with what to do), flagged (works,
 * with a limit worth knowing: a trial account), not configured (the secrets or the tenant use no
 * such thing: nothing to check), or not checked (it would be, but an earlier failure leaves
 * nothing to check it with).
 */
export type Outcome = 'passed' | 'failed' | 'flagged' | 'not configured' | 'not checked';

export interface Verdict {
  /** The check's name, the first column: `credentials`, `verify`. */
  check: string;
  outcome: Outcome;
  /** What was found, or why there was nothing to check. */
  detail: string;
  /** What to do, in the Twilio Console's words; for a failure or a flag. */
  fix?: string;
}

export const passed = (check: string, detail: string): Verdict => ({ check, outcome: 'passed', detail });
export const failed = (check: string, detail: string, fix?: string): Verdict => ({ check, outcome: 'failed', detail, ...(fix === undefined ? {} : { fix }) });
export const flagged = (check: string, detail: string, fix: string): Verdict => ({ check, outcome: 'flagged', detail, fix });
export const notConfigured = (check: string, detail: string): Verdict => ({ check, outcome: 'not configured', detail });
export const notChecked = (check: string, detail: string): Verdict => ({ check, outcome: 'not checked', detail });

/** `AC…1234`: which SID, without the whole of it. */
export const shortSid = (sid: string): string => `${sid.slice(0, 2)}…${sid.slice(-4)}`;

/** `Auth0 codes (MG…abcd)`: a resource by its name, when it has one, and its SID. */
export const named = (name: string | null | undefined, sid: string): string => (name ? `${name} (${shortSid(sid)})` : shortSid(sid));
