import FakeTimers from '@sinonjs/fake-timers';
import { Auth0LikeCache } from '../../tools/runtime/auth0-cache';
import type { KeyValueCache } from '../../src/core/cache-budget';
import { refuseTwilioConnections } from '../helpers/fake-twilio';
import { scriptedTwilio, type ScriptedAnswer, type ScriptedRequest } from '../helpers/scripted-twilio';
import { loadCodeEntry, type CodeOutcome, type CodeRequest } from '../helpers/whatsapp-entries';
import { ACTION_CODE, SECRETS } from '../fixtures/values';

refuseTwilioConnections();

/**
 * WhatsApp's promise across containers: several hundred numbers get an enrollment code on
 * WhatsApp, each through the built Custom Phone Provider action, then, a hundred sends later, a
 * verification code. Every send runs in a fresh container (the action loaded anew), and all share
 * one Auth0-like cache (Auth0's limits: 20 entries, 4 KB a value, 8 KB in all; each execution
 * working from the copy it started with), which the pumping shield's velocity counts share too.
 * Or every send runs in one warm container. On a fake clock, over twilio 6 on a scripted wire.
 *
 * What WhatsApp does with each number: delivers at once (6 in 10); fails at once, not on WhatsApp
 * (2 in 10); is still on its way when the first send stops watching, then fails (1 in 10) or
 * arrives (1 in 10) by the second. A number whose WhatsApp failed, at once or late, must get its
 * second code by SMS without another WhatsApp message: a second WhatsApp create for it is a
 * number the memory forgot.
 */

type Fate = 'delivers' | 'absent' | 'fails-late' | 'arrives-late';
const NUMBERS = 300;
/** Sends between a number's first code and its second. */
const LATER = 100;
const WHATSAPP_FROM = '+15005550007';
const SECRETS_WITH_WHATSAPP = { ...SECRETS, WHATSAPP_COUNTRIES: 'BR', TWILIO_WHATSAPP_FROM: WHATSAPP_FROM, TWILIO_WHATSAPP_CONTENT_SID: 'HX0123456789abcdef0123456789abcdef' };
const FAILED = new Set(['failed', 'undelivered']);

const fateOf = (index: number): Fate => (['absent', 'absent', 'fails-late', 'arrives-late'] as const)[index % 10] ?? 'delivers';
/** Mobiles of Brazil, each in a block of 1,000 of its own (the velocity cap counts enrollments by block). */
const numberOf = (index: number): string => `+5511${String(900_000_000 + index * 1_013).padStart(9, '0')}`;

interface Message {
  sid: string;
  to: string;
  whatsapp: boolean;
  send: number;
  reportedFailed: boolean;
}

/** Twilio as the fates say: each WhatsApp message's status depends on its number, and on whether its own send is still running. */
class FatedAccount {
  readonly messages: Message[] = [];
  /** The kinds of request of each send: `whatsapp`, `sms`, `read`. */
  readonly kinds: string[][] = [];
  private send = -1;

  startSend(): void {
    this.kinds.push([]);
    this.send++;
  }

  respond(request: ScriptedRequest): ScriptedAnswer {
    if (request.method === 'GET') return this.read(request);
    const whatsapp = request.form.To?.startsWith('whatsapp:') === true;
    this.kinds[this.send]?.push(whatsapp ? 'whatsapp' : 'sms');
    const sid = `SM${[...(this.messages.length + 1).toString(6).padStart(32, '0')].map((digit) => 'abcdef'[Number(digit)]).join('')}`;
    this.messages.push({ sid, to: (request.form.To ?? '').replace('whatsapp:', ''), whatsapp, send: this.send, reportedFailed: false });
    return { status: 201, body: { sid, status: 'queued' } };
  }

  private read(request: ScriptedRequest): ScriptedAnswer {
    this.kinds[this.send]?.push('read');
    const message = this.messages.find((candidate) => request.uri.endsWith(`/Messages/${candidate.sid}.json`));
    if (message === undefined) return { status: 404, body: { code: 20404, message: 'The requested resource was not found', status: 404 } };
    const fate = fateOf(Number((BigInt(message.to.slice(5)) - 900_000_000n) / 1_013n));
    const later = message.send !== this.send;
    const status = fate === 'delivers' ? 'delivered' : fate === 'absent' ? 'failed' : !later ? 'sent' : fate === 'fails-late' ? 'undelivered' : 'delivered';
    if (FAILED.has(status)) message.reportedFailed = true;
    return { status: 200, body: { sid: message.sid, status, error_code: fate === 'absent' ? 63003 : fate === 'fails-late' && later ? 63024 : null, error_message: null } };
  }
}

