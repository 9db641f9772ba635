/**
 * The Twilio errors the fake answers with (twilio-errors.json): Twilio's HTTP status and message
 * for each code, as Twilio's error pages give them. Like the real ones, several messages repeat
 * the number they are about (`{to}`), as it was sent (E.164 or not), sometimes twice (21608); the
 * sender must mask it wherever it ends up. Where the fake departs from Twilio: 20001 (unknown
 * parameters) is only a warning at Twilio, which ignores them, and the fake's contract check
 * refuses them; 60223 names the channel refused, and the fake refuses WhatsApp only; 63003,
 * 63016 and 63024 come later, as a message's `error_code`, not at the create, and so do SMS
 * Pumping Protection's 30450 and 30453; 60606 comes inside a Lookup package (HTTP 200), and the
 * fake answers 60614 and 60619 only when a test scripts them (their HTTP status, 400, is the
 * fake's guess), a Lookup through a region without Lookup being answered as any host that does
 * not serve an API (contract.ts); 80701 is the fake's code for any other request the
 * description refuses.
 */
import FAKE_TWILIO_ERRORS = require('./twilio-errors.json');

interface FakeError {
  status: number;
  message: string;
}

const knownError = (code: number): FakeError | undefined => (FAKE_TWILIO_ERRORS as Record<string, FakeError>)[String(code)];

/** `+15558675310` as people write it: `+1 (555) 867-5310`. Twilio echoes whatever it was sent. */
export function formattedNumber(e164: string): string {
  const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  if (match) return `+1 (${match[1]}) ${match[2]}-${match[3]}`;
  return e164.replace(/^(\+\d{2})(\d{2})(\d{4})(\d+)$/, '$1 $2 $3 $4');
}

export interface TwilioErrorAnswer {
  status: number;
  body: { code: number; message: string; more_info: string; status: number };
}

/** Twilio's JSON error body: `{ code, message, more_info, status }`. */
export function twilioErrorBody(code: number, to = '', overrides: { status?: number; message?: string; moreInfo?: string } = {}): TwilioErrorAnswer {
  const known = knownError(code);
  const status = overrides.status ?? known?.status ?? 400;
  return {
    status,
    body: {
      code,
      message: overrides.message ?? known?.message.split('{to}').join(to) ?? `Twilio error ${code}`,
      more_info: overrides.moreInfo ?? `https://www.twilio.com/docs/errors/${code}`,
      status,
    },
  };
}
