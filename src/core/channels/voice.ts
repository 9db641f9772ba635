import { sayLanguageFor } from '../language';
import type { E164 } from '../phone';
import type { Route } from '../route';
import type { TwilioModule } from '../twilio-module';
import type VoiceResponse = require('twilio/lib/twiml/VoiceResponse');

/** A listener who missed the code hears it again after this pause. */
const PAUSE_BETWEEN_REPETITIONS_S = 1;
const REPETITIONS = 2;
/** Twilio rings for this long before giving up on an unanswered call. */
const RING_TIMEOUT_S = 30;

/** XML 1.0 forbids these characters; text-to-speech has nothing to say for them either. */
const UNSPEAKABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `4, 8, 2, 9, 1, 3`: text-to-speech reads digits, not "four hundred eighty-two thousand". */
export function spellOut(code: string): string {
  return Array.from(code).join(', ');
}

/**
 * Auth0's text with the code spelled out. An unrendered `{{code}}` (the defect of Auth0's sample
 * hook) gets it too, and text without it is followed by it: no call ends without the code.
 */
export function spokenMessage(text: string, code: string | undefined): string {
  const speakable = text.replace(UNSPEAKABLE, ' ').replace(/\s+/g, ' ').trim();
  if (code === undefined || code === '') return speakable;
  const spelled = spellOut(code);
  const withCode = speakable.replace(/\{\{\s*code\s*\}\}/g, code);
  if (withCode.includes(code)) return withCode.split(code).join(spelled);
  return `${withCode} ${spelled}.`.trim();
}

/** Built (and XML-escaped) by twilio's own VoiceResponse. */
export function voiceTwiml(
  twilio: TwilioModule,
  spoken: string,
  language: unknown,
  voice: string | undefined,
): string {
  const response = new twilio.twiml.VoiceResponse();
  // TWILIO_VOICE is checked for shape only: Twilio adds voices faster than the library's types.
  // Without it the attribute is undefined, which twilio's TwiML builder leaves out.
  const attributes: VoiceResponse.SayAttributes = { language: sayLanguageFor(language), voice: voice as VoiceResponse.SayAttributes['voice'] };
  for (let repetition = 0; repetition < REPETITIONS; repetition++) {
    if (repetition > 0) response.pause({ length: PAUSE_BETWEEN_REPETITIONS_S });
    response.say(attributes, spoken);
  }
  return response.toString();
}

/** The TwiML is built when the call is placed, with the runtime's twilio: planning needs no library. */
export function callRoute(to: E164, spoken: string, language: unknown, voice: string | undefined, from: E164): Route {
  return {
    api: 'voice',
    channel: 'voice',
    confirm: false,
    send: (client, twilio) => client.calls.create({ to, from, twiml: voiceTwiml(twilio, spoken, language, voice), timeout: RING_TIMEOUT_S }),
  };
}
