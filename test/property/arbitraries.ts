import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { API_KEY, MESSAGING_SERVICE_SID, RECIPIENT, SECRETS, VERIFY_SID } from '../fixtures/values';
import { expectNoSecrets, expectNumbersMasked } from '../helpers/no-secrets';
import { twilioErrorAnswer, type ScriptedAnswer, type ScriptedRequest } from '../helpers/scripted-twilio';

/** fast-check settings: FC_SEED and FC_PATH replay a failure that fast-check printed. */
export function propertyParameters(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
  return { numRuns, ...(seed === undefined ? {} : { seed, path: process.env.FC_PATH }) };
}

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const validE164 = fc.tuple(fc.integer({ min: 1, max: 9 }), digits(7, 14)).map(([first, rest]) => `+${first}${rest}`);
const FULLWIDTH_ZERO = 0xff10;
const ARABIC_INDIC_ZERO = 0x0660;

/** Phone numbers of every shape: valid, formatted, too short or long, letters, unicode digits, huge. */
const recipientArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 12, arbitrary: validE164 },
  {
    weight: 8,
    arbitrary: fc
      .tuple(validE164, fc.array(fc.constantFrom(' ', '-', '.', '(', ')', '  '), { minLength: 1, maxLength: 6 }), fc.boolean())
      .map(([number, separators, keepPlus]) => {
        const chars = Array.from(keepPlus ? number : number.slice(1));
        separators.forEach((separator, index) => chars.splice(1 + ((index * 3) % (chars.length - 1)), 0, separator));
        return chars.join('');
      }),
  },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 9 }), digits(0, 6)).map(([a, b]) => `+${a}${b}`) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 9 }), digits(15, 25)).map(([a, b]) => `+${a}${b}`) },
  { weight: 1, arbitrary: digits(8, 14).map((rest) => `+0${rest}`) },
  { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '+', `+${RECIPIENT}`, `tel:${RECIPIENT}`) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(validE164, fc.constantFrom(FULLWIDTH_ZERO, ARABIC_INDIC_ZERO))
      .map(([number, zero]) => number.replace(/[0-9]/g, (digit) => String.fromCharCode(zero + Number(digit)))),
  },
  { weight: 1, arbitrary: fc.string({ minLength: 1000, maxLength: 4000 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number(RECIPIENT), null, undefined, { number: RECIPIENT }) },
);

/** Calling codes of no country (ITU's international networks and services), as the README lists them. */
const NO_COUNTRY_CALLING_CODES = ['800', '808', '870', '878', '881', '882', '883', '888', '979'];
/** What libphonenumber-js calls the numbers that only cost, as the README lists them. */
const COSTLY_TYPES: readonly unknown[] = ['PREMIUM_RATE', 'SHARED_COST', 'UAN', 'VOICEMAIL', 'PAGER'];
const phoneNumbers = require('libphonenumber-js/max') as typeof import('libphonenumber-js/max');

/**
 * The specification of a deliverable recipient, written independently of the implementation:
 * E.164 once formatting is removed, and not a number the pumping shield's free layer refuses
 * (under a calling code of no country, or of a type that only costs).
 */
function isDeliverableRecipient(recipient: unknown): boolean {
  if (!isE164(recipient)) return false;
  const digits = recipient.replace(/\D/g, '');
  return !NO_COUNTRY_CALLING_CODES.some((code) => digits.startsWith(code)) && !COSTLY_TYPES.includes(phoneNumbers.parsePhoneNumberFromString(`+${digits}`)?.getType());
}

/** A phone number in E.164 once the formatting people write is removed. */
function isE164(text: unknown): text is string {
  return typeof text === 'string' && /^\+?[1-9][0-9]{7,14}$/.test(text.replace(/[\s\-.()]/g, ''));
}

/** Auth0 codes are digits; 6 to 8 of them cannot turn up by chance in a SID or a masked number. */
const codeArb = digits(6, 8);

const markup = fc.constantFrom('<Say>', '</Response>', '&amp;', '"', "'", ']]>', '<![CDATA[', '{{code}}', '<Dial>+19005550000</Dial>', '😀', '\u0000', '\u0007', '\u001b[31m', '\ud800');
const controlCharacters = fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code)), maxLength: 5 });

/** Message texts with markup, quotes, emoji and control characters, usually around the code. */
function textArb(code: string): fc.Arbitrary<string> {
  const piece = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 10 }), markup, controlCharacters);
  return fc.oneof(
    { weight: 4, arbitrary: fc.tuple(fc.array(piece, { maxLength: 3 }), fc.array(piece, { maxLength: 3 })).map(([before, after]) => `${before.join('')}${code}${after.join('')}`) },
    { weight: 1, arbitrary: fc.array(piece, { maxLength: 4 }).map((pieces) => pieces.join('')) },
  );
}

const padded = (value: string) => fc.constantFrom(value, ` ${value}`, `${value}\n`, `\t${value} `);
const absentOrEmpty = fc.constantFrom(undefined, '', '   ');

