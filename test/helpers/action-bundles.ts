import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAction, recordingNotificationApi } from '../../tools/runtime/action-runtime';
import { capturingConsole } from '../../tools/runner/targets';
import { runtimeRequire } from './hook-bundle';

const DIST = join(__dirname, '..', '..', 'dist', 'actions');

export function actionBundle(name: 'send-phone-message' | 'custom-phone-provider'): string {
  return readFileSync(join(DIST, `${name}.js`), 'utf8');
}

export function sampleEvent(name: string, secrets: Record<string, string>): Record<string, unknown> {
  const event = JSON.parse(readFileSync(join(__dirname, '..', '..', 'samples', `${name}.json`), 'utf8')) as Record<string, unknown>;
  return { ...event, secrets };
}

type Handler = (event: unknown, api: unknown) => Promise<unknown>;

function handlerOf(name: 'send-phone-message' | 'custom-phone-provider', exportName: string, twilio: unknown, globals?: Record<string, unknown>) {
  const logs: string[] = [];
  const exported = loadAction(actionBundle(name), { require: runtimeRequire(twilio), console: capturingConsole(logs), ...(globals ? { globals } : {}) });
  return { handler: exported[exportName] as Handler, logs };
}

/** The Send Phone Message action bundle, loaded as Auth0 loads it, with `twilio` supplied. */
export function sendPhoneMessageAction(twilio: unknown, globals?: Record<string, unknown>) {
  const { handler, logs } = handlerOf('send-phone-message', 'onExecuteSendPhoneMessage', twilio, globals);
  return { run: (event: unknown) => handler(event, {}), logs };
}

/** The Custom Phone Provider action bundle; `run` reports the retry/drop calls it made. */
export function customPhoneProviderAction(twilio: unknown, globals?: Record<string, unknown>) {
  const { handler, logs } = handlerOf('custom-phone-provider', 'onExecuteCustomPhoneProvider', twilio, globals);
  const run = async (event: unknown) => {
    const recorder = recordingNotificationApi();
    const returned = await handler(event, recorder.api);
    return { returned, calls: recorder.calls };
  };
  return { run, logs };
}
