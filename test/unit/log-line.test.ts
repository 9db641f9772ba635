import { ConfigurationError } from '../../src/core/errors';
import { deliveredLine, failedLine, MAX_LOG_LINE_LENGTH } from '../../src/core/log-line';

describe('the log lines', () => {
  const delivery = { api: 'messaging' as const, channel: 'sms' as const, sid: 'SM0123456789abcdef0123456789abcdef', attempts: 2, elapsedMs: 321 };

  it('of a delivery', () => {
    expect(deliveredLine(delivery, '+1555***5310')).toBe('twilio-phone-message: sent sms to +1555***5310 via messaging sid=SM0123456789abcdef0123456789abcdef attempts=2 ms=321');
    expect(deliveredLine({ ...delivery, sid: undefined }, '+1555***5310')).toBe('twilio-phone-message: sent sms to +1555***5310 via messaging sid=unknown attempts=2 ms=321');
  });

  it('of a failure without a Twilio answer: no code, no status', () => {
    expect(failedLine({ channel: 'voice', maskedRecipient: '+1555***5310' }, new ConfigurationError('TWILIO_AUTH_TOKEN is not set.'), 0, 3)).toBe(
      'twilio-phone-message: failed voice to +1555***5310 attempts=0 ms=3 transient=false ConfigurationError: TWILIO_AUTH_TOKEN is not set.',
    );
  });

  it(`cut to ${MAX_LOG_LINE_LENGTH} characters`, () => {
    const line = failedLine({ channel: 'sms', maskedRecipient: '+1555***5310' }, new ConfigurationError('x'.repeat(400)), 0, 3);
    expect(line).toHaveLength(MAX_LOG_LINE_LENGTH);
    expect(line.endsWith('x…')).toBe(true);
  });
});
