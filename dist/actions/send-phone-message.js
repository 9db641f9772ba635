// Built from src/actions/send-phone-message.ts by `npm run build`; edit the TypeScript source, not this file.
"use strict";
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);

// src/actions/send-phone-message.ts
var send_phone_message_exports = {};
__export(send_phone_message_exports, {
  onExecuteSendPhoneMessage: () => onExecuteSendPhoneMessage
});
module.exports = __toCommonJS(send_phone_message_exports);

// src/core/errors.ts
var PhoneMessageError = class extends Error {
  friendlyMessage;
  constructor(message, friendlyMessage) {
    super(message);
    this.friendlyMessage = friendlyMessage;
  }
};
var FRIENDLY_CONFIGURATION = "We could not send your verification code. Please contact support.";
var FRIENDLY_RECIPIENT = "This phone number cannot receive verification codes. Check the number and try again.";
var FRIENDLY_TRY_AGAIN = "We could not send your verification code right now. Please try again in a moment.";
var ConfigurationError = class extends PhoneMessageError {
  name = "ConfigurationError";
  transient = false;
  constructor(message) {
    super(message, FRIENDLY_CONFIGURATION);
  }
};
var InvalidRecipientError = class extends PhoneMessageError {
  name = "InvalidRecipientError";
  transient = false;
  constructor(message) {
    super(message, FRIENDLY_RECIPIENT);
  }
};
var InvalidRequestError = class extends PhoneMessageError {
  name = "InvalidRequestError";
  transient = false;
  constructor(message) {
    super(message, FRIENDLY_CONFIGURATION);
  }
};
var TwilioDeliveryError = class extends PhoneMessageError {
  name = "TwilioDeliveryError";
  transient;
  /** Twilio's error code (21211, 60203, …) when Twilio sent one. */
  twilioCode;
  /** The HTTP status of Twilio's answer, when there was an answer. */
  httpStatus;
  constructor(options) {
    super(options.message, options.friendlyMessage);
    this.transient = options.transient;
    this.twilioCode = options.twilioCode;
    this.httpStatus = options.httpStatus;
  }
};
var DeadlineExceededError = class extends PhoneMessageError {
  name = "DeadlineExceededError";
  transient = true;
  constructor(message) {
    super(message, FRIENDLY_TRY_AGAIN);
  }
};
var FRIENDLY_MESSAGES = {
  configuration: FRIENDLY_CONFIGURATION,
  recipient: FRIENDLY_RECIPIENT,
  tryAgain: FRIENDLY_TRY_AGAIN
};

// src/core/load-twilio.ts
function loadTwilio(load) {
  let twilio;
  try {
    twilio = load();
  } catch {
    throw new ConfigurationError(
      `The npm module "twilio" is not available: declare it as a dependency (Hooks editor > Settings > NPM Modules, or the Action's Dependencies).`
    );
  }
  if (typeof twilio !== "function") {
    throw new ConfigurationError('The module "twilio" did not load as the Twilio helper library; declare the npm package "twilio" (version 3 or later).');
  }
  return twilio;
}

// src/core/client-cache.ts
var MAX_CACHED_CLIENTS = 8;
function clientOptions(requestTimeoutMs) {
  return { keepAlive: true, timeout: requestTimeoutMs, autoRetry: false };
}
var clientsByModule = /* @__PURE__ */ new WeakMap();
function cachedClient(twilio, config, requestTimeoutMs) {
  let clients = clientsByModule.get(twilio);
  if (clients === void 0) {
    clients = /* @__PURE__ */ new Map();
    clientsByModule.set(twilio, clients);
  }
  const key = `${config.accountSid}\0${config.authToken}`;
  const cached = clients.get(key);
  if (cached !== void 0) return cached;
  const client = twilio(config.accountSid, config.authToken, clientOptions(requestTimeoutMs));
  if (clients.size >= MAX_CACHED_CLIENTS) {
    const oldest = clients.keys().next().value;
    if (oldest !== void 0) clients.delete(oldest);
  }
  clients.set(key, client);
  return client;
}

