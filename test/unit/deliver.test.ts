import { classify } from '../../src/core/classify';
import { CONFIRM_WINDOW_MS, confirmDelivery, MIN_READ_TIME_MS, STATUS_POLL_INTERVAL_MS, statusOutcome } from '../../src/core/confirm';
import { Deadline } from '../../src/core/deadline';
import { deliverAlong, FALLBACK_RESERVE_MS, type Progress, type RouteContext } from '../../src/core/deliver';
import { fallbackAfter, isNumberFailure, whatsappFailureReason } from '../../src/core/fallback';
import { RetryExhaustedError } from '../../src/core/retry';
import type { Call, Route } from '../../src/core/route';
import { Scrubber } from '../../src/core/scrub';
import type { CreatedResource, MessageStatusResource } from '../../src/core/twilio-module';
import { mockTwilio, twilioRestError } from '../helpers/mock-twilio';

// The routes of one send, taken in order (deliver.ts), the WhatsApp status watch (confirm.ts) and
// when SMS follows WhatsApp (fallback.ts), each on its own: a mocked client, on a fake clock.

const WHATSAPP_SID = 'SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const SMS_SID = 'SMbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const SEND_MS = 10_000;

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** A route whose request answers what `create` does; a WhatsApp route reads its status back. */
function route(channel: 'whatsapp' | 'sms', create: () => Promise<CreatedResource>): Route & { creates: jest.Mock } {
  const creates = jest.fn(create);
  return { api: 'messaging', channel, confirm: channel === 'whatsapp', send: () => creates(), creates };
}

const created = (sid: string) => () => Promise.resolve({ sid });
const refused = (status: number, code: number) => () => Promise.reject(twilioRestError(status, code, 'refused'));

/**
 * What `deliverAlong` is handed: a call that runs each request on a mocked client whose message
 * reads answer `statuses` in turn (the last one stays), recording the time each request had.
 */
function along(statuses: MessageStatusResource[] = [{ status: 'delivered', errorCode: null }], echo: (sid: unknown) => string | undefined = (sid) => (typeof sid === 'string' ? sid : undefined)) {
  const twilio = mockTwilio();
  let read = 0;
  twilio.messageFetch.mockImplementation(async () => statuses[Math.min(read++, statuses.length - 1)] as MessageStatusResource);
  const client = twilio.factory('AC', 'token', {} as never);
  const times: Array<{ remainingMs: number; attemptNumber: number }> = [];
  const call: Call = async (request, within, attemptNumber) => {
    times.push({ remainingMs: within.remainingMs(), attemptNumber });
    return request(client, twilio.module);
  };
  const deadline = new Deadline(SEND_MS);
  const context: RouteContext = { call, deadline, retry: { advise: (error) => classify(error, new Scrubber([])), random: () => 0.5 }, echoedSid: echo };
  const progress: Progress = { attempts: 0, fallbackReason: undefined };
  const go = async (routes: readonly Route[]) => {
    const going = deliverAlong(routes, context, progress).then(
      (delivered) => ({ delivered, error: undefined }),
      (error: unknown) => ({ delivered: undefined, error }),
    );
    await jest.advanceTimersByTimeAsync(SEND_MS);
    return going;
  };
  return { go, progress, times, messageFetch: twilio.messageFetch };
}

