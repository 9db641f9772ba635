import FakeTimers from '@sinonjs/fake-timers';
import fc from 'fast-check';
import { MAX_ATTEMPTS } from '../../src/core/retry';
import { ATTEMPT_TIMEOUT_MS } from '../../src/core/transport';
import { ENTRIES, type EntryName } from '../helpers/entries';
import { expectNoSecrets, expectNumbersMasked } from '../helpers/no-secrets';
import { scriptedTwilio, twilioErrorAnswer, type ScriptedAnswer, type ScriptedRequest } from '../helpers/scripted-twilio';
import { loadCodeEntry, type CodeOutcome } from '../helpers/whatsapp-entries';
import { ACTION_CODE, MESSAGING_SERVICE_SID, SECRETS, VERIFY_SID } from '../fixtures/values';
import { propertyParameters } from './arbitraries';
import { refuseTwilioConnections } from '../helpers/fake-twilio';

refuseTwilioConnections();

/**
 * One-time codes to a WhatsApp country, through each entry, for any script of Twilio: any
 * answers to the WhatsApp creates (accepted, refused, unavailable, stalled, hung, unreadable), any
 * statuses its message shows when read back, any answers to the SMS creates after it; one code,
 * then sometimes a second to the same number. On a fake clock, over the real twilio 6 whose wire
 * is scripted (test/helpers/scripted-twilio.ts): deterministic whatever the machine is doing.
 *
 * What the property calls things:
 * - Twilio *accepted* a message when it answered its create with a success (201), readable or
 *   not: a WhatsApp message, an SMS, or a Verify verification (on WhatsApp or by SMS). A
 *   connection that failed or timed out is taken as a request Twilio never received.
 * - Twilio *reported* a WhatsApp message *failed* when a read of its status answered `failed`,
 *   `undelivered` or `canceled` (every read the sender starts is answered within its window).
 * - A code *reached the user* by each message Twilio accepted and did not report failed during
 *   the send: an SMS, a verification, or a WhatsApp message whose status, as far as the send read
 *   it, never turned failed (still queued or sent when the watch ends counts, as the README says).
 *
 * For every send: every accepted message but the last was a WhatsApp message Twilio reported
 * failed (never two codes); an entry that delivered reached the user with exactly one message,
 * the one it names (channel and SID); an entry that failed reached the user with none, except a
 * message whose success it could not read (an unreadable 201 is reported as "may have been sent").
 * Besides: the outcomes that do not depend on time (a refusal that SMS would meet again fails at
 * once, a refusal that it would not falls back, a WhatsApp message that never fails is the
 * delivery); the second code to a number whose WhatsApp failed for the number's own sake goes
 * straight to SMS, one whose WhatsApp code was still on its way starts by reading it back, any
 * other tries WhatsApp again; one log line, no secret, no code, the number masked.
 */
const RUNS = 500;
const JITTER = 0.5;

type Route = 'from' | 'service' | 'verify';

type CreateAnswer =
  /** 201 with a new SID, after `delayMs`: under the second an attempt is only started with, so the sender reads it. */
  | { kind: 'accepted'; delayMs: number }
  /** 201 whose body is cut: Twilio accepted the message, the sender cannot read it. */
  | { kind: 'unreadable' }
  | { kind: 'refused'; code: number; status: number }
  /** Twilio's JSON for 429 and 5xx. */
  | { kind: 'unavailable'; status: 429 | 500 | 503 }
  /** A gateway's HTML page. */
  | { kind: 'gateway'; status: 502 | 503 | 504 }
  | { kind: 'network'; code: 'ECONNRESET' | 'ECONNREFUSED' }
  /** What the transport makes of a stall: ETIMEDOUT after the attempt's timeout. */
  | { kind: 'stall' }
  | { kind: 'hang' };

/** What one read of a WhatsApp message's status answers: a status (the last one stays), or a 503. */
type StatusStep = { status: string; errorCode?: number } | { readError: true };

