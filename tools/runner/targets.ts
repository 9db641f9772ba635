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
  name: PayloadKind;
  title: string;
  bundlePath: string;
  /** How Auth0 runs the bundle, for the header of the output. */
  loadedAs: string;
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
  loadedAs: 'compiled by auth0-ext-compilers',
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

type ActionHandler = (event: Record<string, unknown>, api: unknown) => Promise<unknown>;

/**
 * An action entry, loaded as Auth0 loads a module, its handler `exportName` called by `invoke`
 * with the event from the file, this run's secrets in place of any it carries; `invoke` says
 * what the action answered.
 */
function actionTarget(
  name: Exclude<PayloadKind, 'hook'>,
  title: string,
  exportName: string,
  invoke: (handler: ActionHandler, event: Record<string, unknown>) => Promise<Pick<RunOutcome, 'succeeded' | 'result'>>,
): RunTarget {
  const bundlePath = `dist/actions/${name}.js`;
  return {
    name,
    title,
    bundlePath,
    loadedAs: 'loaded as a CommonJS module',
    defaultSample: `samples/action-${name}.json`,
    async run(twilio, payload, secrets) {
      const logs: string[] = [];
      const exported = loadAction(readFileSync(bundlePath, 'utf8'), { require: runtimeRequire(twilio), console: capturingConsole(logs) });
      const handler = exported[exportName];
      if (typeof handler !== 'function') throw new Error(`${bundlePath} does not export ${exportName}`);
      const event = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
      return { resultTitle: 'Action result', logs, ...(await invoke(handler as ActionHandler, { ...event, secrets })) };
    },
  };
}

export const SEND_PHONE_MESSAGE_ACTION_TARGET = actionTarget('send-phone-message', 'Send Phone Message action', 'onExecuteSendPhoneMessage', async (handler, event) => {
  try {
    await handler(event, {});
    return { succeeded: true, result: { outcome: 'completed' } };
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    return { succeeded: false, result: { outcome: 'threw', error: { name, message } } };
  }
});

export const CUSTOM_PHONE_PROVIDER_ACTION_TARGET = actionTarget('custom-phone-provider', 'Custom Phone Provider action', 'onExecuteCustomPhoneProvider', async (handler, event) => {
  const recorder = recordingNotificationApi();
  await handler(event, recorder.api);
  const [call] = recorder.calls;
  if (call === undefined) return { succeeded: true, result: { outcome: 'delivered' } };
  return { succeeded: false, result: { outcome: call.method, reason: call.reason, calls: recorder.calls.length } };
});

export const RUN_TARGETS: readonly RunTarget[] = [HOOK_TARGET, SEND_PHONE_MESSAGE_ACTION_TARGET, CUSTOM_PHONE_PROVIDER_ACTION_TARGET];
