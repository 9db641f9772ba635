import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAction, recordingNotificationApi } from '../../tools/runtime/action-runtime';
import { compileHook, runtimeRequire, type HookPayload } from '../../tools/runtime/auth0-hook-runtime';
import { capturingConsole } from '../../tools/runner/targets';

export { runtimeRequire };

const ROOT = join(__dirname, '..', '..');

export type Entry = 'hook/send-phone-message' | 'actions/send-phone-message' | 'actions/custom-phone-provider';

/**
 * A bundle the tests built (test/global-setup.js) with one of their customizations
 * (test/fixtures/customizations/), `identity` unless said otherwise.
 */
export function testBundle(entry: Entry, customization = 'identity'): string {
  return readFileSync(join(ROOT, 'build', 'test-dist', customization, `${entry}.js`), 'utf8');
}

/** The committed bundle an admin pastes. */
export function shippedBundle(entry: Entry): string {
  return readFileSync(join(ROOT, 'dist', `${entry}.js`), 'utf8');
}

function readSample(name: string): unknown {
  return JSON.parse(readFileSync(join(ROOT, 'samples', `${name}.json`), 'utf8'));
}

export function samplePayload(name: string): HookPayload {
  return readSample(name) as HookPayload;
}

export function sampleEvent(name: string, secrets: Record<string, string>): Record<string, unknown> {
  return { ...(readSample(name) as Record<string, unknown>), secrets };
}

export interface BundleOptions {
  /** The code to run; the identity test bundle by default. */
  script?: string;
  /** Globals the bundle sees instead of the real ones (a fake clock's timers). */
  globals?: Record<string, unknown>;
  /** Resolves what the bundle requires besides `twilio` (libphonenumber-js …). */
  modules?: Record<string, unknown>;
}

function requireFor(twilio: unknown, modules: Record<string, unknown> = {}) {
  const base = runtimeRequire(twilio);
  return (id: string): unknown => {
    if (id in modules) {
      const module = modules[id];
      if (module === undefined) throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
      return module;
    }
    return base(id);
  };
}

/** The hook compiled by Auth0's compiler, with `twilio` supplied; its log lines land in `logs`. */
export async function compiledHook(twilio: unknown, options: BundleOptions = {}) {
  const logs: string[] = [];
  const hook = await compileHook(options.script ?? testBundle('hook/send-phone-message'), {
    require: requireFor(twilio, options.modules),
    console: capturingConsole(logs),
    ...(options.globals ? { globals: options.globals } : {}),
  });
  return { hook, logs };
}

/** The attempts that log lines count in all (`attempts=N`); NaN if a line does not say. */
export function attemptsLogged(lines: readonly string[]): number {
  return lines.reduce((sum, line) => sum + Number(/ attempts=(\d+) /.exec(line)?.[1] ?? NaN), 0);
}

type Handler = (event: unknown, api: unknown) => Promise<unknown>;

function actionHandler(entry: Entry, exportName: string, twilio: unknown, options: BundleOptions) {
  const logs: string[] = [];
  const exported = loadAction(options.script ?? testBundle(entry), {
    require: requireFor(twilio, options.modules),
    console: capturingConsole(logs),
    ...(options.globals ? { globals: options.globals } : {}),
  });
  return { handler: exported[exportName] as Handler, logs };
}

/** The Send Phone Message action, loaded as Auth0 loads it, with `twilio` supplied. */
export function sendPhoneMessageAction(twilio: unknown, options: BundleOptions = {}) {
  const { handler, logs } = actionHandler('actions/send-phone-message', 'onExecuteSendPhoneMessage', twilio, options);
  return { run: (event: unknown) => handler(event, {}), logs };
}

/** The Custom Phone Provider action; `run` reports the retry/drop calls it made. */
export function customPhoneProviderAction(twilio: unknown, options: BundleOptions = {}) {
  const { handler, logs } = actionHandler('actions/custom-phone-provider', 'onExecuteCustomPhoneProvider', twilio, options);
  /** Runs the action with a recording `api` (or the one given). */
  const run = async (event: unknown, api?: unknown) => {
    const recorder = recordingNotificationApi();
    const returned = await handler(event, api ?? recorder.api);
    return { returned, calls: recorder.calls };
  };
  return { run, logs };
}
