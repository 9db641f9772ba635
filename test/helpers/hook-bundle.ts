import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileHook, runtimeRequire, type HookPayload } from '../../tools/runtime/auth0-hook-runtime';
import { capturingConsole } from '../../tools/runner/targets';

export { runtimeRequire };

export const HOOK_BUNDLE_PATH = join(__dirname, '..', '..', 'dist', 'hook', 'send-phone-message.js');
export const hookBundle = (): string => readFileSync(HOOK_BUNDLE_PATH, 'utf8');

export function samplePayload(name: string): HookPayload {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'samples', `${name}.json`), 'utf8')) as HookPayload;
}

/** Compiles the committed bundle with Auth0's compiler; its log lines land in `logs`. */
export async function compiledHook(twilio: unknown, globals?: Record<string, unknown>) {
  const logs: string[] = [];
  const hook = await compileHook(hookBundle(), { require: runtimeRequire(twilio), console: capturingConsole(logs), ...(globals ? { globals } : {}) });
  return { hook, logs };
}
