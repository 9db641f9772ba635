import type { KeyValueCache } from '../../src/core/cache-budget';
import { loadAction, recordingNotificationApi } from '../../tools/runtime/action-runtime';
import { compiledHook, runtimeRequire, testBundle, type BundleOptions } from './bundles';
import type { EntryName } from './entries';

// The three entries, loaded as Auth0 loads them, sent one-time codes the way WhatsApp takes
// them (an SMS that carries a code), with what the WhatsApp tests need besides: Auth0's
// `api.cache` for the actions, a correlation ID, and the delivery read back from the log line.

/** One one-time code to send, in one vocabulary; each entry receives it in its own Auth0 shape. */
export interface CodeRequest {
  secrets: Record<string, string>;
  recipient: string;
  code: string;
  purpose?: 'enrollment' | 'verification';
  /** `event.transaction.correlation_id` of the actions (the hook has none). */
  correlationId?: string;
}

/** What an entry answered, read the same way for the three. */
export interface CodeOutcome {
  delivered: boolean;
  /** From the line logged for a delivery: what carried the code, through which API, Twilio's SID, and why SMS did. */
  channel: string | undefined;
  api: string | undefined;
  sid: string | undefined;
  fallbackReason: string | undefined;
  /** What the pre-send checks could not look at (`lookup not consulted (error 20503)`), from the log line. */
  shieldNotes: string | undefined;
  /** The error message, or the reason given to retry/drop. */
  message: string | undefined;
  transient: boolean | undefined;
  logs: string[];
  /** The envelope (hook), thrown error (Send Phone Message) or retry/drop calls (Custom Phone Provider), as given. */
  raw: unknown;
}

/** Auth0's `api.cache` of the actions, as a map that keeps what it is given; `values` shows what it holds. */
export interface ActionCache {
  get(key: string): { value: string } | undefined;
  set(key: string, value: string, options?: { ttl?: number }): { type: 'success' };
  values: Map<string, string>;
}

export function actionCache(): ActionCache {
  const values = new Map<string, string>();
  return {
    values,
    get: (key) => {
      const value = values.get(key);
      return value === undefined ? undefined : { value };
    },
    set: (key, value) => {
      values.set(key, value);
      return { type: 'success' };
    },
  };
}

/** `sent sms to +5511***4321 via messaging sid=SM… attempts=2 ms=812 cid=… after whatsapp: … shield: …` */
const DELIVERED_LINE = /^twilio-phone-message: sent (\S+) to \S+ via (\S+) sid=(\S+) attempts=\d+ ms=\d+(?: cid=\S+)?(?: after whatsapp: (.*?))?(?: shield: (.*))?$/;

function outcomeFromLogs(logs: string[], raw: unknown): CodeOutcome {
  const delivered = logs.length === 1 ? DELIVERED_LINE.exec(logs[0] ?? '') : null;
  return {
    delivered: delivered !== null,
    channel: delivered?.[1],
    api: delivered?.[2],
    sid: delivered?.[3],
    fallbackReason: delivered?.[4],
    shieldNotes: delivered?.[5],
    message: undefined,
    transient: undefined,
    logs: [...logs],
    raw,
  };
}

export interface LoadOptions extends BundleOptions {
  /** Auth0's `api.cache` handed to the actions; none by default, as in a test's bare `api`. */
  cache?: KeyValueCache;
}

/**
 * The entry loaded once, as a warm container holds it (compiled by Auth0's compiler for the
 * hook): each call of the function returned sends it one code. Its memory of WhatsApp numbers is
 * this container's; another load is another container.
 */
