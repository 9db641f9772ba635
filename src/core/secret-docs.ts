import { EVERY_COUNTRY } from './countries';
import { TWILIO_EDGES, TWILIO_REGIONS, type SecretKey } from './config';
import {
  COSTLY_NUMBER_TYPES,
  DEFAULT_ENROLLMENTS_PER_BLOCK,
  DEFAULT_LOOKUP_MAX_RISK,
  NON_GEOGRAPHIC_CALLING_CODES,
  NUMBERS_PER_BLOCK,
  VELOCITY_OFF,
} from './screen/settings';

/** `a, b or c`: a format that is one of a few words. */
const oneOf = (choices: readonly string[]): string => `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`;

/**
 * What each secret of SECRETS takes (`format`, as the README's table and `.env.example` state it)
 * and is for (`summary`, the line of the bundles' banners, written by the build; a secret whose
 * summary does not say it is required, or with which other, is optional). Keyed by SECRETS,
 * so a secret added there fails to compile until it is described here. No entry imports this file:
 * the bundles carry these words once, in their banner.
 */
export const SECRET_DOCS: { readonly [K in SecretKey]: { format: string; summary: string } } = {
  accountSid: {
    format: 'AC followed by 32 hex digits',
    summary: 'required: your Twilio account',
  },
  authToken: {
    format: 'no whitespace',
    summary: 'required, unless an API key is set',
  },
  apiKey: {
    format: 'SK followed by 32 hex digits',
    summary: 'an API key, used instead of the token',
  },
  apiSecret: {
    format: 'no whitespace',
    summary: "with TWILIO_API_KEY: the key's secret",
  },
  phoneNumber: {
    format: 'E.164, such as +15005550006',
    summary: 'the From number of SMS and calls',
  },
  messagingServiceSid: {
    format: 'MG followed by 32 hex digits',
    summary: 'SMS through a Messaging Service',
  },
  verifyServiceSid: {
    format: 'VA followed by 32 hex digits',
    summary: 'one-time codes through Twilio Verify (us1 only)',
  },
  voice: {
    format: 'a Twilio <Say> voice name, such as Polly.Joanna',
    summary: 'the <Say> voice of calls',
  },
  region: {
    format: oneOf(TWILIO_REGIONS),
    summary: 'the Twilio region',
  },
  edge: {
    format: oneOf(TWILIO_EDGES),
    summary: "the edge into Twilio's network",
  },
  allowedCountries: {
    format: 'ISO 3166-1 alpha-2 codes separated by commas, such as US,CA,GB',
    summary: 'the only countries recipients may be in',
  },
  whatsappCountries: {
    format: `ISO 3166-1 alpha-2 codes separated by commas, such as BR,IN,MX, or ${EVERY_COUNTRY} for every country`,
    summary: 'codes to these countries go on WhatsApp first',
  },
  whatsappFrom: {
    format: 'E.164, such as +15005550006 (whatsapp:+15005550006 accepted)',
    summary: 'with WHATSAPP_COUNTRIES: the WhatsApp sender',
  },
  whatsappContentSid: {
    format: 'HX followed by 32 hex digits',
    summary: 'with WHATSAPP_COUNTRIES: the approved template',
  },
  allowedNumberTypes: {
    format:
      `number types (${COSTLY_NUMBER_TYPES.map((type) => type.toLowerCase()).join(', ')}) or non-geographic calling codes ` +
      `(${NON_GEOGRAPHIC_CALLING_CODES.map((code) => `+${code}`).join(', ')}) separated by commas, such as uan,+882`,
    summary: 'costly numbers that still get codes',
  },
  enrollmentVelocity: {
    format: `a whole number from 1 to ${NUMBERS_PER_BLOCK}, or ${VELOCITY_OFF} (default ${DEFAULT_ENROLLMENTS_PER_BLOCK})`,
    summary: `new numbers a block of 1,000 enrolls an hour (${DEFAULT_ENROLLMENTS_PER_BLOCK})`,
  },
  lookup: {
    format: 'enrollment or all',
    summary: 'billed by Twilio: Lookup (enrollment or all)',
  },
  lookupMaxRisk: {
    format: `a whole number from 0 to 100 (default ${DEFAULT_LOOKUP_MAX_RISK})`,
    summary: `the pumping risk refused above (${DEFAULT_LOOKUP_MAX_RISK})`,
  },
  lookupFail: {
    format: 'open or closed (default open)',
    summary: 'closed refuses when Lookup cannot answer',
  },
};