interface SendScript {
  /** The answers to this send's WhatsApp creates, in order; accepted once they run out. */
  whatsapp: CreateAnswer[];
  /** What reads of a WhatsApp message this send creates answer, one step a read. */
  statuses: StatusStep[];
  readDelayMs: number;
  /** The answers to this send's SMS creates (Programmable Messaging, or Verify's SMS channel). */
  sms: CreateAnswer[];
}

interface Run {
  route: Route;
  sends: SendScript[];
}

const ACCEPTED: CreateAnswer = { kind: 'accepted', delayMs: 0 };
const TRANSIENT_KINDS = new Set<CreateAnswer['kind']>(['unavailable', 'gateway', 'network', 'stall', 'hang']);
const FAILED_STATUSES = new Set(['failed', 'undelivered', 'canceled']);
const DELIVERED_STATUSES = new Set(['delivered', 'read']);
/** WhatsApp's failures that belong to the number, not to the account's setup: only these are remembered. */
const NUMBER_FAILURE_CODES = new Set([63003, 63024]);

/** Twilio's refusals, with their HTTP status, that SMS would meet again: no fallback after them. */
const SAME_FOR_SMS = {
  messaging: [
    [20003, 401],
    [21211, 400],
  ],
  verify: [
    [20003, 401],
    [60200, 400],
    [60203, 429],
    // Fraud Guard blocks the number's prefix: the service's SMS meets it too.
    [60410, 403],
  ],
} as const;
/** Refusals of the WhatsApp create after which SMS is worth trying. */
const WHATSAPP_ONLY = {
  messaging: [
    [63007, 400],
    [21656, 400],
    [63016, 400],
    [21408, 400],
    [21610, 400],
    [20404, 404],
  ],
  verify: [
    [60223, 400],
    [68008, 400],
    [20404, 404],
  ],
} as const;
const SMS_REFUSALS = {
  messaging: [
    [21211, 400],
    [21408, 400],
    [21610, 400],
    [21614, 400],
    [20003, 401],
  ],
  verify: [
    [60200, 400],
    [60203, 429],
    [60410, 403],
    [20003, 401],
  ],
} as const;
const NO_FALLBACK_CODES = new Set<number>([...SAME_FOR_SMS.messaging, ...SAME_FOR_SMS.verify].map(([code]) => code));

const refusalArb = (refusals: readonly (readonly [number, number])[]): fc.Arbitrary<CreateAnswer> =>
  fc.constantFrom(...refusals).map(([code, status]): CreateAnswer => ({ kind: 'refused', code, status }));

const failureArb: fc.Arbitrary<CreateAnswer> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(429 as const, 500 as const, 503 as const).map((status): CreateAnswer => ({ kind: 'unavailable', status })) },
  { weight: 2, arbitrary: fc.constantFrom(502 as const, 503 as const, 504 as const).map((status): CreateAnswer => ({ kind: 'gateway', status })) },
  { weight: 2, arbitrary: fc.constantFrom('ECONNRESET' as const, 'ECONNREFUSED' as const).map((code): CreateAnswer => ({ kind: 'network', code })) },
  { weight: 1, arbitrary: fc.constant<CreateAnswer>({ kind: 'stall' }) },
  { weight: 1, arbitrary: fc.constant<CreateAnswer>({ kind: 'hang' }) },
);
const acceptedArb: fc.Arbitrary<CreateAnswer> = fc.integer({ min: 0, max: 900 }).map((delayMs): CreateAnswer => ({ kind: 'accepted', delayMs }));

function whatsappCreateArb(api: 'messaging' | 'verify'): fc.Arbitrary<CreateAnswer> {
  return fc.oneof(
    { weight: 6, arbitrary: acceptedArb },
    { weight: 3, arbitrary: refusalArb(WHATSAPP_ONLY[api]) },
    { weight: 1, arbitrary: refusalArb(SAME_FOR_SMS[api]) },
    { weight: 4, arbitrary: failureArb },
    { weight: 1, arbitrary: fc.constant<CreateAnswer>({ kind: 'unreadable' }) },
  );
}