// src/core/phone.ts
var E164_MIN_DIGITS = 8;
var E164_MAX_DIGITS = 15;
var FORMATTING_CHARACTERS = /[\s\-.()]/g;
function normalizePhoneNumber(raw, what = "The recipient phone number") {
  if (typeof raw !== "string" || raw.trim() === "") {
    throw new InvalidRecipientError(`${what} is empty; expected E.164, such as +15550105310.`);
  }
  const stripped = raw.replace(FORMATTING_CHARACTERS, "");
  const digits = stripped.startsWith("+") ? stripped.slice(1) : stripped;
  if (!/^[0-9]+$/.test(digits)) {
    throw new InvalidRecipientError(
      `${what} (${maskPhoneNumber(raw)}) contains characters other than digits, a leading +, spaces, dashes, dots and parentheses; expected E.164, such as +15550105310.`
    );
  }
  if (digits.length < E164_MIN_DIGITS || digits.length > E164_MAX_DIGITS) {
    throw new InvalidRecipientError(
      `${what} (${maskPhoneNumber(raw)}) has ${digits.length} digits; E.164 numbers have ${E164_MIN_DIGITS} to ${E164_MAX_DIGITS}, country code included.`
    );
  }
  if (digits.startsWith("0")) {
    throw new InvalidRecipientError(
      `${what} (${maskPhoneNumber(raw)}) starts with 0, a national trunk prefix; write it with its country code instead, such as +44… for 07…`
    );
  }
  return `+${digits}`;
}
function maskPhoneNumber(value) {
  const compact = value.replace(FORMATTING_CHARACTERS, "");
  const visible = compact.length >= 12 ? 4 : compact.length >= 8 ? 2 : 0;
  if (visible === 0) return "***";
  const head = compact.startsWith("+") ? visible + 1 : visible;
  return `${compact.slice(0, head)}***${compact.slice(-visible)}`;
}

