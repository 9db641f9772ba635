import { ConfigurationError, RecipientRefusedError, TwilioDeliveryError } from '../../src/core/errors';
import { deliveredLine, failedLine, inputSubject, MAX_LOG_LINE_LENGTH } from '../../src/core/log-line';
import type { PhoneMessageInput } from '../../src/core/message';
import { Scrubber } from '../../src/core/scrub';
import { SEND_PHONE_MESSAGE_FIELDS } from '../../src/auth0/vocabulary';

const SUBJECT = { channel: 'sms', maskedRecipient: '+1555***5310' };
const NOTHING_SECRET = new Scrubber([]);

describe('the log lines', () => {
  const delivery = { api: 'messaging' as const, channel: 'sms' as const, sid: 'SM0123456789abcdef0123456789abcdef', attempts: 2, elapsedMs: 321 };

  it('of a delivery', () => {
    expect(deliveredLine(delivery, SUBJECT, NOTHING_SECRET)).toBe('twilio-phone-message: sent sms to +1555***5310 via messaging sid=SM0123456789abcdef0123456789abcdef attempts=2 ms=321');
    expect(deliveredLine({ ...delivery, sid: undefined }, SUBJECT, NOTHING_SECRET)).toBe('twilio-phone-message: sent sms to +1555***5310 via messaging sid=unknown attempts=2 ms=321');
  });

  it('of a failure without a Twilio answer: no code, no status', () => {
    expect(failedLine({ channel: 'voice', maskedRecipient: '+1555***5310' }, new ConfigurationError('TWILIO_AUTH_TOKEN is not set.'), { attempts: 0, elapsedMs: 3 }, NOTHING_SECRET)).toBe(
      'twilio-phone-message: failed voice to +1555***5310 attempts=0 ms=3 transient=false ConfigurationError: TWILIO_AUTH_TOKEN is not set.',
    );
  });

  it(`cut to ${MAX_LOG_LINE_LENGTH} characters`, () => {
    const line = failedLine(SUBJECT, new ConfigurationError('x'.repeat(400)), { attempts: 0, elapsedMs: 3 }, NOTHING_SECRET);
    expect(line).toHaveLength(MAX_LOG_LINE_LENGTH);
    expect(line.endsWith('x…')).toBe(true);
  });

  it(`scrubbed before it is cut: still at most ${MAX_LOG_LINE_LENGTH} characters when the scrub lengthens it, and no number cut short of its mask`, () => {
    const code = '482913';
    // Each code (6 characters) becomes [redacted] (10): scrubbed after the cut, this line grew past the limit.
    const lengthened = failedLine(SUBJECT, new ConfigurationError(`${code} `.repeat(60)), { attempts: 1, elapsedMs: 3 }, new Scrubber([code]));
    expect(lengthened.length).toBeLessThanOrEqual(MAX_LOG_LINE_LENGTH);
    expect(lengthened).not.toContain(code.slice(0, 4));
    // A number where the cut falls: cut first, its first digits would have been too few to read as a number.
    for (let padding = 150; padding < 260; padding++) {
      const line = failedLine(SUBJECT, new ConfigurationError(`${'x'.repeat(padding)} +15558675310`), { attempts: 1, elapsedMs: 3 }, NOTHING_SECRET);
      expect(line.length).toBeLessThanOrEqual(MAX_LOG_LINE_LENGTH);
      // Masked, it shows +1555***5310; anything more of its digits is a leak.
      expect(line).not.toMatch(/1555\d|\d5310|5558|8675/);
    }
  });
});

describe('what a log line names', () => {
  const CID = 'a1b2c3d4-e5f6-7890-abcd-ef0123456789';
  const subject = { ...SUBJECT, correlationId: CID };

  it("of a delivery: Auth0's correlation ID, the fallback's reason and what the shield could not look at, in that order", () => {
    const delivery = { api: 'messaging' as const, channel: 'sms' as const, sid: undefined, attempts: 2, elapsedMs: 9, fallbackReason: 'not on WhatsApp (63003)' };
    expect(deliveredLine(delivery, subject, NOTHING_SECRET, ['lookup not consulted (no answer)', 'number types not checked'])).toBe(
      `twilio-phone-message: sent sms to +1555***5310 via messaging sid=unknown attempts=2 ms=9 cid=${CID} after whatsapp: not on WhatsApp (63003) shield: lookup not consulted (no answer); number types not checked`,
    );
  });

  it("of a failure Twilio answered: its code and status, the fallback's reason, the shield's notes, then the error", () => {
    const error = new TwilioDeliveryError({ message: 'Unsubscribed', friendlyMessage: 'f', transient: false, twilioCode: 21610, httpStatus: 400 });
    const progress = { attempts: 1, elapsedMs: 12, fallbackReason: 'WhatsApp failed', notes: ['lookup not consulted (refused)'] };
    expect(failedLine(subject, error, progress, NOTHING_SECRET)).toBe(
      `twilio-phone-message: failed sms to +1555***5310 code=21610 http=400 attempts=1 ms=12 transient=false cid=${CID} after whatsapp: WhatsApp failed; shield: lookup not consulted (refused) TwilioDeliveryError: Unsubscribed`,
    );
  });

  it('of a refusal: the layer that refused, no attempts, then why', () => {
    const refusal = new RecipientRefusedError('velocity', 'The recipient phone number (+1555***5310) would be a new number; nothing was sent.');
    expect(failedLine(subject, refusal, { attempts: 0, elapsedMs: 4, notes: ['number types not checked'] }, NOTHING_SECRET)).toBe(
      `twilio-phone-message: refused sms to +1555***5310 by velocity ms=4 cid=${CID} shield: number types not checked: The recipient phone number (+1555***5310) would be a new number; nothing was sent.`,
    );
    expect(failedLine(SUBJECT, refusal, { attempts: 0, elapsedMs: 4 }, NOTHING_SECRET)).toMatch(/^twilio-phone-message: refused sms to \+1555\*\*\*5310 by velocity ms=4: The recipient/);
  });

  it("before the message is parsed: only a channel the parse accepts, a recipient that is text, masked, and a well-formed correlation ID", () => {
    const input = (overrides: Record<string, unknown>) => ({ recipient: '+15558675310', channel: 'sms', fields: SEND_PHONE_MESSAGE_FIELDS, correlationId: CID, ...overrides }) as unknown as PhoneMessageInput;
    expect(inputSubject(input({}))).toEqual({ channel: 'sms', maskedRecipient: '+1555***5310', correlationId: CID });
    expect(inputSubject(input({ channel: 'voice' })).channel).toBe('voice');
    expect(inputSubject(input({ channel: 'fax', recipient: 15558675310, correlationId: 'x y' }))).toEqual({ channel: 'message', maskedRecipient: 'an invalid recipient', correlationId: undefined });
  });
});
