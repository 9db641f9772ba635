import { randomInt } from 'node:crypto';
import { attemptsText } from '../../src/core/classify';
import type { Delivery } from '../../src/core/message';
import { maskPhoneNumber, type E164 } from '../../src/core/phone';
import { sendPhoneMessage } from '../../src/core/send';
import { loadTwilio } from '../../src/core/twilio-module';
import { customizeMessage } from '../../src/customize';
import { SEND_PHONE_MESSAGE_FIELDS } from '../../src/auth0/vocabulary';
import type { TwilioLibrary } from '../runtime/twilio-transport';
import { failed, passed, type Verdict } from './verdict';

/**
 * `--send-to`: one real one-time code, a fresh six-digit one, to `to`, by the sender itself (the
 * core of the Send Phone Message action, with this repository's customization) and so through
 * the route it would take at a login: WhatsApp first where WHATSAPP_COUNTRIES lists the country,
 * else SMS through Verify, the Messaging Service or the From number. The code is never printed.
 */

export const SEND_CHECK = 'send';
const APIS: Readonly<Record<Delivery['api'], string>> = { messaging: 'Programmable Messaging', voice: 'Programmable Voice', verify: 'Verify' };

export async function sendCheckCode(secrets: Readonly<Record<string, string>>, to: E164, twilio: TwilioLibrary, phoneNumberLibrary: () => unknown): Promise<Verdict> {
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  try {
    const delivery = await sendPhoneMessage(
      () => ({
        secrets,
        message: {
          recipient: to,
          text: `${code} is your verification code.`,
          code,
          channel: 'sms',
          fields: SEND_PHONE_MESSAGE_FIELDS,
          purpose: 'verification',
          auth0: { trigger: 'send-phone-message', messageType: 'second-factor-authentication' },
          language: 'en',
          from: undefined,
          client: undefined,
          user: undefined,
        },
      }),
      { twilio: () => loadTwilio(() => twilio), phoneNumberLibrary, log: () => undefined, customize: customizeMessage },
    );
    const fallback = delivery.fallbackReason === undefined ? '' : `, after WhatsApp could not deliver (${delivery.fallbackReason})`;
    return passed(SEND_CHECK, `a code went to ${maskPhoneNumber(to)} by ${delivery.channel === 'sms' ? 'SMS' : delivery.channel === 'whatsapp' ? 'WhatsApp' : 'call'} through ${APIS[delivery.api]}${delivery.sid === undefined ? '' : `, ${delivery.sid}`} (${attemptsText(delivery.attempts)})${fallback}; check that it arrived.`);
  } catch (error) {
    // The sender's own error: scrubbed, and saying what to fix.
    return failed(SEND_CHECK, `the code to ${maskPhoneNumber(to)} was not sent: ${error instanceof Error ? error.message : String(error)}`);
  }
}