// src/core/config.ts
var SECRET_NAMES = {
  accountSid: "TWILIO_ACCOUNT_SID",
  authToken: "TWILIO_AUTH_TOKEN",
  phoneNumber: "TWILIO_PHONE_NUMBER",
  messagingServiceSid: "TWILIO_MESSAGING_SERVICE_SID",
  verifyServiceSid: "TWILIO_VERIFY_SID",
  voice: "TWILIO_VOICE"
};
var sidPattern = (prefix) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`);
var VOICE_NAME = new RegExp("^\\p{L}[\\p{L}\\p{N}._-]{0,63}$", "u");
function readConfig(secrets) {
  const source = typeof secrets === "object" && secrets !== null ? secrets : {};
  const accountSid = requiredSecret(source, SECRET_NAMES.accountSid);
  if (!sidPattern("AC").test(accountSid)) {
    throw new ConfigurationError(
      `${SECRET_NAMES.accountSid} is malformed: it must be "AC" followed by 32 hex digits, as shown in the Twilio Console under Account Info.`
    );
  }
  const authToken = requiredSecret(source, SECRET_NAMES.authToken);
  if (/\s/.test(authToken)) {
    throw new ConfigurationError(
      `${SECRET_NAMES.authToken} is malformed: it contains whitespace. Copy the Auth Token again from the Twilio Console.`
    );
  }
  return {
    accountSid,
    authToken,
    phoneNumber: optionalPhoneNumber(source, SECRET_NAMES.phoneNumber),
    messagingServiceSid: optionalSid(source, SECRET_NAMES.messagingServiceSid, "MG", "Messaging > Services"),
    verifyServiceSid: optionalSid(source, SECRET_NAMES.verifyServiceSid, "VA", "Verify > Services"),
    voice: optionalVoice(source)
  };
}
function secretText(source, name) {
  const value = source[name];
  if (value === void 0 || value === null) return void 0;
  if (typeof value !== "string") {
    throw new ConfigurationError(`${name} must be a string; set it as a secret of the hook or action.`);
  }
  const trimmed = value.trim();
  return trimmed === "" ? void 0 : trimmed;
}
function requiredSecret(source, name) {
  const value = secretText(source, name);
  if (value === void 0) {
    throw new ConfigurationError(`${name} is not set. Add it to the secrets of the hook or action.`);
  }
  return value;
}
function optionalSid(source, name, prefix, consolePlace) {
  const value = secretText(source, name);
  if (value !== void 0 && !sidPattern(prefix).test(value)) {
    throw new ConfigurationError(
      `${name} is malformed: it must be "${prefix}" followed by 32 hex digits, as shown in the Twilio Console under ${consolePlace}. Remove the secret if you do not use it.`
    );
  }
  return value;
}
function optionalPhoneNumber(source, name) {
  const value = secretText(source, name);
  if (value === void 0) return void 0;
  try {
    return normalizePhoneNumber(value, name);
  } catch (error) {
    if (error instanceof InvalidRecipientError) throw new ConfigurationError(error.message);
    throw error;
  }
}
function optionalVoice(source) {
  const value = secretText(source, SECRET_NAMES.voice);
  if (value !== void 0 && !VOICE_NAME.test(value)) {
    throw new ConfigurationError(
      `${SECRET_NAMES.voice} is malformed: use a Twilio voice name such as "Polly.Joanna" or "alice", or remove the secret.`
    );
  }
  return value;
}

// src/core/customization.ts
function customizedText(message, customize) {
  let text;
  try {
    text = customize({
      text: message.text,
      code: message.code,
      messageType: message.messageType,
      action: message.action,
      language: message.language,
      client: message.client,
      user: message.user
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    throw new InvalidRequestError(`customizeMessage() in src/customize.ts threw a ${name}; fix it and rebuild.`);
  }
  if (typeof text !== "string" || text.trim() === "") {
    throw new InvalidRequestError("customizeMessage() in src/customize.ts must return a non-empty string.");
  }
  const code = message.code;
  if (code !== void 0 && code !== "" && message.text.includes(code) && !text.includes(code)) {
    throw new InvalidRequestError(
      "customizeMessage() in src/customize.ts returned a message without the one-time code; include message.code in it."
    );
  }
  return text;
}

// src/core/deadline.ts
var Deadline = class {
  constructor(budgetMs, now = Date.now) {
    this.budgetMs = budgetMs;
    this.now = now;
    this.expiresAt = now() + budgetMs;
  }
  budgetMs;
  now;
  expiresAt;
  remainingMs() {
    return Math.max(0, this.expiresAt - this.now());
  }
  elapsedMs() {
    return this.budgetMs - (this.expiresAt - this.now());
  }
  /**
   * Settles with `work`, or rejects with `onExpiry()` when the deadline passes first. The timer
   * is cleared either way, so a warm container is never kept busy by a finished send.
   */
  race(work, onExpiry) {
    work.catch(() => void 0);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(onExpiry()), this.remainingMs());
      work.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error) => {
          clearTimeout(timer);
          reject(error);
        }
      );
    });
  }
  /** Waits `ms`, but never past the deadline. */
  sleep(ms) {
    const wait = Math.min(ms, this.remainingMs());
    return new Promise((resolve) => setTimeout(resolve, wait));
  }
};

// src/core/retry.ts
var INITIAL_RETRY_DELAY_MS = 250;
var MAX_RETRY_DELAY_MS = 2e3;
var MAX_ATTEMPTS = 4;
var MIN_ATTEMPT_TIME_MS = 1e3;
var RetryExhaustedError = class extends Error {
  constructor(lastError, attempts) {
    super(`gave up after ${attempts} attempts`);
    this.lastError = lastError;
    this.attempts = attempts;
    this.name = "RetryExhaustedError";
  }
  lastError;
  attempts;
};
function retryDelayMs(attempt, random) {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, INITIAL_RETRY_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * ceiling / 2);
}
async function retry(attempt, options) {
  const random = options.random ?? Math.random;
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return { value: await attempt(attemptNumber), attempts: attemptNumber };
    } catch (error) {
      const delay = retryDelayMs(attemptNumber, random);
      const timeLeftAfterWait = options.deadline.remainingMs() - delay;
      if (attemptNumber >= MAX_ATTEMPTS || !options.isRetryable(error) || timeLeftAfterWait < MIN_ATTEMPT_TIME_MS) {
        throw new RetryExhaustedError(error, attemptNumber);
      }
      await options.deadline.sleep(delay);
    }
  }
}

// src/core/redact.ts
var MIN_SCRUBBED_LENGTH = 4;
var MAX_FOREIGN_TEXT_LENGTH = 300;
var CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;
var REDACTED = "[redacted]";
function scrub(text, secrets) {
  let result = text.replace(CONTROL_CHARACTERS, " ");
  for (const secret of secrets) {
    if (secret !== void 0 && secret.length >= MIN_SCRUBBED_LENGTH) {
      result = result.split(secret).join(REDACTED);
    }
  }
  return result.length > MAX_FOREIGN_TEXT_LENGTH ? `${result.slice(0, MAX_FOREIGN_TEXT_LENGTH)}…` : result;
}

// src/core/twilio-errors.ts
var RETRYABLE_NETWORK_CODES = [
  "ECONNRESET",
  // the connection dropped, often a pooled keep-alive socket closed by the far end
  "ECONNREFUSED",
  // nothing listening right now, such as a proxy restarting
  "ECONNABORTED",
  // axios (inside twilio 4+) gave up on one request after its timeout
  "ETIMEDOUT",
  // connect or socket timeout
  "ESOCKETTIMEDOUT",
  // the same from the request library inside twilio 3
  "EPIPE",
  // wrote to a socket the far end had closed
  "EAI_AGAIN",
  // DNS lookup failed temporarily
  "ENETUNREACH",
  // the route to Twilio is down for a moment
  "EHOSTUNREACH",
  "ERR_SOCKET_CONNECTION_TIMEOUT"
];
var RETRYABLE_HTTP_STATUSES = [429, 500, 502, 503, 504];
var NEVER_RETRIED_TWILIO_CODES = [60203];
var TOO_MANY_ATTEMPTS = "Too many codes were sent to this number. Wait a few minutes before asking for a new one.";
var TWILIO_ERROR_ADVICE = {
  20003: {
    hint: "Twilio did not accept the credentials: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN against Twilio Console > Account Info (a rotated token or test credentials fail this way).",
    friendly: FRIENDLY_MESSAGES.configuration
  },
  20404: {
    hint: "Twilio has no such resource: check that TWILIO_VERIFY_SID or TWILIO_MESSAGING_SERVICE_SID belongs to this account.",
    friendly: FRIENDLY_MESSAGES.configuration
  },
  21211: {
    hint: "Twilio considers the recipient number invalid: the user must enroll a real, reachable number.",
    friendly: FRIENDLY_MESSAGES.recipient
  },
  21212: {
    hint: "The From number is invalid: set TWILIO_PHONE_NUMBER to a number of this Twilio account, in E.164.",
    friendly: FRIENDLY_MESSAGES.configuration
  },
  21408: {
    hint: "The recipient's country is not enabled: turn it on in Twilio Console > Messaging (or Voice) > Settings > Geo permissions.",
    friendly: FRIENDLY_MESSAGES.recipient
  },
  21606: {
    hint: "The From number cannot send SMS: use an SMS-capable number in TWILIO_PHONE_NUMBER, or a Messaging Service in TWILIO_MESSAGING_SERVICE_SID.",
    friendly: FRIENDLY_MESSAGES.configuration
  },
  21608: {
    hint: "A Twilio trial account can only send to verified numbers: verify this number in Twilio Console > Phone Numbers > Verified Caller IDs, or upgrade the account.",
    friendly: FRIENDLY_MESSAGES.recipient
  },
  21610: {
    hint: "The recipient replied STOP to this sender and is unsubscribed; they must text START to it to receive codes again.",
    friendly: FRIENDLY_MESSAGES.recipient
  },
  21614: {
    hint: "The recipient number cannot receive SMS (a landline or not a mobile number); the user can choose a voice call or enroll a mobile number.",
    friendly: FRIENDLY_MESSAGES.recipient
  },
  60200: {
    hint: "Verify rejected a parameter: check the recipient number and that the Verify service's code length matches Auth0's code.",
    friendly: FRIENDLY_MESSAGES.configuration
  },
  60203: {
    hint: "Verify reached its limit of send attempts to this number (5 in 10 minutes); the user has to wait.",
    friendly: TOO_MANY_ATTEMPTS
  },
  60204: {
    hint: "This Verify service does not accept custom codes: ask Twilio support to enable custom verification codes on it, or remove TWILIO_VERIFY_SID to send through Programmable Messaging.",
    friendly: FRIENDLY_MESSAGES.configuration
  },
  60410: {
    hint: "Verify's Fraud Guard blocked this number's prefix for suspected SMS pumping: review Twilio Console > Verify > Fraud Guard.",
    friendly: FRIENDLY_MESSAGES.recipient
  }
};
function asThrown(error) {
  return typeof error === "object" && error !== null ? error : {};
}
function isRetryableAnswer(status, code) {
  return RETRYABLE_HTTP_STATUSES.includes(status) && !(typeof code === "number" && NEVER_RETRIED_TWILIO_CODES.includes(code));
}
function isRetryable(error) {
  const { status, code } = asThrown(error);
  if (typeof status === "number") return isRetryableAnswer(status, code);
  return typeof code === "string" && RETRYABLE_NETWORK_CODES.includes(code);
}
function adviceFor(twilioCode) {
  return TWILIO_ERROR_ADVICE[twilioCode];
}
function toDeliveryError(error, attempts, secrets) {
  const { status, code, message, moreInfo } = asThrown(error);
  const twilioMessage = typeof message === "string" ? scrub(message, secrets).replace(/[.\s]+$/, "") : "";
  const tries = attempts === 1 ? "1 attempt" : `${attempts} attempts`;
  if (typeof status === "number") {
    const twilioCode = typeof code === "number" ? code : void 0;
    const advice = twilioCode === void 0 ? void 0 : adviceFor(twilioCode);
    const transient = isRetryableAnswer(status, code);
    const reference = typeof moreInfo === "string" && /^https:\/\/www\.twilio\.com\//.test(moreInfo) ? ` More: ${moreInfo}` : "";
    const label = twilioCode === void 0 ? `HTTP ${status}` : `error ${twilioCode} (HTTP ${status})`;
    const fallbackHint = transient ? "Twilio is overloaded or unavailable; Auth0 will ask again at the next attempt." : "See the Twilio error reference for this code.";
    return new TwilioDeliveryError({
      message: `Twilio answered ${label} after ${tries}: ${twilioMessage || "no message"}. ${advice?.hint ?? fallbackHint}${reference}`,
      friendlyMessage: advice?.friendly ?? (transient ? FRIENDLY_MESSAGES.tryAgain : FRIENDLY_MESSAGES.configuration),
      transient,
      twilioCode,
      httpStatus: status
    });
  }
  if (typeof code === "string" && RETRYABLE_NETWORK_CODES.includes(code)) {
    return new TwilioDeliveryError({
      message: `Could not reach Twilio (${code}) after ${tries}. Check the status of Twilio's API; the request can be tried again.`,
      friendlyMessage: FRIENDLY_MESSAGES.tryAgain,
      transient: true
    });
  }
  if (error instanceof SyntaxError) {
    return new TwilioDeliveryError({
      message: `Twilio answered with a body that is not JSON after ${tries}; the message may have been sent. Check the Twilio Console logs.`,
      friendlyMessage: FRIENDLY_MESSAGES.tryAgain,
      transient: false
    });
  }
  const name = error instanceof Error ? error.name : typeof error;
  const detail = typeof code === "string" ? ` (${scrub(code, secrets)})` : "";
  return new TwilioDeliveryError({
    message: `The twilio library failed with ${name}${detail} after ${tries}: ${twilioMessage || "no message"}.`,
    friendlyMessage: FRIENDLY_MESSAGES.tryAgain,
    transient: false
  });
}