function smsCreateArb(api: 'messaging' | 'verify'): fc.Arbitrary<CreateAnswer> {
  return fc.oneof(
    { weight: 10, arbitrary: acceptedArb },
    { weight: 2, arbitrary: refusalArb(SMS_REFUSALS[api]) },
    { weight: 3, arbitrary: failureArb },
    { weight: 1, arbitrary: fc.constant<CreateAnswer>({ kind: 'unreadable' }) },
  );
}

const statusStepArb: fc.Arbitrary<StatusStep> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('queued', 'accepted', 'sending', 'sent').map((status): StatusStep => ({ status })) },
  { weight: 3, arbitrary: fc.constantFrom('delivered', 'read').map((status): StatusStep => ({ status })) },
  {
    weight: 3,
    arbitrary: fc
      .record({ status: fc.constantFrom('failed', 'undelivered'), errorCode: fc.constantFrom(63003, 63016, 63024, 30003, 30008, undefined) })
      .map(({ status, errorCode }): StatusStep => (errorCode === undefined ? { status } : { status, errorCode })),
  },
  { weight: 1, arbitrary: fc.constant<StatusStep>({ readError: true }) },
);

function sendScriptArb(route: Route): fc.Arbitrary<SendScript> {
  const api = route === 'verify' ? 'verify' : 'messaging';
  return fc.record({
    // Sometimes WhatsApp is down: every attempt the retries may make fails.
    whatsapp: fc.oneof({ weight: 5, arbitrary: fc.array(whatsappCreateArb(api), { maxLength: MAX_ATTEMPTS }) }, fc.array(failureArb, { minLength: MAX_ATTEMPTS, maxLength: MAX_ATTEMPTS })),
    statuses: fc.array(statusStepArb, { minLength: 1, maxLength: 9 }),
    readDelayMs: fc.integer({ min: 0, max: 150 }),
    sms: fc.array(smsCreateArb(api), { maxLength: 4 }),
  });
}

const runArb: fc.Arbitrary<Run> = fc
  .constantFrom<Route>('from', 'service', 'verify')
  .chain((route) => fc.record({ route: fc.constant(route), sends: fc.array(sendScriptArb(route), { minLength: 1, maxLength: 2 }) }));

const WHATSAPP_FROM = '+15005550007';
const CONTENT_SID = 'HX0123456789abcdef0123456789abcdef';
const ROUTE_SECRETS: Record<Route, Record<string, string>> = {
  from: { ...SECRETS, WHATSAPP_COUNTRIES: 'BR,IN', TWILIO_WHATSAPP_FROM: WHATSAPP_FROM, TWILIO_WHATSAPP_CONTENT_SID: CONTENT_SID },
  service: { ...SECRETS, WHATSAPP_COUNTRIES: 'BR', TWILIO_MESSAGING_SERVICE_SID: MESSAGING_SERVICE_SID, TWILIO_WHATSAPP_CONTENT_SID: CONTENT_SID },
  verify: { ...SECRETS, WHATSAPP_COUNTRIES: 'BR', TWILIO_VERIFY_SID: VERIFY_SID },
};

/** A message Twilio accepted, and what the wire told of it. */
interface Accepted {
  sid: string;
  channel: 'whatsapp' | 'sms';
  /** The send (0, 1) that created it. */
  send: number;
  /** Whether the sender could read the create's answer. */
  readable: boolean;
  statuses: StatusStep[];
  readDelayMs: number;
  reads: number;
  /** The last status a read answered. */
  lastStatus: string | undefined;
  reportedFailed: boolean;
  /** The error code of the failed status, if it had one. */
  failedCode: number | undefined;
}