/** Secrets as tenants set them: right, missing, empty, malformed, padded or broken by whitespace. */
const secretsArb: fc.Arbitrary<Record<string, string | undefined>> = fc.record({
  TWILIO_ACCOUNT_SID: fc.oneof({ weight: 40, arbitrary: padded(SECRETS.TWILIO_ACCOUNT_SID) }, absentOrEmpty, fc.constantFrom('AC123', 'SK0123456789abcdef0123456789abcdef', 'AC0123456789abcdef0123456789abcdeg')),
  TWILIO_AUTH_TOKEN: fc.oneof({ weight: 40, arbitrary: padded(SECRETS.TWILIO_AUTH_TOKEN) }, absentOrEmpty, fc.constant(`${SECRETS.TWILIO_AUTH_TOKEN.slice(0, 10)} ${SECRETS.TWILIO_AUTH_TOKEN.slice(10)}`)),
  TWILIO_PHONE_NUMBER: fc.oneof({ weight: 30, arbitrary: padded(SECRETS.TWILIO_PHONE_NUMBER) }, { weight: 5, arbitrary: fc.constant('+1 (500) 555-0006') }, absentOrEmpty, fc.constantFrom('555-0006', 'Acme')),
  TWILIO_MESSAGING_SERVICE_SID: fc.oneof({ weight: 30, arbitrary: absentOrEmpty }, { weight: 10, arbitrary: padded(MESSAGING_SERVICE_SID) }, fc.constant('MG123')),
  TWILIO_VERIFY_SID: fc.oneof({ weight: 30, arbitrary: absentOrEmpty }, { weight: 10, arbitrary: padded(VERIFY_SID) }, fc.constant('VB0123456789abcdef0123456789abcdef')),
  TWILIO_VOICE: fc.oneof({ weight: 30, arbitrary: fc.constant(undefined) }, { weight: 5, arbitrary: fc.constantFrom('Polly.Joanna', 'alice') }, fc.constant('<voice>')),
  TWILIO_API_KEY: fc.oneof({ weight: 30, arbitrary: absentOrEmpty }, { weight: 10, arbitrary: padded(API_KEY.TWILIO_API_KEY) }, fc.constant('SK123')),
  TWILIO_API_SECRET: fc.oneof({ weight: 30, arbitrary: absentOrEmpty }, { weight: 10, arbitrary: padded(API_KEY.TWILIO_API_SECRET) }, fc.constant('k3y s3cr3t')),
  TWILIO_REGION: fc.oneof({ weight: 40, arbitrary: absentOrEmpty }, { weight: 5, arbitrary: fc.constantFrom('us1', 'IE1', 'au1') }, fc.constant('eu1')),
  TWILIO_EDGE: fc.oneof({ weight: 40, arbitrary: absentOrEmpty }, { weight: 5, arbitrary: fc.constantFrom('dublin', 'Sydney', 'ashburn') }, fc.constant('paris')),
  // The velocity cap counts across runs of a warm container (its own tests hold it); here only its secret's form is generated.
  ENROLLMENT_VELOCITY: fc.oneof({ weight: 40, arbitrary: fc.constantFrom('off', 'OFF') }, fc.constant('ten')),
});

/** Drops the secrets that are unset, as a secrets store would not have them at all. */
export function definedSecrets(secrets: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(secrets).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * Whether the sender has what it needs to make a request, by the README's rules: credentials (an
 * API key and its secret when either is set, else the auth token), every optional secret absent
 * or well-formed (Verify only in us1), and a sender for the message: Verify for a message that
 * carries a code (not a notice), else a number or a messaging service for SMS, a number for voice,
 * plus a text for non-Verify messages and a valid `from` when one is given.
 */