// src/core/channels/sms.ts
function smsParams(config, to, body, from) {
  if (from !== void 0) return { to, body, from };
  if (config.messagingServiceSid !== void 0) return { to, body, messagingServiceSid: config.messagingServiceSid };
  if (config.phoneNumber !== void 0) return { to, body, from: config.phoneNumber };
  throw new ConfigurationError(
    "TWILIO_PHONE_NUMBER is not set: SMS needs a From number (or TWILIO_MESSAGING_SERVICE_SID, or TWILIO_VERIFY_SID to send through Verify)."
  );
}
function sendSms(client, params) {
  return client.messages.create(params);
}

// src/core/language.ts
var DEFAULT_SAY_LANGUAGE = "en-US";
var SAY_LANGUAGES = {
  ca: "ca-ES",
  "ca-es": "ca-ES",
  da: "da-DK",
  "da-dk": "da-DK",
  de: "de-DE",
  "de-de": "de-DE",
  "de-at": "de-DE",
  "de-ch": "de-DE",
  en: "en-US",
  "en-us": "en-US",
  "en-gb": "en-GB",
  "en-au": "en-AU",
  "en-ca": "en-CA",
  "en-in": "en-IN",
  es: "es-ES",
  "es-es": "es-ES",
  "es-mx": "es-MX",
  "es-419": "es-MX",
  "es-us": "es-MX",
  fi: "fi-FI",
  "fi-fi": "fi-FI",
  fr: "fr-FR",
  "fr-fr": "fr-FR",
  "fr-ca": "fr-CA",
  "fr-be": "fr-FR",
  "fr-ch": "fr-FR",
  it: "it-IT",
  "it-it": "it-IT",
  ja: "ja-JP",
  "ja-jp": "ja-JP",
  ko: "ko-KR",
  "ko-kr": "ko-KR",
  nb: "nb-NO",
  no: "nb-NO",
  "nb-no": "nb-NO",
  nl: "nl-NL",
  "nl-nl": "nl-NL",
  "nl-be": "nl-NL",
  pl: "pl-PL",
  "pl-pl": "pl-PL",
  pt: "pt-BR",
  "pt-br": "pt-BR",
  "pt-pt": "pt-PT",
  ru: "ru-RU",
  "ru-ru": "ru-RU",
  sv: "sv-SE",
  "sv-se": "sv-SE",
  zh: "zh-CN",
  "zh-cn": "zh-CN",
  "zh-hans": "zh-CN",
  "zh-hk": "zh-HK",
  "zh-tw": "zh-TW",
  "zh-hant": "zh-TW"
};
var VERIFY_LOCALES = localesByLowerCase([
  "af",
  "ar",
  "ca",
  "cs",
  "da",
  "de",
  "el",
  "en",
  "en-GB",
  "es",
  "et",
  "fi",
  "fr",
  "he",
  "hi",
  "hr",
  "hu",
  "id",
  "it",
  "ja",
  "ko",
  "ms",
  "nb",
  "nl",
  "pl",
  "pt",
  "pt-BR",
  "ro",
  "ru",
  "sv",
  "th",
  "tl",
  "tr",
  "vi",
  "zh",
  "zh-CN",
  "zh-HK"
]);
function localesByLowerCase(locales) {
  return new Map(locales.map((locale) => [locale.toLowerCase(), locale]));
}
function canonicalTag(language) {
  if (typeof language !== "string") return void 0;
  const tag = language.trim().replace(/_/g, "-").toLowerCase();
  return tag === "" ? void 0 : tag;
}
function sayLanguageFor(language) {
  const tag = canonicalTag(language);
  if (tag === void 0) return DEFAULT_SAY_LANGUAGE;
  return SAY_LANGUAGES[tag] ?? SAY_LANGUAGES[tag.split("-")[0] ?? ""] ?? DEFAULT_SAY_LANGUAGE;
}
function verifyLocaleFor(language) {
  const tag = canonicalTag(language);
  if (tag === void 0) return void 0;
  return VERIFY_LOCALES.get(tag) ?? VERIFY_LOCALES.get(tag.split("-")[0] ?? "");
}

