import type VoiceResponse = require('twilio/lib/twiml/VoiceResponse');

/** The library declares the union without exporting it; the attribute's type reaches it. */
export type SayLanguage = NonNullable<VoiceResponse.SayAttributes['language']>;

export const DEFAULT_SAY_LANGUAGE: SayLanguage = 'en-US';

/** The `<Say>` languages the sender speaks: Twilio's basic voices cover these. */
const SAY_LANGUAGES: ReadonlyMap<string, SayLanguage> = byLowerCase<SayLanguage>([
  'ca-ES', 'da-DK', 'de-DE', 'en-AU', 'en-CA', 'en-GB', 'en-IN', 'en-US', 'es-ES', 'es-MX', 'fi-FI', 'fr-CA', 'fr-FR',
  'it-IT', 'ja-JP', 'ko-KR', 'nb-NO', 'nl-NL', 'pl-PL', 'pt-BR', 'pt-PT', 'ru-RU', 'sv-SE', 'zh-CN', 'zh-HK', 'zh-TW',
]);

/** A bare language speaks its first region above (`pt` → `pt-BR`), unless that is not the common one. */
const SAY_LANGUAGE_ALIASES: ReadonlyMap<string, SayLanguage> = new Map<string, SayLanguage>([
  ['en', 'en-US'],
  ['fr', 'fr-FR'],
  ['no', 'nb-NO'],
  ['es-419', 'es-MX'],
  ['es-us', 'es-MX'],
  ['zh-hant', 'zh-TW'],
]);

/** The first `<Say>` language of each base language: `de` → `de-DE`, `zh` → `zh-CN`. */
const SAY_LANGUAGE_BY_BASE: ReadonlyMap<string, SayLanguage> = new Map(
  [...SAY_LANGUAGES.values()].reverse().map((tag) => [tag.slice(0, tag.indexOf('-')).toLowerCase(), tag]),
);

function byLowerCase<T extends string>(values: readonly T[]): ReadonlyMap<string, T> {
  return new Map(values.map((value) => [value.toLowerCase(), value]));
}

/**
 * Verify's locales: Twilio answers an unknown one with a 404, so only documented tags are sent;
 * otherwise Verify picks the language from the country code.
 */
const VERIFY_LOCALES: ReadonlyMap<string, string> = byLowerCase([
  'af', 'ar', 'ca', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'es', 'et', 'fi', 'fr', 'he', 'hi', 'hr',
  'hu', 'id', 'it', 'ja', 'ko', 'ms', 'nb', 'nl', 'pl', 'pt', 'pt-BR', 'ro', 'ru', 'sv', 'th', 'tl',
  'tr', 'vi', 'zh', 'zh-CN', 'zh-HK',
]);

/** `fr_CA`, `FR-ca` and ` fr-CA ` are all `fr-ca`; a blank tag is '', which no list below holds. */
function canonicalTag(language: unknown): string | undefined {
  return typeof language === 'string' ? language.trim().replace(/_/g, '-').toLowerCase() : undefined;
}

export function sayLanguageFor(language: unknown): SayLanguage {
  const tag = canonicalTag(language);
  if (tag === undefined) return DEFAULT_SAY_LANGUAGE;
  const base = tag.split('-')[0];
  return (
    SAY_LANGUAGES.get(tag) ??
    SAY_LANGUAGE_ALIASES.get(tag) ??
    SAY_LANGUAGE_ALIASES.get(base) ??
    SAY_LANGUAGE_BY_BASE.get(base) ??
    DEFAULT_SAY_LANGUAGE
  );
}

export function verifyLocaleFor(language: unknown): string | undefined {
  const tag = canonicalTag(language);
  if (tag === undefined) return undefined;
  return VERIFY_LOCALES.get(tag) ?? VERIFY_LOCALES.get(tag.split('-')[0]);
}