async function replay(mode: 'fresh' | 'warm') {
  const clock = FakeTimers.withGlobal(globalThis).createClock(1_700_000_000_000);
  const account = new FatedAccount();
  const twilio = scriptedTwilio('twilio-v6', (request) => account.respond(request), (callback, ms) => clock.setTimeout(callback, ms));
  const globals = { setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, Date: clock.Date, Math: Object.create(Math, { random: { value: () => 0.5 } }) as Math };
  const cache = new Auth0LikeCache(() => clock.now);
  // A warm container's executions each start from the cache as it is then.
  const live: KeyValueCache = { get: (key) => cache.forExecution().get(key), set: (key, value, options) => cache.forExecution().set(key, value, options) };
  const warm = mode === 'warm' ? await loadCodeEntry('custom-phone-provider', twilio.module, { globals, cache: live }) : undefined;
  const outcomes: Array<{ index: number; second: boolean; outcome: CodeOutcome; send: number }> = [];
  const sendCode = async (index: number, second: boolean): Promise<void> => {
    const run = warm ?? (await loadCodeEntry('custom-phone-provider', twilio.module, { globals, cache: cache.forExecution() }));
    account.startSend();
    const request: CodeRequest = { secrets: SECRETS_WITH_WHATSAPP, recipient: numberOf(index), code: ACTION_CODE, purpose: second ? 'verification' : 'enrollment' };
    const sending = run(request);
    await clock.runAllAsync();
    outcomes.push({ index, second, outcome: await sending, send: account.kinds.length - 1 });
  };
  for (let step = 0; step < NUMBERS + LATER; step++) {
    if (step < NUMBERS) await sendCode(step, false);
    if (step >= LATER) await sendCode(step - LATER, true);
  }
  const mustGoBySms = outcomes.filter(({ second, index }) => second && ['absent', 'fails-late'].includes(fateOf(index)));
  const forgotten = mustGoBySms.filter(({ send }) => account.kinds[send]?.includes('whatsapp'));
  return { account, outcomes, mustGoBySms, forgotten, cache };
}

/** In every send, at most one message reached the user: every message but the last was a WhatsApp message Twilio reported failed. */
function expectNoDoubleCode(account: FatedAccount): void {
  const bySend = new Map<number, Message[]>();
  for (const message of account.messages) bySend.set(message.send, [...(bySend.get(message.send) ?? []), message]);
  const doubles = [...bySend.values()].filter((messages) => messages.slice(0, -1).some((message) => !(message.whatsapp && message.reportedFailed)));
  expect(doubles).toEqual([]);
}

describe("WhatsApp's memory of a number, across containers that share Auth0's cache", () => {
  it('forgets at most 10 % of the numbers whose next code must go by SMS, a fresh container a send, with the velocity counts in the same cache', async () => {
    const { account, outcomes, mustGoBySms, forgotten, cache } = await replay('fresh');
    expect(outcomes.every(({ outcome }) => outcome.delivered)).toBe(true);
    expect(mustGoBySms).toHaveLength(NUMBERS * 0.3);
    expect(forgotten.length).toBeLessThanOrEqual(mustGoBySms.length * 0.1);
    // Every second code of a number remembered as failed went by SMS, read back first when it had been on its way.
    for (const { outcome, send, index } of mustGoBySms.filter((entry) => !forgotten.includes(entry))) {
      expect(outcome.channel).toBe('sms');
      expect(account.kinds[send]).toEqual(fateOf(index) === 'absent' ? ['sms'] : ['read', 'sms']);
    }
    expectNoDoubleCode(account);
    // The shield's counts were written beside the WhatsApp memory, within Auth0's limits.
    expect(cache.refused).toEqual(new Map());
    expect(cache.totalBytes()).toBeGreaterThan(4_000);
  });

  it('forgets none in a warm container, and sends no code twice', async () => {
    const { account, mustGoBySms, forgotten } = await replay('warm');
    expect(mustGoBySms).toHaveLength(NUMBERS * 0.3);
    expect(forgotten).toEqual([]);
    expectNoDoubleCode(account);
  });
});