// src/core/channels/voice.ts
var PAUSE_BETWEEN_REPETITIONS_S = 1;
var REPETITIONS = 2;
var RING_TIMEOUT_S = 30;
var UNSPEAKABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
function spellOut(code) {
  return Array.from(code).join(", ");
}
function spokenMessage(text, code) {
  const speakable = text.replace(UNSPEAKABLE, " ").replace(/\s+/g, " ").trim();
  if (code === void 0 || code === "") return speakable;
  const spelled = spellOut(code);
  const withCode = speakable.replace(/\{\{\s*code\s*\}\}/g, code);
  if (withCode.includes(code)) return withCode.split(code).join(spelled);
  return `${withCode} ${spelled}.`.trim();
}
function voiceTwiml(twilio, spoken, language, voice) {
  const response = new twilio.twiml.VoiceResponse();
  const attributes = { language: sayLanguageFor(language) };
  if (voice !== void 0) attributes.voice = voice;
  for (let repetition = 0; repetition < REPETITIONS; repetition++) {
    if (repetition > 0) response.pause({ length: PAUSE_BETWEEN_REPETITIONS_S });
    response.say(attributes, spoken);
  }
  return response.toString();
}
function callParams(config, to, twiml, from) {
  const caller = from ?? config.phoneNumber;
  if (caller === void 0) {
    throw new ConfigurationError(
      "TWILIO_PHONE_NUMBER is not set: a voice call needs a From number (a Messaging Service cannot place calls; TWILIO_VERIFY_SID can)."
    );
  }
  return { to, from: caller, twiml, timeout: RING_TIMEOUT_S };
}
function placeCall(client, params) {
  return client.calls.create(params);
}