type Kind = 'whatsapp' | 'sms' | 'read';

/** Which request this is: a create on WhatsApp or by SMS (Messaging or Verify), or a read of a message. */
function kindOf(request: ScriptedRequest): Kind {
  if (request.method === 'GET') return 'read';
  if (request.uri.includes('/Verifications')) return request.form.Channel === 'whatsapp' ? 'whatsapp' : 'sms';
  return request.form.To?.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
}

/** Twilio as a run scripts it: each create takes the next answer of its kind, each read the next status of its message. */
class ScriptedAccount {
  readonly accepted: Accepted[] = [];
  /** The requests of each send, by kind, in order. */
  readonly kinds: Kind[][] = [];
  /** The accepted messages as the end of each send left them (a later send reads them on). */
  readonly afterSend: Accepted[][] = [];
  private readonly bySid = new Map<string, Accepted>();
  private script: SendScript | undefined;
  private send = -1;
  private creates = { whatsapp: 0, sms: 0 };
  private sids = 0;

  constructor(private readonly route: Route) {}

  startSend(script: SendScript): void {
    this.script = script;
    this.send++;
    this.kinds.push([]);
    this.creates = { whatsapp: 0, sms: 0 };
  }

  endSend(): void {
    this.afterSend.push(this.accepted.map((message) => ({ ...message })));
  }

  respond(request: ScriptedRequest): ScriptedAnswer {
    const kind = kindOf(request);
    this.kinds[this.send]?.push(kind);
    if (kind === 'read') return this.read(request);
    const script = this.script as SendScript;
    const answer = script[kind][this.creates[kind]++] ?? ACCEPTED;
    switch (answer.kind) {
      case 'accepted':
      case 'unreadable': {
        const verify = this.route === 'verify';
        // Hex letters only: no run of digits in a SID can look like the number or the code.
        const sid = `${verify ? 'VE' : 'SM'}${[...(++this.sids).toString(6).padStart(32, '0')].map((digit) => 'abcdef'[Number(digit)]).join('')}`;
        const message: Accepted = { sid, channel: kind, send: this.send, readable: answer.kind === 'accepted', statuses: script.statuses, readDelayMs: script.readDelayMs, reads: 0, lastStatus: undefined, reportedFailed: false, failedCode: undefined };
        this.accepted.push(message);
        this.bySid.set(sid, message);
        if (answer.kind === 'unreadable') return { status: 201, body: `{"sid": "${sid.slice(0, 6)}` };
        return { status: 201, body: { sid, status: verify ? 'pending' : 'queued' }, delayMs: answer.delayMs };
      }
      case 'refused':
        return twilioErrorAnswer(answer.status, answer.code, `Refused: the 'To' number ${request.form.To ?? ''} (${answer.code}).`);
      case 'unavailable':
        return twilioErrorAnswer(answer.status, answer.status === 429 ? 20429 : 20000 + answer.status, 'Service unavailable');
      case 'gateway':
        return { status: answer.status, body: '<html><body>Bad Gateway</body></html>' };
      case 'network':
        return { network: answer.code, delayMs: 5 };
      case 'stall':
        return { network: 'ETIMEDOUT', delayMs: ATTEMPT_TIMEOUT_MS };
      case 'hang':
        return { hang: true };
    }
  }

  private read(request: ScriptedRequest): ScriptedAnswer {
    const sid = /\/Messages\/(SM[0-9a-f]{32})\.json$/.exec(request.uri)?.[1];
    const message = sid === undefined ? undefined : this.bySid.get(sid);
    if (message === undefined) return twilioErrorAnswer(404, 20404, 'The requested resource was not found');
    const step = message.statuses[Math.min(message.reads++, message.statuses.length - 1)] as StatusStep;
    if ('readError' in step) return { ...twilioErrorAnswer(503, 20503, 'Service unavailable'), delayMs: message.readDelayMs };
    message.lastStatus = step.status;
    if (FAILED_STATUSES.has(step.status) && !message.reportedFailed) {
      message.reportedFailed = true;
      message.failedCode = step.errorCode;
    }
    return { status: 200, body: { sid: message.sid, status: step.status, error_code: step.errorCode ?? null, error_message: null }, delayMs: message.readDelayMs };
  }
}

