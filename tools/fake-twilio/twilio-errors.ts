/**
 * The Twilio errors the fake can answer with: Twilio's HTTP status and message for each code.
 * Messages follow Twilio's error reference; the fake fills in the masked recipient.
 */
export const FAKE_TWILIO_ERRORS: Readonly<Record<number, { status: number; message: string }>> = {
  20003: { status: 401, message: 'Authenticate' },
  20404: { status: 404, message: 'The requested resource was not found' },
  20429: { status: 429, message: 'Too Many Requests' },
  20500: { status: 500, message: 'Internal Server Error' },
  20503: { status: 503, message: 'Service Unavailable' },
  21211: { status: 400, message: "The 'To' number is not a valid phone number." },
  21212: { status: 400, message: "The 'From' number is not a valid phone number, shortcode, or alphanumeric sender ID." },
  21213: { status: 400, message: "The 'From' phone number is required." },
  21408: { status: 400, message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number." },
  21602: { status: 400, message: 'Message body is required.' },
  21603: { status: 400, message: "A 'From' or 'MessagingServiceSid' parameter is required to send a message." },
  21606: { status: 400, message: "The 'From' phone number provided is not a valid message-capable Twilio phone number for this destination." },
  21608: { status: 400, message: "The number is unverified. Trial accounts cannot send messages to unverified numbers." },
  21610: { status: 400, message: 'Attempt to send to unsubscribed recipient' },
  21614: { status: 400, message: "'To' number is not a valid mobile number" },
  60200: { status: 400, message: 'Invalid parameter' },
  60203: { status: 429, message: 'Max send attempts reached' },
  60204: { status: 400, message: 'Service does not support this feature' },
  60410: { status: 403, message: 'Verification delivery attempt blocked' },
};

export function twilioErrorBody(code: number, status?: number, message?: string) {
  const known = FAKE_TWILIO_ERRORS[code];
  const httpStatus = status ?? known?.status ?? 400;
  return {
    status: httpStatus,
    body: {
      code,
      message: message ?? known?.message ?? `Twilio error ${code}`,
      more_info: `https://www.twilio.com/docs/errors/${code}`,
      status: httpStatus,
    },
  };
}