describe('deliverAlong', () => {
  it('returns the first route that delivers, with its SID, and tries no other', async () => {
    const sms = route('sms', created(SMS_SID));
    const other = route('sms', created('SMcccccccccccccccccccccccccccccccc'));
    const { go, progress, messageFetch } = along();
    const { delivered } = await go([sms, other]);
    expect(delivered).toEqual({ route: sms, sid: SMS_SID });
    expect(other.creates).not.toHaveBeenCalled();
    expect(messageFetch).not.toHaveBeenCalled();
    expect(progress).toEqual({ attempts: 1, fallbackReason: undefined });
  });

  it('keeps a whole attempt of the deadline for the route that follows, and gives the last route all that is left', async () => {
    const whatsapp = route('whatsapp', refused(400, 63016));
    const sms = route('sms', created(SMS_SID));
    const { go, times } = along();
    await go([whatsapp, sms]);
    expect(times.map(({ remainingMs }) => remainingMs)).toEqual([SEND_MS - FALLBACK_RESERVE_MS, SEND_MS]);
  });

  it('falls back after a refusal WhatsApp cannot get past, saying why, and counts the attempts of both routes', async () => {
    let first = true;
    const whatsapp = route('whatsapp', () => {
      if (!first) return refused(400, 63016)();
      first = false;
      return refused(503, 20503)();
    });
    const sms = route('sms', created(SMS_SID));
    const { go, progress } = along();
    const { delivered } = await go([whatsapp, sms]);
    expect(delivered).toEqual({ route: sms, sid: SMS_SID });
    expect(whatsapp.creates).toHaveBeenCalledTimes(2);
    expect(progress).toEqual({
      attempts: 3,
      fallbackReason: 'WhatsApp wants an approved template (TWILIO_WHATSAPP_CONTENT_SID) (63016)',
      whatsapp: { outcome: 'refused', twilioCode: 63016 },
    });
  });

  it('rejects with the last route’s exhausted retries, attempts counted, when nothing may follow', async () => {
    const sms = route('sms', refused(400, 21610));
    const { go, progress } = along();
    const { error } = await go([sms]);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(error).toMatchObject({ attempts: 1, advice: { twilioCode: 21610 } });
    expect(progress).toEqual({ attempts: 1, fallbackReason: undefined });
  });

  it('rejects without trying the next route after a failure SMS would meet too, and learns nothing of WhatsApp', async () => {
    const whatsapp = route('whatsapp', refused(401, 20003));
    const sms = route('sms', created(SMS_SID));
    const { go, progress } = along();
    const { error } = await go([whatsapp, sms]);
    expect(error).toMatchObject({ advice: { twilioCode: 20003 } });
    expect(sms.creates).not.toHaveBeenCalled();
    expect(progress).toEqual({ attempts: 1, fallbackReason: undefined });
  });

  it('lets an error that is not the end of the retries through untouched', async () => {
    const bug = new TypeError('a bug in the advice');
    const { go, progress } = along();
    const sms = route('sms', refused(400, 21211));
    const deliver = deliverAlong(
      [route('whatsapp', refused(400, 63016)), sms],
      {
        call: async (request) => request({} as never, {} as never),
        deadline: new Deadline(SEND_MS),
        retry: {
          advise: () => {
            throw bug;
          },
        },
        echoedSid: () => undefined,
      },
      progress,
    );
    await expect(deliver).rejects.toBe(bug);
    expect(sms.creates).not.toHaveBeenCalled();
    expect((await go([])).error).toEqual(new Error('no route left'));
  });

  it('reads a WhatsApp message back within the confirmation window, once, as one attempt, and counts it delivered', async () => {
    const whatsapp = route('whatsapp', created(WHATSAPP_SID));
    const sms = route('sms', created(SMS_SID));
    const { go, progress, times, messageFetch } = along([{ status: 'read', errorCode: null }]);
    const { delivered } = await go([whatsapp, sms]);
    expect(delivered).toEqual({ route: whatsapp, sid: WHATSAPP_SID });
    expect(messageFetch.mock.calls).toEqual([[WHATSAPP_SID]]);
    expect(times[1]).toEqual({ remainingMs: CONFIRM_WINDOW_MS - STATUS_POLL_INTERVAL_MS, attemptNumber: 1 });
    expect(progress.whatsapp).toEqual({ outcome: 'delivered' });
    expect(sms.creates).not.toHaveBeenCalled();
  });

  it('counts a WhatsApp message still on its way when the window closes as sent, remembering its SID', async () => {
    const whatsapp = route('whatsapp', created(WHATSAPP_SID));
    const sms = route('sms', created(SMS_SID));
    const { go, progress } = along([{ status: 'sent', errorCode: null }]);
    const { delivered } = await go([whatsapp, sms]);
    expect(delivered?.route).toBe(whatsapp);
    expect(progress.whatsapp).toEqual({ outcome: 'pending', sid: WHATSAPP_SID });
    expect(progress.fallbackReason).toBeUndefined();
    expect(sms.creates).not.toHaveBeenCalled();
  });

  it('sends the SMS after a WhatsApp message whose status failed, saying what WhatsApp reported', async () => {
    const whatsapp = route('whatsapp', created(WHATSAPP_SID));
    const sms = route('sms', created(SMS_SID));
    const { go, progress } = along([{ status: 'undelivered', errorCode: null }]);
    const { delivered } = await go([whatsapp, sms]);
    expect(delivered).toEqual({ route: sms, sid: SMS_SID });
    expect(progress).toEqual({
      attempts: 2,
      fallbackReason: 'WhatsApp reported the message undelivered',
      whatsapp: { outcome: 'failed', status: 'undelivered', twilioCode: undefined },
    });
  });

  it('returns the last route even when its status failed: nothing is left to try', async () => {
    const whatsapp = route('whatsapp', created(WHATSAPP_SID));
    const { go, progress } = along([{ status: 'failed', errorCode: 63003 }]);
    const { delivered } = await go([whatsapp]);
    expect(delivered).toEqual({ route: whatsapp, sid: WHATSAPP_SID });
    expect(progress.whatsapp).toEqual({ outcome: 'failed', status: 'failed', twilioCode: 63003 });
    expect(progress.fallbackReason).toBeUndefined();
  });

  it('reads no status of a SID that may not be echoed, nor of a route that needs no confirmation', async () => {
    const unechoed = along([{ status: 'failed', errorCode: 63003 }], () => undefined);
    const { delivered } = await unechoed.go([route('whatsapp', created(WHATSAPP_SID)), route('sms', created(SMS_SID))]);
    expect(delivered).toMatchObject({ route: { channel: 'whatsapp' }, sid: undefined });
    expect(unechoed.messageFetch).not.toHaveBeenCalled();
    expect(unechoed.progress.whatsapp).toBeUndefined();
    const plain = along([{ status: 'failed', errorCode: 63003 }]);
    await plain.go([route('sms', created(SMS_SID))]);
    expect(plain.messageFetch).not.toHaveBeenCalled();
  });
});

