import { ConfigurationError } from '../../src/core/errors';
import { deliveredLine, failedLine, MAX_LOG_LINE_LENGTH } from '../../src/core/log-line';
import { Scrubber } from '../../src/core/scrub';

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
