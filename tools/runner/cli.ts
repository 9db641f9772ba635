import { existsSync } from 'node:fs';
import twilio = require('twilio');
import { SECRET_NAMES } from '../../src/core/config';
import { routeTwilio } from '../fake-twilio/route';
import { FakeTwilio, type FakeFault } from '../fake-twilio/server';
import { trustFakeCertificate } from '../fake-twilio/tls';
import { answerWithoutFrames } from './answer';
import { formatRequests, painter } from './print';
import { describeWhatsApp, readSample, setUpFake } from './sample';
import { parseCommandLine, readCommandLine, UsageError, type CommandOutput } from '../command-line';
import { DEMO_SECRETS, liveRefusal, loadSecrets } from './secrets';
import { HOOK_TARGET, PAYLOAD_KINDS, payloadKind, RUN_TARGETS, type RunTarget } from './targets';

export const USAGE = `Usage: npm start -- [PAYLOAD.json] [options]

Runs a built entry exactly as Auth0 runs it, with a sample payload, against a fake Twilio
on 127.0.0.1 (no account, no network: Twilio's host names are routed to it), and prints what
it answered, its log lines and the requests Twilio received, each with the status Twilio
answered (status=, error_code=, code=).

Options:
  PAYLOAD.json          the payload to run (default: samples/sms-enrollment.json for the hook)
  --action NAME         which entry to run: ${RUN_TARGETS.map((t) => t.name).join(', ')} (default: hook)
  --secrets FILE        read the secrets from this dotenv file (default: .env when present,
                        else built-in demo secrets); .env.example documents each one
  --live                send through the real Twilio API with the credentials of the secrets
                        file: a real message to the payload's recipient
  --fail FAULT          make the fake answer every request with a fault: a Twilio error code
                        (21211, 21610, 60203, …), an HTTP error status (429, 500, 503), or
                        hang, stall, trickle, reset, malformed, gateway (a 502 HTML page)
  --stack               show an error answer's stack whole: by default its frames, which are
                        this machine's (the runner, Auth0's compiler, Node), are left out
  --help                show this help

Samples (samples/), for the hook unless an action is named:
  sms-enrollment.json, sms-second-factor.json       a code by SMS
  voice-enrollment.json, voice-second-factor.json   a code by a voice call
  whatsapp-code.json        a code to Brazil, whose recipient is on WhatsApp: the status reads
                            show sent, then delivered
  whatsapp-fallback.json    a code to India, whose recipient is not on WhatsApp: the status read
                            shows failed 63003, then SMS carries the code
  action-send-phone-message.json, action-send-phone-message-voice.json
                            --action send-phone-message: a code by SMS, by voice
  action-custom-phone-provider.json, action-custom-phone-provider-voice.json,
  action-custom-phone-provider-blocked.json, action-custom-phone-provider-whatsapp.json
                            --action custom-phone-provider: a code by SMS, by voice, a
                            blocked-account notice, a code on WhatsApp

A payload's "fake" section sets up the fake Twilio and is not handed to the entry: "onWhatsApp"
lists the numbers on WhatsApp, each with the statuses successive reads of a message to it show
({ "+5511987654321": { "statuses": ["sent", "delivered"] } }); anyone else is not on WhatsApp.
The fake's account is the one the secrets describe, its WhatsApp sender and Verify service
included. The built-in demo secrets send codes to ${DEMO_SECRETS[SECRET_NAMES.whatsappCountries]} on WhatsApp first (${SECRET_NAMES.whatsappCountries});
your own (.env, --secrets) are used as they are, so without ${SECRET_NAMES.whatsappCountries} the
WhatsApp samples go by SMS. A sample never changes the secrets; --live ignores its "fake" section.

Exit code: 0 when the entry succeeded, 1 when it answered with an error, 2 on a usage error.`;

export interface RunnerIo extends CommandOutput {
  colour: boolean;
}

interface RunnerArguments {
  target: RunTarget;
  payloadPath: string;
  secretsPath: string | undefined;
  live: boolean;
  fail: FakeFault | undefined;
  /** Show an error answer's stack frames too. */
  stack: boolean;
  help: boolean;
}

const NAMED_FAULTS: ReadonlyMap<string, FakeFault> = new Map<string, FakeFault>([
  ['hang', { kind: 'hang' }],
  ['stall', { kind: 'stall-after-headers' }],
  ['trickle', { kind: 'trickle', byteIntervalMs: 200 }],
  ['reset', { kind: 'reset' }],
  ['malformed', { kind: 'malformed-json' }],
  ['gateway', { kind: 'gateway', status: 502, body: 'html' }],
]);

function parseFault(text: string): FakeFault {
  const named = NAMED_FAULTS.get(text);
  if (named !== undefined) return named;
  const number = /^[0-9]{3,5}$/.test(text) ? Number(text) : Number.NaN;
  if (number >= 400 && number < 600) return { kind: 'http-status', status: number };
  if (number >= 10_000) return { kind: 'twilio-error', code: number };
  throw new UsageError(
    `--fail takes a Twilio error code (21211), an HTTP error status (400 to 599), or one of ${[...NAMED_FAULTS.keys()].join(', ')}; got "${text}".`,
  );
}