/** A message in a line: `whatsapp SMaa…ab, its answer unreadable, never read back`. */
const described = (message: Accepted): string =>
  `${message.channel} ${message.sid}, its answer ${message.readable ? 'read' : 'unreadable'}, ${message.lastStatus === undefined ? 'never read back' : `last read back ${message.lastStatus}`}`;

/** What one send came to, in the property's words. */
function expectOneCodeAtMost(account: ScriptedAccount, send: number, outcome: CodeOutcome): void {
  const accepted = account.accepted.filter((message) => message.send === send);
  const reached = accepted.filter((message) => !message.reportedFailed);
  // Never two codes: a message accepted after another only when Twilio reported that one failed.
  expect(accepted.slice(0, -1).filter((message) => !(message.channel === 'whatsapp' && message.reportedFailed)).map(described)).toEqual([]);
  if (outcome.delivered) {
    expect(reached.map(({ channel, sid }) => ({ channel, sid }))).toEqual([{ channel: outcome.channel, sid: outcome.sid }]);
  } else {
    expect(reached.filter((message) => message.readable).map(described)).toEqual([]);
  }
}

/** The outcomes of a first send (nothing remembered of the number) that do not depend on time. */
function expectTimelessOutcome(run: Run, account: ScriptedAccount, outcome: CodeOutcome): void {
  const [script] = run.sends as [SendScript];
  const firstWhatsApp = script.whatsapp[0] ?? ACCEPTED;
  const firstSms = script.sms[0] ?? ACCEPTED;
  const smsCreates = account.kinds[0]?.filter((kind) => kind === 'sms').length;
  expect(account.kinds[0]?.[0]).toBe('whatsapp');
  if (firstWhatsApp.kind === 'accepted' && (run.route === 'verify' || script.statuses.every((step) => !('status' in step) || !FAILED_STATUSES.has(step.status)))) {
    expect(outcome).toMatchObject({ delivered: true, channel: 'whatsapp', fallbackReason: undefined });
  }
  if (firstWhatsApp.kind === 'refused' && NO_FALLBACK_CODES.has(firstWhatsApp.code)) {
    expect(outcome).toMatchObject({ delivered: false, transient: false, message: expect.stringContaining(`error ${firstWhatsApp.code} `) });
    expect(smsCreates).toBe(0);
  }
  if (firstWhatsApp.kind === 'refused' && !NO_FALLBACK_CODES.has(firstWhatsApp.code) && firstSms.kind === 'accepted') {
    expect(outcome).toMatchObject({ delivered: true, channel: 'sms', fallbackReason: expect.stringMatching(new RegExp(`\\(${firstWhatsApp.code}\\)$`)) });
  }
  // WhatsApp down for every attempt its retries may make: SMS carries the code, in the time kept for it.
  const down = script.whatsapp.length >= MAX_ATTEMPTS && script.whatsapp.slice(0, MAX_ATTEMPTS).every((answer) => TRANSIENT_KINDS.has(answer.kind));
  if (down && firstSms.kind === 'accepted') expect(outcome).toMatchObject({ delivered: true, channel: 'sms', fallbackReason: expect.any(String) });
}

/** Every send: an SMS Twilio refused is a permanent failure (SMS is the last route). */
function expectSmsRefusalFails(script: SendScript, account: ScriptedAccount, send: number, outcome: CodeOutcome): void {
  const smsCreates = account.kinds[send]?.filter((kind) => kind === 'sms').length ?? 0;
  const answered = script.sms.slice(0, smsCreates);
  if (answered.some((answer) => answer.kind === 'refused')) expect(outcome).toMatchObject({ delivered: false, transient: false });
}

