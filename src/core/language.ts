import type VoiceResponse = require('twilio/lib/twiml/VoiceResponse');

/** The library declares the union without exporting it; the attribute's type reaches it. */
export type SayLanguage = NonNullable<VoiceResponse.SayAttributes['language']>;

export const DEFAULT_SAY_LANGUAGE: SayLanguage = 'en-US';

/**
 * `<Say>` languages by Auth0 language tag. A bare language maps to its most common region,
 * so `es` speaks Castilian and `pt` Brazilian Portuguese, as Auth0's own voice templates do.
 */
const SAY_LANGUAGES: ReadonlyMap<string, SayLanguage> = new Map(Object.entries({
  ca: 'ca-ES', 'ca-es': 'ca-ES',
  da: 'da-DK', 'da-dk': 'da-DK',
  de: 'de-DE', 'de-de': 'de-DE', 'de-at': 'de-DE', 'de-ch': 'de-DE',
  en: 'en-US', 'en-us': 'en-US', 'en-gb': 'en-GB', 'en-au': 'en-AU', 'en-ca': 'en-CA', 'en-in': 'en-IN',
  es: 'es-ES', 'es-es': 'es-ES', 'es-mx': 'es-MX', 'es-419': 'es-MX', 'es-us': 'es-MX',
  fi: 'fi-FI', 'fi-fi': 'fi-FI',
  fr: 'fr-FR', 'fr-fr': 'fr-FR', 'fr-ca': 'fr-CA', 'fr-be': 'fr-FR', 'fr-ch': 'fr-FR',
  it: 'it-IT', 'it-it': 'it-IT',
  ja: 'ja-JP', 'ja-jp': 'ja-JP',
  ko: 'ko-KR', 'ko-kr': 'ko-KR',
  nb: 'nb-NO', no: 'nb-NO', 'nb-no': 'nb-NO',
  nl: 'nl-NL', 'nl-nl': 'nl-NL', 'nl-be': 'nl-NL',
  pl: 'pl-PL', 'pl-pl': 'pl-PL',
  pt: 'pt-BR', 'pt-br': 'pt-BR', 'pt-pt': 'pt-PT',
  ru: 'ru-RU', 'ru-ru': 'ru-RU',
  sv: 'sv-SE', 'sv-se': 'sv-SE',
  zh: 'zh-CN', 'zh-cn': 'zh-CN', 'zh-hans': 'zh-CN', 'zh-hk': 'zh-HK', 'zh-tw': 'zh-TW', 'zh-hant': 'zh-TW',
} satisfies Record<string, SayLanguage>));

/**
 * Verify's locale override. Twilio answers an unknown locale with a 404, so only tags it
 * documents are sent; for anything else Verify picks the language from the country code.
 */
const VERIFY_LOCALES: ReadonlyMap<string, string> = localesByLowerCase([
  'af', 'ar', 'ca', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'es', 'et', 'fi', 'fr', 'he', 'hi', 'hr',
  'hu', 'id', 'it', 'ja', 'ko', 'ms', 'nb', 'nl', 'pl', 'pt', 'pt-BR', 'ro', 'ru', 'sv', 'th', 'tl',
  'tr', 'vi', 'zh', 'zh-CN', 'zh-HK',
]);

function localesByLowerCase(locales: readonly string[]): ReadonlyMap<string, string> {
  return new Map(locales.map((locale) => [locale.toLowerCase(), locale]));
}

/** `fr_CA`, `FR-ca` and ` fr-CA ` are all `fr-ca`. */
function canonicalTag(language: unknown): string | undefined {
  if (typeof language !== 'string') return undefined;
  const tag = language.trim().replace(/_/g, '-').toLowerCase();
  return tag === '' ? undefined : tag;
}

export function sayLanguageFor(language: unknown): SayLanguage {
  const tag = canonicalTag(language);
  if (tag === undefined) return DEFAULT_SAY_LANGUAGE;
  return SAY_LANGUAGES.get(tag) ?? SAY_LANGUAGES.get(tag.split('-')[0] ?? '') ?? DEFAULT_SAY_LANGUAGE;
}

export function verifyLocaleFor(language: unknown): string | undefined {
  const tag = canonicalTag(language);
  if (tag === undefined) return undefined;
  return VERIFY_LOCALES.get(tag) ?? VERIFY_LOCALES.get(tag.split('-')[0] ?? '');
}