function parseRunnerArguments(argv: readonly string[]): RunnerArguments {
  const { values, positionals } = parseCommandLine({
    args: [...argv],
    allowPositionals: true,
    options: {
      action: { type: 'string' },
      secrets: { type: 'string' },
      live: { type: 'boolean', default: false },
      fail: { type: 'string' },
      stack: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  // --help is answered whatever else the line holds.
  if (values.help) return { target: HOOK_TARGET, payloadPath: HOOK_TARGET.defaultSample, secretsPath: undefined, live: false, fail: undefined, stack: false, help: true };
  const targetName = values.action ?? 'hook';
  const target = RUN_TARGETS.find((candidate) => candidate.name === targetName);
  if (target === undefined) {
    throw new UsageError(`Unknown --action "${targetName}"; choose one of: ${RUN_TARGETS.map((t) => t.name).join(', ')}.`);
  }
  if (positionals.length > 1) throw new UsageError(`One payload file at a time; got ${positionals.join(', ')}.`);
  if (values.live && values.fail !== undefined) throw new UsageError('--fail scripts the fake Twilio; it cannot be combined with --live.');
  return {
    target,
    payloadPath: positionals[0] ?? target.defaultSample,
    secretsPath: values.secrets,
    live: values.live,
    fail: values.fail === undefined ? undefined : parseFault(values.fail),
    stack: values.stack,
    help: false,
  };
}

/** An argument as a shell takes it back: quoted when it holds anything but plain path characters. */
function shellWord(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replaceAll("'", `'\\''`)}'`;
}

/** A hook payload run as an action, or an action event run as the hook, would fail in confusing ways. */
function checkPayloadKind(payload: unknown, path: string, target: RunTarget): void {
  const kind = payloadKind(payload);
  if (kind === undefined || kind === target.name) return;
  const run = kind === 'hook' ? 'without --action (or with --action hook)' : `with --action ${kind}`;
  throw new UsageError(`${path} is ${PAYLOAD_KINDS[kind]}, not ${PAYLOAD_KINDS[target.name]}: run it ${run}.`);
}

/** Runs the runner; resolves with the process exit code. */
export async function runCli(argv: readonly string[], io: RunnerIo): Promise<number> {
  const parsed = readCommandLine(argv, parseRunnerArguments, USAGE, io);
  if (typeof parsed === 'number') return parsed;
  const paint = painter(io.colour);
  const print = (line = ''): void => io.write(`${line}\n`);

  let fake: FakeTwilio | undefined;
  /** Undoes the route to the fake and the trust in its certificate. */
  const undo: Array<() => void> = [];
  try {
    const { target, payloadPath, live, fail } = parsed;
    const { payload, fake: fakeSetup } = readSample(payloadPath);
    checkPayloadKind(payload, payloadPath, target);
    const loaded = loadSecrets(parsed.secretsPath);
    if (live) {
      const refusal = liveRefusal(loaded);
      if (refusal !== undefined) throw new UsageError(refusal);
    }
    if (!existsSync(target.bundlePath)) throw new UsageError(`${target.bundlePath} is missing; run \`npm run build\`.`);

    if (!live) {
      const secret = (name: string): string | undefined => loaded.secrets[name]?.trim();
      const apiKey = secret(SECRET_NAMES.apiKey);
      const apiSecret = secret(SECRET_NAMES.apiSecret);
      fake = await new FakeTwilio({
        accountSid: secret(SECRET_NAMES.accountSid) ?? '',
        authToken: secret(SECRET_NAMES.authToken) ?? '',
        ...(apiKey && apiSecret ? { apiKeys: { [apiKey]: apiSecret } } : {}),
      }).start();
      setUpFake(fake, loaded.secrets, fakeSetup);
      if (fail !== undefined) fake.failAlways(fail);
      // The entry addresses api.twilio.com (or its region's host) as at Auth0; the network takes it to the fake.
      undo.push(await trustFakeCertificate(), routeTwilio(fake.port));
    }

    print(`${paint('bold', target.title)} ${paint('dim', `${target.bundlePath} (${target.loadedAs})`)}`);
    print(`${paint('dim', 'payload:')} ${payloadPath}   ${paint('dim', 'secrets:')} ${loaded.source}`);
    print(`${paint('dim', 'twilio:')} ${live ? paint('yellow', 'LIVE, the real Twilio API') : `fake on ${fake?.baseUrl}, Twilio's hosts routed there${fail ? `, failing with ${JSON.stringify(fail)}` : ''}`}`);
    if (fakeSetup !== undefined) {
      print(`${paint('dim', 'whatsapp:')} ${live ? `the payload's "fake" section is for the fake Twilio: ignored` : describeWhatsApp(loaded.secrets, loaded.source, fakeSetup)}`);
    }
    print();

    const outcome = await target.run(twilio, payload, loaded.secrets);
    print(paint('bold', outcome.resultTitle));
    const shown = parsed.stack ? { answer: outcome.result, framesLeftOut: 0 } : answerWithoutFrames(outcome.result);
    print(paint(outcome.succeeded ? 'green' : 'red', JSON.stringify(shown.answer, null, 2)));
    if (shown.framesLeftOut > 0) {
      print(paint('dim', `(its stack's ${shown.framesLeftOut} frames, places on this machine rather than in Auth0's runtime, are left out: npm start -- ${['--stack', ...argv].map(shellWord).join(' ')} shows them)`));
    }
    print();
    print(paint('bold', 'Logs'));
    for (const line of outcome.logs.length > 0 ? outcome.logs : ['(none)']) print(line);
    if (fake !== undefined) {
      print();
      for (const line of formatRequests(fake.requests, paint)) print(line);
    }
    return outcome.succeeded ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      io.writeError(`${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    for (const step of undo.reverse()) step();
    await fake?.stop();
  }
}