/**
 * A second code to the number: what the first left in the container's memory decides where it
 * starts. A WhatsApp message Twilio reported failed for the number's own sake (63003, 63024, or
 * failed without a code) sends the next code by SMS at once; one still on its way when the watch
 * ended is read back first; anything else (delivered, a failure of the setup, an outage, a
 * refusal, Verify) leaves nothing, and WhatsApp is tried again.
 */
function expectRemembered(run: Run, account: ScriptedAccount, second: CodeOutcome): void {
  const secondKinds = account.kinds[1] ?? [];
  const whatsapp = account.afterSend[0]?.find((message) => message.channel === 'whatsapp');
  if (whatsapp?.reportedFailed === true && (whatsapp.failedCode === undefined || NUMBER_FAILURE_CODES.has(whatsapp.failedCode))) {
    expect(secondKinds.filter((kind) => kind !== 'sms')).toEqual([]);
    if (second.delivered) expect(second.fallbackReason).toMatch(/^earlier: /);
    return;
  }
  const pending = run.route !== 'verify' && whatsapp !== undefined && whatsapp.readable && !whatsapp.reportedFailed && !DELIVERED_STATUSES.has(whatsapp.lastStatus ?? '');
  expect(secondKinds[0]).toBe(pending ? 'read' : 'whatsapp');
}

describe.each(ENTRIES)('the %s, for any WhatsApp and SMS outcome Twilio may script, on a fake clock', (entry: EntryName) => {
  it('puts one code at most in the user’s hands, and says which, or fails with none out', async () => {
    // One warm container for every run, as Auth0 keeps one; each run writes to a number of its own.
    const clock = FakeTimers.withGlobal(globalThis).createClock(1_700_000_000_000);
    let account = new ScriptedAccount('from');
    const twilio = scriptedTwilio('twilio-v6', (request) => account.respond(request), (callback, ms) => clock.setTimeout(callback, ms));
    const globals = { setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, Date: clock.Date, Math: Object.create(Math, { random: { value: () => JITTER } }) as Math };
    const send = await loadCodeEntry(entry, twilio.module, { globals });
    const counts = { whatsapp: 0, sms: 0, failed: 0, remembered: 0 };
    let number = 0;
    await fc.assert(
      fc.asyncProperty(runArb, async (run) => {
        account = new ScriptedAccount(run.route);
        const recipient = `+551198${String(++number).padStart(7, '0')}`;
        const outcomes: CodeOutcome[] = [];
        for (const [index, script] of run.sends.entries()) {
          account.startSend(script);
          const sending = send({ secrets: ROUTE_SECRETS[run.route], recipient, code: ACTION_CODE });
          await clock.runAllAsync();
          const outcome = await sending;
          account.endSend();
          outcomes.push(outcome);
          expect(outcome.logs).toHaveLength(1);
          expectNoSecrets([outcome.raw, outcome.logs], [SECRETS.TWILIO_AUTH_TOKEN, ACTION_CODE]);
          expectNumbersMasked([outcome.raw, outcome.logs], [recipient]);
          expectOneCodeAtMost(account, index, outcome);
          expectSmsRefusalFails(script, account, index, outcome);
        }
        const [first, second] = outcomes as [CodeOutcome, CodeOutcome | undefined];
        expectTimelessOutcome(run, account, first);
        if (second !== undefined) {
          expectRemembered(run, account, second);
          counts.remembered++;
        }
        counts[first.delivered ? (first.channel as 'whatsapp' | 'sms') : 'failed']++;
      }),
      propertyParameters(RUNS),
    );
    // Every outcome must come up often enough for the property to mean something.
    for (const count of Object.values(counts)) expect(count).toBeGreaterThan(RUNS / 20);
  }, 60_000);
});
