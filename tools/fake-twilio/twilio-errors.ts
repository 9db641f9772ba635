/**
 * The Twilio errors the fake answers with: Twilio's HTTP status and message for each code. Like
 * the real ones, several messages repeat the number they are about, as it was sent (E.164 or
 * not), sometimes twice (21608); the sender must mask it wherever it ends up.
 */
interface FakeError {
  status: number;
  message: (to: string) => string;
}

const FAKE_TWILIO_ERRORS: ReadonlyMap<number, FakeError> = new Map<number, FakeError>([
  // Unknown parameters: a warning at Twilio, which ignores them; the fake's contract check refuses them.
  [20001, { status: 400, message: () => 'Unknown parameters' }],
  [20003, { status: 401, message: () => 'Authenticate' }],
  [20004, { status: 405, message: () => 'Method not allowed' }],
  [20404, { status: 404, message: () => 'The requested resource was not found' }],
  [20429, { status: 429, message: () => 'Too Many Requests' }],
  [20500, { status: 500, message: () => 'Internal Server Error' }],
  [20503, { status: 503, message: () => 'Service Unavailable' }],
  [21211, { status: 400, message: (to) => `The 'To' number ${to} is not a valid phone number.` }],
  [21212, { status: 400, message: () => "The 'From' number is not a valid phone number, shortcode, or alphanumeric sender ID." }],
  [21213, { status: 400, message: () => "The 'From' phone number is required." }],
  [21408, { status: 400, message: (to) => `Permission to send an SMS has not been enabled for the region indicated by the 'To' number: ${to}.` }],
  [21602, { status: 400, message: () => 'Message body is required.' }],
  [21603, { status: 400, message: () => "A 'From' or 'MessagingServiceSid' parameter is required to send a message." }],
  [21606, { status: 400, message: () => "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination." }],
  [
    21608,
    {
      status: 400,
      message: (to) =>
        `The number ${to} is unverified. Trial accounts cannot send messages to unverified numbers; ` +
        `verify ${to} at twilio.com/user/account/phone-numbers/verified, or purchase a Twilio number to send messages to unverified numbers.`,
    },
  ],
  [21610, { status: 400, message: () => 'Attempt to send to unsubscribed recipient' }],
  [21614, { status: 400, message: (to) => `To number: ${to}, is not a mobile number` }],
  [21656, { status: 400, message: () => 'The ContentVariables Parameter is invalid.' }],
  [21910, { status: 400, message: () => 'Invalid From and To pair. From and To should be of the same channel' }],
  [60200, { status: 400, message: (to) => `Invalid parameter \`To\`: ${to}` }],
  [60203, { status: 429, message: () => 'Max send attempts reached' }],
  [60204, { status: 403, message: () => 'Service does not support this feature' }],
  // Verify's message names the channel it refused; the fake refuses WhatsApp only.
  [60223, { status: 400, message: () => 'Delivery channel disabled: WHATSAPP' }],
  [60410, { status: 403, message: () => 'Verification delivery attempt blocked' }],
  // WhatsApp: at the create (63007), or later as a message's error_code (63003, 63016, 63024).
  [63003, { status: 400, message: () => 'Channel could not find To address' }],
  [63007, { status: 400, message: () => "Twilio could not find a Channel with the specified 'From' address" }],
  [63016, { status: 400, message: () => 'Failed to send freeform message because you are outside the allowed window. If you are using WhatsApp, please use a Message Template.' }],
  [63024, { status: 400, message: () => 'Invalid message recipient' }],
  [68008, { status: 400, message: () => 'Verify WhatsApp channel not configured' }],
  [80701, { status: 400, message: () => 'Parameter Validation Failed' }],
]);

export const FAKE_TWILIO_ERROR_CODES: readonly number[] = [...FAKE_TWILIO_ERRORS.keys()];

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
  const known = FAKE_TWILIO_ERRORS.get(code);
  const status = overrides.status ?? known?.status ?? 400;
  return {
    status,
    body: {
      code,
      message: overrides.message ?? known?.message(to) ?? `Twilio error ${code}`,
      more_info: overrides.moreInfo ?? `https://www.twilio.com/docs/errors/${code}`,
      status,
    },
  };
}