// src/core/channels/verify.ts
function verificationParams(to, messageType, code, language) {
  const locale = verifyLocaleFor(language);
  return {
    to,
    channel: messageType === "voice" ? "call" : "sms",
    customCode: code,
    ...locale === void 0 ? {} : { locale }
  };
}
function startVerification(client, serviceSid, params) {
  return client.verify.v2.services(serviceSid).verifications.create(params);
}

// src/customize.ts
function customizeMessage(message) {
  return message.text;
}

// src/core/send.ts
var SEND_DEADLINE_MS = 1e4;
function plan(twilio, config, message, to, customize) {
  const from = message.from === void 0 ? void 0 : normalizePhoneNumber(message.from, "The sender phone number");
  if (config.verifyServiceSid !== void 0 && message.verifiable) {
    if (message.code === void 0 || message.code === "") {
      throw new InvalidRequestError("Auth0 sent no one-time code, and Verify needs one as its custom code.");
    }
    const params2 = verificationParams(to, message.messageType, message.code, message.language);
    const serviceSid = config.verifyServiceSid;
    return { api: "verify", send: (client) => startVerification(client, serviceSid, params2) };
  }
  if (message.text.trim() === "") {
    throw new InvalidRequestError(
      "The message text from Auth0 is empty: check the phone message templates (Security > Multi-factor Auth > Phone Message, or Branding > Phone Provider)."
    );
  }
  if (config.verifyServiceSid !== void 0 && from === void 0 && config.phoneNumber === void 0) {
    const alternative = message.messageType === "sms" ? " (or TWILIO_MESSAGING_SERVICE_SID)" : "";
    if (message.messageType === "voice" || config.messagingServiceSid === void 0) {
      const what = message.action === void 0 ? "this message" : `a ${message.action} message`;
      throw new ConfigurationError(
        `TWILIO_PHONE_NUMBER is not set: ${what} carries no one-time code, so Verify (TWILIO_VERIFY_SID) cannot deliver it; set TWILIO_PHONE_NUMBER${alternative} to send it.`
      );
    }
  }
  const text = customizedText(message, customize);
  if (message.messageType === "voice") {
    const twiml = voiceTwiml(twilio, spokenMessage(text, message.code), message.language, config.voice);
    const params2 = callParams(config, to, twiml, from);
    return { api: "voice", send: (client) => placeCall(client, params2) };
  }
  const params = smsParams(config, to, text, from);
  return { api: "messaging", send: (client) => sendSms(client, params) };
}
function checkedMessage(input) {
  const { messageType, text } = input;
  if (messageType !== "sms" && messageType !== "voice") {
    throw new InvalidRequestError('The message type must be "sms" or "voice".');
  }
  if (typeof text !== "string") throw new InvalidRequestError("The message text from Auth0 is not a string.");
  return { ...input, messageType, text };
}
async function sendPhoneMessage(secrets, input, dependencies) {
  const deadlineMs = dependencies.deadlineMs ?? SEND_DEADLINE_MS;
  const deadline = new Deadline(deadlineMs);
  const channel = typeof input.messageType === "string" ? input.messageType.slice(0, 10) : "message";
  const shownRecipient = typeof input.recipient === "string" ? maskPhoneNumber(input.recipient) : "an invalid recipient";
  let secretValues = [input.code];
  let attempts = 0;
  try {
    const message = checkedMessage(input);
    const twilio = dependencies.twilio();
    const config = readConfig(secrets);
    secretValues = [config.authToken, message.code];
    const to = normalizePhoneNumber(message.recipient);
    const { api, send } = plan(twilio, config, message, to, dependencies.customize ?? customizeMessage);
    const client = cachedClient(twilio, config, deadlineMs);
    const attempt = (attemptNumber) => {
      attempts = attemptNumber;
      return deadline.race(
        Promise.resolve().then(() => send(client)),
        () => new DeadlineExceededError(`Twilio did not answer within ${deadlineMs} ms (${attemptNumber} attempt${attemptNumber === 1 ? "" : "s"}); Auth0 can ask again.`)
      );
    };
    const { value, attempts: used } = await retry(attempt, {
      deadline,
      isRetryable: (error) => !(error instanceof DeadlineExceededError) && isRetryable(error),
      ...dependencies.random === void 0 ? {} : { random: dependencies.random }
    });
    const delivery = { api, channel: message.messageType, sid: value.sid, attempts: used, elapsedMs: deadline.elapsedMs() };
    dependencies.log(
      `twilio-phone-message: ${channel} to ${maskPhoneNumber(to)} sent via ${api} (${value.sid}) in ${delivery.elapsedMs} ms, ${used} attempt${used === 1 ? "" : "s"}`
    );
    return delivery;
  } catch (caught) {
    const failure = caught instanceof RetryExhaustedError ? caught.lastError : caught;
    const error = failure instanceof PhoneMessageError ? failure : toDeliveryError(failure, Math.max(attempts, 1), secretValues);
    dependencies.log(
      `twilio-phone-message: ${channel} to ${shownRecipient} failed after ${deadline.elapsedMs()} ms: ${error.name}: ${error.message}`
    );
    throw error;
  }
}

// src/actions/types.ts
function actionClient(client) {
  return {
    id: client?.client_id,
    name: client?.name,
    metadata: typeof client?.metadata === "object" && client.metadata !== null ? client.metadata : {}
  };
}

// src/actions/send-phone-message.ts
async function onExecuteSendPhoneMessage(event) {
  const options = event.message_options ?? {};
  await sendPhoneMessage(
    event.secrets,
    {
      recipient: options.recipient,
      text: options.text,
      code: options.code,
      messageType: options.message_type,
      action: options.action,
      language: event.request?.language,
      from: void 0,
      verifiable: true,
      client: actionClient(event.client),
      user: event.user
    },
    { twilio: () => loadTwilio(() => require("twilio")), log: console.log }
  );
}
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  onExecuteSendPhoneMessage
});
