import { readFileSync } from 'node:fs';
import { loadAction, recordingNotificationApi } from '../runtime/action-runtime';
import { compileHook, runtimeRequire, type HookConsole } from '../runtime/auth0-hook-runtime';
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

export type PayloadKind = 'hook' | 'send-phone-message' | 'custom-phone-provider';

/** What each entry is run with, as the runner names it in its messages. */
export const PAYLOAD_KINDS: Readonly<Record<PayloadKind, string>> = {
  hook: 'a hook payload (recipient, text, context)',
  'send-phone-message': 'a Send Phone Message action event (message_options)',
  'custom-phone-provider': 'a Custom Phone Provider action event (notification)',
};

/** Which entry a payload is shaped for, by its top-level fields; undefined when it is none of them. */
export function payloadKind(payload: unknown): PayloadKind | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  if ('notification' in payload) return 'custom-phone-provider';
  if ('message_options' in payload) return 'send-phone-message';
  if ('recipient' in payload && 'context' in payload) return 'hook';
  return undefined;
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
      require: runtimeRequire(twilio),
      console: capturingConsole(logs),
    });
    const envelope = await hook.invoke(payload, secrets);
    return { succeeded: envelope.status === 'success', resultTitle: 'Response', result: envelope, logs };
  },
};

/** An event from a file, with the secrets of this run in place of any it carries. */
function eventWithSecrets(payload: unknown, secrets: Record<string, string>): Record<string, unknown> {
  const event = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  return { ...event, secrets };
}

function actionHandler(bundlePath: string, exportName: string, twilio: TwilioLibrary, logs: string[]) {
  const exported = loadAction(readFileSync(bundlePath, 'utf8'), {
    require: runtimeRequire(twilio),
    console: capturingConsole(logs),
  });
  const handler = exported[exportName];
  if (typeof handler !== 'function') throw new Error(`${bundlePath} does not export ${exportName}`);
  return handler as (event: unknown, api: unknown) => Promise<unknown>;
}

export const SEND_PHONE_MESSAGE_ACTION_TARGET: RunTarget = {
  name: 'send-phone-message',
  title: 'Send Phone Message action',
  bundlePath: 'dist/actions/send-phone-message.js',
  defaultSample: 'samples/action-send-phone-message.json',
  async run(twilio, payload, secrets) {
    const logs: string[] = [];
    const handler = actionHandler(this.bundlePath, 'onExecuteSendPhoneMessage', twilio, logs);
    try {
      await handler(eventWithSecrets(payload, secrets), {});
      return { succeeded: true, resultTitle: 'Action result', result: { outcome: 'completed' }, logs };
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      return { succeeded: false, resultTitle: 'Action result', result: { outcome: 'threw', error: { name, message } }, logs };
    }
  },
};

export const CUSTOM_PHONE_PROVIDER_ACTION_TARGET: RunTarget = {
  name: 'custom-phone-provider',
  title: 'Custom Phone Provider action',
  bundlePath: 'dist/actions/custom-phone-provider.js',
  defaultSample: 'samples/action-custom-phone-provider.json',
  async run(twilio, payload, secrets) {
    const logs: string[] = [];
    const handler = actionHandler(this.bundlePath, 'onExecuteCustomPhoneProvider', twilio, logs);
    const recorder = recordingNotificationApi();
    await handler(eventWithSecrets(payload, secrets), recorder.api);
    const [call] = recorder.calls;
    const result = call === undefined ? { outcome: 'delivered' } : { outcome: call.method, reason: call.reason, calls: recorder.calls.length };
    return { succeeded: call === undefined, resultTitle: 'Action result', result, logs };
  },
};

export const RUN_TARGETS: readonly RunTarget[] = [HOOK_TARGET, SEND_PHONE_MESSAGE_ACTION_TARGET, CUSTOM_PHONE_PROVIDER_ACTION_TARGET];