describe('statusOutcome', () => {
  it.each(['delivered', 'read'])('says %s is delivered', (status) => {
    expect(statusOutcome({ status, errorCode: null })).toEqual({ outcome: 'delivered' });
  });

  it.each(['failed', 'undelivered', 'canceled'])('says %s failed, with its Twilio code', (status) => {
    expect(statusOutcome({ status, errorCode: 63003 })).toEqual({ outcome: 'failed', status, twilioCode: 63003 });
  });

  it.each(['queued', 'accepted', 'sending', 'sent', undefined])('tells nothing of %s', (status) => {
    expect(statusOutcome({ status, errorCode: 63003 } as MessageStatusResource)).toBeUndefined();
  });

  it('reads a Twilio code given as five digits of text, and no other text', () => {
    expect(statusOutcome({ status: 'failed', errorCode: '63016' } as MessageStatusResource)).toMatchObject({ twilioCode: 63016 });
    for (const errorCode of ['6301', '630160', 'x63016', '63016x', null]) {
      expect(statusOutcome({ status: 'failed', errorCode } as MessageStatusResource)).toEqual({ outcome: 'failed', status: 'failed', twilioCode: undefined });
    }
  });
});

describe('confirmDelivery', () => {
  /** Watches with `read` over a window of `windowMs`, returning the outcome and when each read began. */
  async function watch(windowMs: number, read: () => Promise<MessageStatusResource>) {
    const started = Date.now();
    const at: number[] = [];
    const watching = confirmDelivery(() => {
      at.push(Date.now() - started);
      return read();
    }, new Deadline(windowMs));
    await jest.advanceTimersByTimeAsync(windowMs);
    return { outcome: await watching, at };
  }

  it('reads every poll interval until the status is final', async () => {
    const answers: MessageStatusResource[] = [{ status: 'queued', errorCode: null }, { status: 'sent', errorCode: null }, { status: 'delivered', errorCode: null }];
    const { outcome, at } = await watch(CONFIRM_WINDOW_MS, async () => answers.shift() as MessageStatusResource);
    expect(outcome).toEqual({ outcome: 'delivered' });
    expect(at).toEqual([1, 2, 3].map((n) => n * STATUS_POLL_INTERVAL_MS));
  });

  it('stops with a failure as soon as the status says so', async () => {
    const { outcome, at } = await watch(CONFIRM_WINDOW_MS, async () => ({ status: 'failed', errorCode: 63024 }));
    expect(outcome).toEqual({ outcome: 'failed', status: 'failed', twilioCode: 63024 });
    expect(at).toEqual([STATUS_POLL_INTERVAL_MS]);
  });

  it('takes a failed read for nothing learnt, and reads again', async () => {
    let reads = 0;
    const { outcome, at } = await watch(CONFIRM_WINDOW_MS, async () => {
      if (reads++ === 0) throw twilioRestError(503, 20503, 'unavailable');
      return { status: 'undelivered', errorCode: 63003 };
    });
    expect(outcome).toMatchObject({ outcome: 'failed', twilioCode: 63003 });
    expect(at).toEqual([STATUS_POLL_INTERVAL_MS, 2 * STATUS_POLL_INTERVAL_MS]);
  });

  it('starts a last read with just enough of the window left, and none with less', async () => {
    const pending = async (): Promise<MessageStatusResource> => ({ status: 'sent', errorCode: null });
    const enough = await watch(STATUS_POLL_INTERVAL_MS + MIN_READ_TIME_MS, pending);
    expect(enough).toEqual({ outcome: { outcome: 'pending' }, at: [STATUS_POLL_INTERVAL_MS] });
    const short = await watch(STATUS_POLL_INTERVAL_MS + MIN_READ_TIME_MS - 1, pending);
    expect(short).toEqual({ outcome: { outcome: 'pending' }, at: [] });
  });
});