export async function loadCodeEntry(entry: EntryName, twilio: unknown, options: LoadOptions = {}): Promise<(request: CodeRequest) => Promise<CodeOutcome>> {
  const logs: string[] = [];
  const actionConsole = capturingConsole(logs);
  const { cache, ...bundleOptions } = options;
  if (entry === 'hook') {
    const { hook, logs: hookLogs } = await compiledHook(twilio, { ...bundleOptions, script: bundleOptions.script ?? testBundle('hook/send-phone-message') });
    return async (request) => {
      hookLogs.length = 0;
      const envelope = await hook.invoke(hookPayload(request), request.secrets);
      if (hook.extraAnswers !== 0) throw new Error(`the hook answered ${hook.extraAnswers + 1} times`);
      if (envelope.status === 'success') return outcomeFromLogs(hookLogs, envelope);
      const data = envelope.data as { message?: string; transient?: boolean };
      return { ...outcomeFromLogs(hookLogs, envelope), delivered: false, message: data.message, transient: data.transient };
    };
  }
  const runtime = { require: runtimeRequire(twilio), console: actionConsole, ...(bundleOptions.globals ? { globals: bundleOptions.globals } : {}) };
  if (entry === 'send-phone-message') {
    const exported = loadAction(bundleOptions.script ?? testBundle('actions/send-phone-message'), runtime);
    const handler = exported.onExecuteSendPhoneMessage as (event: unknown, api: unknown) => Promise<unknown>;
    return async (request) => {
      logs.length = 0;
      return handler(sendPhoneMessageEvent(request), cache === undefined ? {} : { cache }).then(
        () => outcomeFromLogs(logs, undefined),
        (error: unknown) => {
          const { message, transient } = error as Error & { transient?: boolean };
          return { ...outcomeFromLogs(logs, error), delivered: false, message, transient };
        },
      );
    };
  }
  const exported = loadAction(bundleOptions.script ?? testBundle('actions/custom-phone-provider'), runtime);
  const handler = exported.onExecuteCustomPhoneProvider as (event: unknown, api: unknown) => Promise<unknown>;
  return async (request) => {
    logs.length = 0;
    const recorder = recordingNotificationApi();
    await handler(customPhoneProviderEvent(request), cache === undefined ? recorder.api : { ...recorder.api, cache });
    const { calls } = recorder;
    const [call] = calls;
    if (calls.length > 1) throw new Error(`the Custom Phone Provider action made ${calls.length} calls: ${JSON.stringify(calls)}`);
    return call === undefined
      ? outcomeFromLogs(logs, calls)
      : { ...outcomeFromLogs(logs, calls), delivered: false, message: call.reason, transient: call.method === 'retry' };
  };
}

function capturingConsole(logs: string[]) {
  const record = (...parts: unknown[]): void => {
    logs.push(parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' '));
  };
  return { log: record, info: record, warn: record, error: record };
}

const CLIENT = { client_id: 'sQ3dEM9w5Yb4rZkNz0aT1cVfUgHjKlMn', name: 'Acme Portal' };
const USER = { user_id: 'auth0|65a1b2c3d4e5f60718293a4b', email: 'jane.doe@example.com', user_metadata: {}, app_metadata: {} };
const textOf = (request: CodeRequest) => `Your Acme ${request.purpose ?? 'verification'} code is ${request.code}`;
const transaction = (request: CodeRequest) => (request.correlationId === undefined ? {} : { transaction: { correlation_id: request.correlationId } });

function hookPayload(request: CodeRequest) {
  return {
    recipient: request.recipient,
    text: textOf(request),
    context: {
      factor_type: 'first',
      message_type: 'sms',
      action: request.purpose === 'enrollment' ? 'enrollment' : 'second-factor-authentication',
      language: 'en',
      code: request.code,
      ip: '203.0.113.7',
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0',
      client: { ...CLIENT, client_metadata: { brand: 'Acme' } },
      user: USER,
    },
  };
}

function sendPhoneMessageEvent(request: CodeRequest) {
  return {
    message_options: {
      action: request.purpose === 'enrollment' ? 'enrollment' : 'second-factor-authentication',
      code: request.code,
      message_type: 'sms',
      recipient: request.recipient,
      text: textOf(request),
    },
    secrets: request.secrets,
    client: { ...CLIENT, metadata: { brand: 'Acme' } },
    request: { ip: '203.0.113.7', language: 'en' },
    user: USER,
    ...transaction(request),
  };
}

function customPhoneProviderEvent(request: CodeRequest) {
  return {
    notification: {
      recipient: request.recipient,
      as_text: textOf(request),
      as_voice: textOf(request),
      code: request.code,
      delivery_method: 'text',
      message_type: request.purpose === 'enrollment' ? 'otp_enroll' : 'otp_verify',
      locale: 'en',
    },
    secrets: request.secrets,
    client: { ...CLIENT, metadata: { brand: 'Acme' } },
    request: { ip: '203.0.113.7', language: 'en' },
    user: USER,
    ...transaction(request),
  };
}