function canSend(
  secrets: Record<string, string | undefined>,
  message: { channel: unknown; code: unknown; notice: boolean; text: unknown; from?: unknown },
): boolean {
  const s = Object.fromEntries(Object.entries(secrets).map(([key, value]) => [key, value?.trim() === '' ? undefined : value?.trim()]));
  if (!/^AC[0-9a-fA-F]{32}$/.test(s.TWILIO_ACCOUNT_SID ?? '')) return false;
  if (s.TWILIO_API_KEY !== undefined || s.TWILIO_API_SECRET !== undefined) {
    if (!/^SK[0-9a-fA-F]{32}$/.test(s.TWILIO_API_KEY ?? '') || s.TWILIO_API_SECRET === undefined || /\s/.test(s.TWILIO_API_SECRET)) return false;
  } else if (s.TWILIO_AUTH_TOKEN === undefined || /\s/.test(s.TWILIO_AUTH_TOKEN)) return false;
  if (s.TWILIO_PHONE_NUMBER !== undefined && !isE164(s.TWILIO_PHONE_NUMBER)) return false;
  if (s.TWILIO_MESSAGING_SERVICE_SID !== undefined && !/^MG[0-9a-fA-F]{32}$/.test(s.TWILIO_MESSAGING_SERVICE_SID)) return false;
  if (s.TWILIO_VERIFY_SID !== undefined && !/^VA[0-9a-fA-F]{32}$/.test(s.TWILIO_VERIFY_SID)) return false;
  if (s.TWILIO_VOICE !== undefined && !/^\p{L}[\p{L}\p{N}._-]{0,63}$/u.test(s.TWILIO_VOICE)) return false;
  const region = s.TWILIO_REGION?.toLowerCase();
  if (region !== undefined && !['us1', 'ie1', 'au1'].includes(region)) return false;
  if (s.TWILIO_EDGE !== undefined && !['ashburn', 'dublin', 'frankfurt', 'sao-paulo', 'singapore', 'sydney', 'tokyo', 'umatilla'].includes(s.TWILIO_EDGE.toLowerCase())) return false;
  if (s.TWILIO_VERIFY_SID !== undefined && region !== undefined && region !== 'us1') return false;
  if (s.ENROLLMENT_VELOCITY !== undefined && s.ENROLLMENT_VELOCITY.toLowerCase() !== 'off' && !/^([1-9][0-9]{0,2}|1000)$/.test(s.ENROLLMENT_VELOCITY)) return false;
  if (message.channel !== 'sms' && message.channel !== 'voice') return false;
  if (typeof message.text !== 'string') return false;
  if (message.from !== undefined && message.from !== '' && !isE164(message.from)) return false;
  const hasCode = typeof message.code === 'string' && message.code !== '';
  if (s.TWILIO_VERIFY_SID !== undefined && hasCode && !message.notice) return true;
  if (message.text.trim() === '') return false;
  const hasNumber = s.TWILIO_PHONE_NUMBER !== undefined || (message.from !== undefined && message.from !== '');
  return message.channel === 'sms' ? hasNumber || s.TWILIO_MESSAGING_SERVICE_SID !== undefined : hasNumber;
}

/** What the scripted wire answers in the input properties: outcomes that are never retried. */
const finalAnswerArb: fc.Arbitrary<ScriptedAnswer | undefined> = fc.constantFrom<ScriptedAnswer | undefined>(
  undefined,
  undefined,
  undefined,
  twilioErrorAnswer(400, 21211, `The 'To' number ${RECIPIENT} is not a valid phone number.`),
  twilioErrorAnswer(400, 21610, 'Attempt to send to unsubscribed recipient'),
  twilioErrorAnswer(403, 60410, 'Verification delivery attempt blocked'),
  { status: 201, body: '{"sid": "SM' },
);


/** One send of the input properties: a code, a text (usually around it), a recipient, the tenant's secrets, Twilio's final answer. */
export interface GeneratedSend {
  code: string;
  text: string;
  recipient: unknown;
  secrets: Record<string, string | undefined>;
  finalAnswer: ScriptedAnswer | undefined;
}

export const sendArb: fc.Arbitrary<GeneratedSend> = fc
  .record({
    codeAndText: codeArb.chain((code) => fc.record({ code: fc.constant(code), text: textArb(code) })),
    recipient: recipientArb,
    secrets: secretsArb,
    finalAnswer: finalAnswerArb,
  })
  .map(({ codeAndText, ...rest }) => ({ ...codeAndText, ...rest }));

/** Whether `send`, as the entry hands it on (`withCode: false` when it drops the code), can reach Twilio by the README's rules. */
export function isSendable(send: GeneratedSend, message: { channel: unknown; notice: boolean; withCode?: boolean; from?: unknown }): boolean {
  const code = message.withCode === false ? undefined : send.code;
  return canSend(send.secrets, { channel: message.channel, code, notice: message.notice, text: send.text, from: message.from }) && isDeliverableRecipient(send.recipient);
}

/**
 * What the input properties check of every run: Twilio called once for a valid send and never
 * otherwise, every call's TwiML well-formed, and in `outputs` (what the entry answered, threw or
 * logged) no secret, no code and no unmasked recipient.
 */
export function expectWellBehaved(send: GeneratedSend, valid: boolean, requests: readonly ScriptedRequest[], outputs: unknown): void {
  expect(requests).toHaveLength(valid ? 1 : 0);
  for (const request of requests) {
    if (request.uri.endsWith('/Calls.json')) expectWellFormedTwiml(request.form.Twiml);
  }
  expectNoSecrets(outputs, [send.secrets.TWILIO_AUTH_TOKEN, send.secrets.TWILIO_API_SECRET, send.code]);
  if (typeof send.recipient === 'string' && send.recipient.replace(/[^0-9]/g, '').length >= 7) expectNumbersMasked(outputs, [send.recipient]);
}

/** Fails unless every TwiML document is well-formed XML 1.0 with a single <Response> root. */
function expectWellFormedTwiml(twiml: string | undefined): void {
  expect(typeof twiml).toBe('string');
  const xml = String(twiml);
  expect(XMLValidator.validate(xml)).toBe(true);
  // fast-xml-parser lets through characters that XML 1.0 forbids; Twilio's parser does not.
  expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  const parsed = new XMLParser({ ignoreDeclaration: true }).parse(xml) as Record<string, unknown>;
  expect(Object.keys(parsed)).toEqual(['Response']);
  expect(xml.match(/<Response>/g)).toHaveLength(1);
}