describe('fallbackAfter', () => {
  const verdict = (twilioCode: number | undefined, transient = false, mayHaveSent = false) => ({ ...classify(new Error('x'), new Scrubber([])), twilioCode, transient, mayHaveSent });

  it.each([20003, 21211, 60200, 60203, 60410])('tries no SMS after %i, which SMS would meet too', (code) => {
    expect(fallbackAfter(verdict(code))).toBeUndefined();
  });

  it('tries no SMS when the WhatsApp message may be out', () => {
    expect(fallbackAfter(verdict(63016, false, true))).toBeUndefined();
    expect(fallbackAfter(verdict(undefined, true, true))).toBeUndefined();
  });

  it('names the failure by its Twilio code, known or not', () => {
    expect(fallbackAfter(verdict(63007))).toEqual({ reason: 'no WhatsApp sender for TWILIO_WHATSAPP_FROM or the Messaging Service (63007)' });
    expect(fallbackAfter(verdict(30008))).toEqual({ reason: 'WhatsApp failed (30008)' });
  });

  it('says whether Twilio did not answer in time or failed otherwise, without a code', () => {
    expect(fallbackAfter(verdict(undefined, true))).toEqual({ reason: 'no answer from Twilio in time for WhatsApp' });
    expect(fallbackAfter(verdict(undefined, false))).toEqual({ reason: 'WhatsApp failed' });
  });
});

describe('whatsappFailureReason', () => {
  it.each([
    [63003, 'not on WhatsApp (63003)'],
    [63024, 'not a valid WhatsApp recipient (63024)'],
    [21656, "the template's variables were refused (TWILIO_WHATSAPP_CONTENT_SID must take the code as variable 1) (21656)"],
    [60223, 'WhatsApp is turned off on the Verify service (60223)'],
    [68008, 'WhatsApp is not set up on the Verify service (68008)'],
  ])('of %i: %s', (code, reason) => {
    expect(whatsappFailureReason(code)).toBe(reason);
  });

  it('without a code: the status WhatsApp reported, when there is one', () => {
    expect(whatsappFailureReason(undefined, 'canceled')).toBe('WhatsApp reported the message canceled');
    expect(whatsappFailureReason(undefined)).toBe('WhatsApp failed');
  });
});

describe('isNumberFailure', () => {
  it('blames the number for not being on WhatsApp or not a valid recipient, and for a failed status without a code', () => {
    expect(isNumberFailure(63003, false)).toBe(true);
    expect(isNumberFailure(63024, true)).toBe(true);
    expect(isNumberFailure(undefined, true)).toBe(true);
  });

  it("blames the account's setup, an outage or a refusal without a code, not the number", () => {
    expect(isNumberFailure(63016, true)).toBe(false);
    expect(isNumberFailure(63007, false)).toBe(false);
    expect(isNumberFailure(undefined, false)).toBe(false);
  });
});
