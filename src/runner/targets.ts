import { readFileSync } from 'node:fs';
import { compileHook, type HookConsole } from '../runtime/auth0-hook-runtime';
import type { TwilioLibrary } from '../runtime/twilio-transport';

/** What one run of an entry produced, for printing. */
export interface RunOutcome {
  succeeded: boolean;
  /** The title of what the entry answered: "Response", "Action result". */
  resultTitle: string;
  result: unknown;
  logs: string[];
}

/** One of the deployable entries, run the way Auth0 runs it. */
export interface RunTarget {
  name: string;
  title: string;
  bundlePath: string;
  defaultSample: string;
  run(twilio: TwilioLibrary, payload: unknown, secrets: Record<string, string>): Promise<RunOutcome>;
}

export function capturingConsole(logs: string[]): HookConsole {
  const record = (...parts: unknown[]): void => {
    logs.push(parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' '));
  };
  return { log: record, info: record, warn: record, error: record };
}

export const HOOK_TARGET: RunTarget = {
  name: 'hook',
  title: 'Send Phone Message hook',
  bundlePath: 'dist/hook/send-phone-message.js',
  defaultSample: 'samples/sms-enrollment.json',
  async run(twilio, payload, secrets) {
    const logs: string[] = [];
    const hook = await compileHook(readFileSync(this.bundlePath, 'utf8'), {
      require: (id) => (id === 'twilio' ? twilio : require(id)),
      console: capturingConsole(logs),
    });
    const envelope = await hook.invoke(payload, secrets);
    return { succeeded: envelope.status === 'success', resultTitle: 'Response', result: envelope, logs };
  },
};

export const RUN_TARGETS: readonly RunTarget[] = [HOOK_TARGET];
