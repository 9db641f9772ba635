// One cold start, in a fresh process started by tools/bench/bench.ts: read and compile a hook bundle
// with Auth0's compiler, invoke it once against the fake Twilio, and print the milliseconds
// from before the compile to the first callback. The first invocation loads `twilio`.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { redirectedTwilio } from '../fake-twilio/redirect';
import { compileHook } from '../runtime/auth0-hook-runtime';
import type { TwilioLibrary } from '../runtime/twilio-transport';

async function main(): Promise<void> {
  const [bundlePath, baseUrl, caPath, payloadPath, secretsJson] = process.argv.slice(2);
  if (!bundlePath || !baseUrl || !caPath || !payloadPath || !secretsJson) throw new Error('usage: cold-start BUNDLE URL CA PAYLOAD SECRETS');
  // Trusted by the sender's transport and by twilio's RequestClient alike.
  process.env.TWILIO_CA_BUNDLE = caPath;
  const payload = JSON.parse(readFileSync(payloadPath, 'utf8')) as unknown;
  const silent = { log() {}, info() {}, warn() {}, error() {} };
  let twilio: TwilioLibrary | undefined;
  const runtimeRequire = (id: string): unknown => {
    if (id !== 'twilio') return require(id);
    twilio ??= redirectedTwilio(require('twilio') as TwilioLibrary, baseUrl);
    return twilio;
  };

  const started = performance.now();
  const hook = await compileHook(readFileSync(bundlePath, 'utf8'), { require: runtimeRequire, console: silent });
  const envelope = await hook.invoke(payload, JSON.parse(secretsJson) as Record<string, string>);
  const elapsed = performance.now() - started;
  if (envelope.status !== 'success') throw new Error(`cold start failed: ${JSON.stringify(envelope)}`);
  process.stdout.write(`${elapsed}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
