import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileHook, type HookConsole, type HookPayload, type ModuleLoader } from '../../src/runtime/auth0-hook-runtime';

export const HOOK_BUNDLE_PATH = join(__dirname, '..', '..', 'dist', 'hook', 'send-phone-message.js');
export const hookBundle = (): string => readFileSync(HOOK_BUNDLE_PATH, 'utf8');

export function samplePayload(name: string): HookPayload {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'samples', `${name}.json`), 'utf8')) as HookPayload;
}

/** A `require` like the hook runtime's: the declared `twilio`, and Node's built-ins. */
export function runtimeRequire(twilio: unknown): ModuleLoader {
  return (id) => (id === 'twilio' ? twilio : require(id));
}

/** Compiles the committed bundle with Auth0's compiler; its log lines land in `logs`. */
export async function compiledHook(twilio: unknown, globals?: Record<string, unknown>) {
  const logs: string[] = [];
  const record = (...parts: unknown[]) => logs.push(parts.map(String).join(' '));
  const hookConsole: HookConsole = { log: record, info: record, warn: record, error: record };
  const hook = await compileHook(hookBundle(), { require: runtimeRequire(twilio), console: hookConsole, ...(globals ? { globals } : {}) });
  return { hook, logs };
}
