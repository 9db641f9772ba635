import { ACTION_CODE, RECIPIENT } from '../fixtures/values';
import { compiledHook, customPhoneProviderAction, samplePayload, sampleEvent, sendPhoneMessageAction, testBundle, type BundleOptions } from './bundles';

/** The three deployable entries, run through the same scenarios. */
export const ENTRIES = ['hook', 'send-phone-message', 'custom-phone-provider'] as const;
export type EntryName = (typeof ENTRIES)[number];

/** A message to send, in one vocabulary; each entry receives it in its own Auth0 shape. */
export interface Scenario {
  secrets: Record<string, string>;
  recipient?: string;
  channel?: 'sms' | 'voice';
  purpose?: 'enrollment' | 'verification';
  text?: string;
  code?: string;
  language?: string;
  clientName?: string;
  clientMetadata?: Record<string, unknown>;
}

/** What an entry answered, read the same way for the three. */
export interface EntryOutcome {
  delivered: boolean;
  /** The error message, or the reason given to retry/drop. */
  message: string | undefined;
  transient: boolean | undefined;
  logs: string[];
  /** The envelope, thrown error or retry/drop calls, as the entry gave them. */
  raw: unknown;
}

const DEFAULTS = { recipient: RECIPIENT, channel: 'sms', purpose: 'verification', code: ACTION_CODE, language: 'en', clientName: 'Acme Portal' } as const;

/** The entry built with a test customization (`identity` by default), run once on `scenario`. */
export async function runEntry(entry: EntryName, twilio: unknown, scenario: Scenario, options: BundleOptions & { customization?: string } = {}): Promise<EntryOutcome> {
  return (await loadedEntry(entry, twilio, options))(scenario);
}

/**
 * The entry loaded once (compiled by Auth0's compiler, for the hook), as a warm container holds
 * it: each call of the function returned runs it on one scenario.
 */
export async function loadedEntry(entry: EntryName, twilio: unknown, options: BundleOptions & { customization?: string } = {}): Promise<(scenario: Scenario) => Promise<EntryOutcome>> {
  const bundleOptions: BundleOptions = { ...options };
  if (entry === 'hook') {
    const { hook, logs } = await compiledHook(twilio, { ...bundleOptions, script: options.script ?? testBundle('hook/send-phone-message', options.customization) });
    return async (scenario) => {
      logs.length = 0;
      const envelope = await hook.invoke(hookPayload(scenario), scenario.secrets);
      const data = envelope.data as { message?: string; transient?: boolean };
      return envelope.status === 'success'
        ? { delivered: true, message: undefined, transient: undefined, logs: [...logs], raw: envelope }
        : { delivered: false, message: data.message, transient: data.transient, logs: [...logs], raw: envelope };
    };
  }
  if (entry === 'send-phone-message') {
    const action = sendPhoneMessageAction(twilio, { ...bundleOptions, script: options.script ?? testBundle('actions/send-phone-message', options.customization) });
    return async (scenario) => {
      action.logs.length = 0;
      return action.run(sendPhoneMessageEvent(scenario)).then(
        () => ({ delivered: true, message: undefined, transient: undefined, logs: [...action.logs], raw: undefined }),
        (error: unknown) => {
          const { message, transient } = error as Error & { transient?: boolean };
          return { delivered: false, message, transient, logs: [...action.logs], raw: error };
        },
      );
    };
  }
  const action = customPhoneProviderAction(twilio, { ...bundleOptions, script: options.script ?? testBundle('actions/custom-phone-provider', options.customization) });
  return async (scenario) => {
    action.logs.length = 0;
    const { calls } = await action.run(customPhoneProviderEvent(scenario));
    const [call] = calls;
    if (calls.length > 1) throw new Error(`the Custom Phone Provider action made ${calls.length} calls: ${JSON.stringify(calls)}`);
    return call === undefined
      ? { delivered: true, message: undefined, transient: undefined, logs: [...action.logs], raw: calls }
      : { delivered: false, message: call.reason, transient: call.method === 'retry', logs: [...action.logs], raw: calls };
  };
}

function withDefaults(scenario: Scenario) {
  const s = { ...DEFAULTS, ...scenario };
  const text = s.text ?? `Your Acme ${s.purpose === 'enrollment' ? 'enrollment' : 'verification'} code is ${s.code}`;
  const client = { client_id: 'sQ3dEM9w5Yb4rZkNz0aT1cVfUgHjKlMn', name: s.clientName };
  const metadata = s.clientMetadata ?? { brand: 'Acme' };
  return { s, text, client, metadata };
}

function hookPayload(scenario: Scenario) {
  const { s, text, client, metadata } = withDefaults(scenario);
  const sample = samplePayload('sms-enrollment');
  return {
    recipient: s.recipient,
    text,
    context: {
      ...sample.context,
      message_type: s.channel,
      action: s.purpose === 'enrollment' ? 'enrollment' : 'second-factor-authentication',
      language: s.language,
      code: s.code,
      client: { ...client, client_metadata: metadata },
    },
  };
}

function sendPhoneMessageEvent(scenario: Scenario) {
  const { s, text, client, metadata } = withDefaults(scenario);
  return {
    ...sampleEvent('action-send-phone-message', s.secrets),
    message_options: {
      action: s.purpose === 'enrollment' ? 'enrollment' : 'second-factor-authentication',
      code: s.code,
      message_type: s.channel,
      recipient: s.recipient,
      text,
    },
    client: { ...client, metadata },
    request: { language: s.language },
  };
}

function customPhoneProviderEvent(scenario: Scenario) {
  const { s, text, client, metadata } = withDefaults(scenario);
  return {
    ...sampleEvent('action-custom-phone-provider', s.secrets),
    notification: {
      recipient: s.recipient,
      as_text: text,
      as_voice: text,
      code: s.code,
      delivery_method: s.channel === 'voice' ? 'voice' : 'text',
      message_type: s.purpose === 'enrollment' ? 'otp_enroll' : 'otp_verify',
      locale: s.language,
    },
    client: { ...client, metadata },
  };
}
