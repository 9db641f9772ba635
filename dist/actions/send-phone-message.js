/**
 * Auth0 Action, Send Phone Message trigger: delivers the MFA one-time code through Twilio, by
 * SMS (on WhatsApp first for the countries the tenant lists), by a voice call that reads the
 * code digit by digit, or through Twilio Verify.
 *
 * Deploy as a custom action (Node 22) with the dependency `twilio` (and `libphonenumber-js`
 * when ALLOWED_COUNTRIES or WHATSAPP_COUNTRIES lists countries) and the secrets:
 *   TWILIO_ACCOUNT_SID             required
 *   TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET: required (an API key wins)
 *   TWILIO_PHONE_NUMBER            the From number: required for calls, and for SMS without a
 *                                  Messaging Service or Verify
 *   TWILIO_MESSAGING_SERVICE_SID   optional: SMS through a Messaging Service
 *   TWILIO_VERIFY_SID              optional: deliver through Twilio Verify
 *   TWILIO_VOICE                   optional: the <Say> voice of calls
 *   TWILIO_REGION, TWILIO_EDGE     optional: Twilio region (us1, ie1, au1) and edge
 *   ALLOWED_COUNTRIES              optional: ISO country codes recipients may be in
 *   WHATSAPP_COUNTRIES             optional: codes to these countries (or * for all) go on WhatsApp
 *                                  first, SMS when WhatsApp cannot deliver
 *   TWILIO_WHATSAPP_FROM, TWILIO_WHATSAPP_CONTENT_SID: with WHATSAPP_COUNTRIES, unless through
 *                                  Verify: the WhatsApp sender and the approved template
 *
 * Resolves once Twilio accepted the message, within 10 s. Otherwise throws an Error whose
 * message says what to fix (never a secret, code or phone number); Auth0 logs the failure
 * (gd_send_sms_failure or gd_send_voice_failure) and the user can ask for a new code.
 */
// Built from src/actions/send-phone-message.ts by `npm run build` (tsc, then rollup); edit the TypeScript source, not this file.
'use strict';

const fs = require('fs');
const http = require('http');
const https = require('https');
const net = require('net');
const crypto = require('crypto');

/**
 * The errors the sender reports: each says what failed and how to fix it, with a `friendlyMessage`
 * safe to show the user. `transient` (trying later can help) picks the Custom Phone Provider's
 * `api.notification.retry()` over `drop()`.
 */
class PhoneMessageError extends Error {
  /** Most failures cannot heal by themselves. */
  transient = false;
}
const FRIENDLY_MESSAGES = {
  configuration: 'We could not send your verification code. Please contact support.',
  recipient: 'This phone number cannot receive verification codes. Check the number and try again.',
  tryAgain: 'We could not send your verification code right now. Please try again in a moment.',
};
/** A hook secret or action secret is missing or malformed. No request was sent. */
class ConfigurationError extends PhoneMessageError {
  name = 'ConfigurationError';
  friendlyMessage = FRIENDLY_MESSAGES.configuration;
}
/** Twilio answered with an error, or the connection to Twilio failed. */
class TwilioDeliveryError extends PhoneMessageError {
  name = 'TwilioDeliveryError';
  friendlyMessage;
  transient;
  /** Twilio's error code (21211, 60203, …) when Twilio sent one. */
  twilioCode;
  /** The HTTP status of Twilio's answer, when there was an answer. */
  httpStatus;
  constructor(options) {
    super(options.message);
    this.friendlyMessage = options.friendlyMessage;
    this.transient = options.transient;
    this.twilioCode = options.twilioCode;
    this.httpStatus = options.httpStatus;
  }
}
/** The recipient is not a phone number Twilio can deliver to. No request was sent. */
class InvalidRecipientError extends PhoneMessageError {
  name = 'InvalidRecipientError';
  friendlyMessage = FRIENDLY_MESSAGES.recipient;
}
/** Twilio did not answer (after any retries) before the sender's own deadline. */
class DeadlineExceededError extends PhoneMessageError {
  name = 'DeadlineExceededError';
  friendlyMessage = FRIENDLY_MESSAGES.tryAgain;
  transient = true;
}
/** The input Auth0 handed over is unusable (a missing code, an unknown message type). */
class InvalidRequestError extends PhoneMessageError {
  name = 'InvalidRequestError';
  friendlyMessage = FRIENDLY_MESSAGES.configuration;
}
/** An error class's name as code writes one: what a log line may show of a thrown value. */
const ERROR_NAME = /^[A-Za-z_$][\w$]{0,63}$/;
/**
 * What was thrown, for a log line or a message: an error's class name, or the value's type. Never
 * throws (a throwing name getter, a Proxy whose traps throw), never quotes more than a name.
 */
function kindOf(thrown) {
  try {
    if (!(thrown instanceof Error))
      return typeof thrown;
    const name = thrown.name;
    return typeof name === 'string' && ERROR_NAME.test(name) ? name : 'Error';
  }
  catch {
    return 'an unreadable value';
  }
}
/**
 * Whatever was thrown, as an error the entries can report: the sender's own, or a bug named by
 * its kind only, since its message could quote anything.
 */
function asPhoneMessageError(thrown) {
  let own = false;
  try {
    own = thrown instanceof PhoneMessageError;
  }
  catch {
    // A Proxy whose prototype cannot be read is no error of the sender's.
  }
  return own ? thrown : new InvalidRequestError(`The sender failed unexpectedly (${kindOf(thrown)}).`);
}

/** ITU-T E.164: a country code and subscriber number of at most 15 digits; 8 is the shortest real one. */
const E164_MIN_DIGITS = 8;
const E164_MAX_DIGITS = 15;
/** E.164 in words: an example number would be masked by the scrubber and read as someone's number. */
const E164_SHAPE = 'a +, the country code, then the number, such as +1 and ten digits for the US';
/** What people and CRMs put between digits. */
const FORMATTING_CHARACTERS = /[\s\-.()/]/g;
/**
 * A number as users type it (`+1 (555) 010-5310`) in E.164, or an `InvalidRecipientError` saying
 * what is wrong. Without a `+` it is read as carrying its country code, as Auth0's sample payloads
 * do (`1-808-555-5555`).
 */
function parsePhoneNumber(raw, what = 'The recipient phone number') {
  if (typeof raw !== 'string') {
    throw new InvalidRecipientError(`${what} is ${raw === undefined || raw === null ? 'missing' : `a ${typeof raw}, not text`}; expected E.164 text: ${E164_SHAPE}.`);
  }
  if (raw.trim() === '') {
    throw new InvalidRecipientError(`${what} is empty; expected E.164: ${E164_SHAPE}.`);
  }
  const stripped = raw.replace(FORMATTING_CHARACTERS, '');
  const digits = stripped.startsWith('+') ? stripped.slice(1) : stripped;
  const shown = maskPhoneNumber(raw);
  if (!/^[0-9]+$/.test(digits)) {
    throw new InvalidRecipientError(`${what} (${shown}) contains characters other than digits, a leading +, spaces, dashes, dots and parentheses; expected E.164: ${E164_SHAPE}.`);
  }
  if (digits.startsWith('00')) {
    throw new InvalidRecipientError(`${what} (${shown}) starts with 00, an international call prefix; write + instead, such as +44… for 0044…`);
  }
  if (digits.startsWith('0')) {
    throw new InvalidRecipientError(`${what} (${shown}) starts with 0, a national trunk prefix; write it with its country code instead, such as +44 7… for 07…`);
  }
  if (digits.length < E164_MIN_DIGITS || digits.length > E164_MAX_DIGITS) {
    throw new InvalidRecipientError(`${what} (${shown}) has ${digits.length} digits; E.164 numbers have ${E164_MIN_DIGITS} to ${E164_MAX_DIGITS}, country code included.`);
  }
  return `+${digits}`;
}
/** `+15550105310` → `+1555***5310`; short or odd values keep less, never most of a number. */
function maskPhoneNumber(value) {
  const compact = value.replace(FORMATTING_CHARACTERS, '');
  const visible = compact.length >= 12 ? 4 : compact.length >= 8 ? 2 : 0;
  if (visible === 0)
    return '***';
  const head = compact.startsWith('+') ? visible + 1 : visible;
  return `${compact.slice(0, head)}***${compact.slice(-visible)}`;
}

/** Values shorter than this are too common to scrub from text without mangling it. */
const MIN_SECRET_LENGTH = 4;
/** C0 and C1 controls, DEL, and the bidi controls that can reorder what a terminal shows: each becomes a space. */
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;
/**
 * Characters that show nothing, removed so they cannot hide a number or a code from the patterns
 * below: format characters (soft hyphen, zero-width ones, word joiner, invisible operators, BOM,
 * tags), variation selectors, the combining grapheme joiner and the Hangul fillers.
 */
const INVISIBLE_CHARACTERS = /[\p{Cf}\u034f\u115f\u1160\u3164\uffa0\ufe00-\ufe0f\u{e0100}-\u{e01ef}]+/gu;
/** Written between a number's digits: spaces, dashes, dots, parentheses, slashes, a form's `%20`. */
const NUMBER_SEPARATOR = '(?:[ \\u00a0\\-.()/]|%20)';
/** The version in every path of Twilio's API (`/2010-04-01/Accounts/…`), which its 404s quote: a date, not a number. */
const TWILIO_API_VERSION = '2010-04-01/';
/** Seven digits or more, each followed by up to three separators (`+1 555 - 867 - 5310`). */
const DIGIT_RUN = `(?:\\d${NUMBER_SEPARATOR}{0,3}){6,}\\d`;
/**
 * Anything that reads as a phone number. After a plus (`+`, or `%2B` in an echoed form) it is one
 * whatever letters touch it (`Number+15558675310is`); without one, digits inside a word (the hex
 * of a SID) are not. Over-masking a date or a long number is the price of never showing a real one.
 */
const PHONE_NUMBER_LIKE = new RegExp(`(?:\\+|%2[Bb])${DIGIT_RUN}|(?<![\\p{L}\\d_*])(?!${TWILIO_API_VERSION})${DIGIT_RUN}(?![\\p{L}\\d_*])`, 'gu');
/** Full-width (or other compatibility) digits and plus signs: `0`–`9` and `+` once normalized. */
const COMPATIBILITY_DIGITS = /[\p{Nd}\uff0b](?<![0-9])/gu;
const REDACTED = '[redacted]';
/** Between the digits of a code people write or read out: `4 8 2 9 1 3`, `48-29-13`. */
const DIGIT_SEPARATORS = '[\\s.,\\-]{0,3}';
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A secret as a pattern: a code made of digits is also found with separators between them. */
function secretPattern(secret) {
  return /^\d+$/.test(secret) ? Array.from(secret).join(DIGIT_SEPARATORS) : escapeRegExp(secret);
}
/**
 * The one scrubber every text passes before it leaves (an error message, a reason given to Auth0,
 * a log line), whoever wrote it: it removes control characters and the secrets it was given, and
 * masks every phone number. Scrubbing twice changes nothing.
 */
class Scrubber {
  secrets;
  constructor(secrets) {
    // Longest first, so a secret that contains another is removed whole.
    const patterns = secrets
      .filter((value) => typeof value === 'string')
      .map((value) => value.trim())
      .filter((value) => value.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length)
      .map(secretPattern);
    this.secrets = patterns.length === 0 ? undefined : new RegExp(patterns.join('|'), 'g');
  }
  clean(text) {
    const result = text
      .replace(COMPATIBILITY_DIGITS, (character) => character.normalize('NFKC'))
      .replace(CONTROL_CHARACTERS, ' ')
      .replace(INVISIBLE_CHARACTERS, '');
    const withoutSecrets = this.secrets === undefined ? result : result.replace(this.secrets, REDACTED);
    return withoutSecrets.replace(PHONE_NUMBER_LIKE, (number) => maskPhoneNumber(number));
  }
}
/** Cuts `text` to at most `maxLength` characters, marking the cut, without splitting a surrogate pair. */
function truncate(text, maxLength) {
  if (text.length <= maxLength)
    return text;
  let end = maxLength - 1;
  if (/[\ud800-\udbff]/.test(text.charAt(end - 1)))
    end--;
  return `${text.slice(0, end)}…`;
}

/**
 * One attempt, connection and whole answer included. Twilio's slowest create (Verify, cold, from
 * afar) takes under 2 s: past twice that it is stalled, and a 10 s deadline has room for another.
 */
const ATTEMPT_TIMEOUT_MS = 4_000;
/** Twilio's answers to a create are 1 to 3 KB; a bigger one is not Twilio's and is cut off. */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** Idle connections close before a load balancer on the way drops them silently (after 60 s or more). */
const IDLE_CONNECTION_TIMEOUT_MS = 15_000;
/**
 * How long a cold send waits for the TCP handshake of its preconnection before loading twilio,
 * which blocks the event loop (about 150 ms): a handshake not started by then cannot overlap the
 * load. The request would wait that round trip anyway; a slower path is not waited for.
 */
const PRECONNECT_WAIT_MS = 250;
/** The handshake, or a failure (an error comes before the close), ends the wait for a preconnection. */
const WAIT_ENDS = ['connect', 'error', 'close'];
/** Idle connections kept open per host for the next invocations of a warm container. */
const MAX_IDLE_CONNECTIONS = 20;
/**
 * An HTTP error from Twilio or something in front of it. Shaped like the library's RestException
 * (`status`, `code`, `message`), plus the kind of body and the `Retry-After` wait.
 */
class TwilioHttpError extends Error {
  status;
  code;
  body;
  retryAfterMs;
  name = 'TwilioHttpError';
  constructor(status, 
  /** As it came; the classifier checks it. */
  code, 
  /** Empty when the body held none. */
  twilioMessage, body, retryAfterMs) {
    super(twilioMessage);
    this.status = status;
    this.code = code;
    this.body = body;
    this.retryAfterMs = retryAfterMs;
  }
}
/** An attempt did not finish within its time: its connection has been closed. */
class AttemptTimeoutError extends Error {
  timeoutMs;
  name = 'AttemptTimeoutError';
  /** Node's code for a timed-out socket: the error reads as the network failure it is. */
  code = 'ETIMEDOUT';
  constructor(timeoutMs) {
    super(`no complete answer within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}
/** The answer was larger than any Twilio answer: not Twilio's, or broken. */
class OversizedAnswerError extends Error {
  status;
  name = 'OversizedAnswerError';
  constructor(status) {
    super(`an answer of more than ${MAX_RESPONSE_BYTES} bytes`);
    this.status = status;
  }
}
/**
 * Twilio accepted a create (the headers of its success came) but the library never read the whole
 * answer. The message exists: another attempt, or another route, would deliver a second code.
 */
class UnreadAcceptanceError extends Error {
  status;
  reason;
  name = 'UnreadAcceptanceError';
  constructor(status, 
  /** What ended the attempt after the headers. */
  reason) {
    super(`Twilio accepted the request (HTTP ${status}) but its answer could not be read whole`);
    this.status = status;
    this.reason = reason;
  }
}
/** The sender gave the attempt up (its deadline passed); the connection has been closed. */
class AttemptAbandonedError extends Error {
  name = 'AttemptAbandonedError';
}
/**
 * An HTTPS agent that can open a connection before its first request, so that the TCP and TLS
 * handshakes overlap what a cold send does first (loading twilio). A preconnect that fails costs
 * the request nothing: it opens its own connection, as without.
 */
class PreconnectingAgent extends https.Agent {
  /** Connections opened ahead, by origin, with what detaches them from their own watch. */
  warming = new Map();
  /** Opens a connection for the next request, unless one is open or opening; returns its socket. */
  preconnect(host, port) {
    const origin = `${host}:${port}`;
    const free = Object.entries(this.freeSockets).some(([name, sockets]) => name.startsWith(`${origin}:`) && (sockets?.length ?? 0) > 0);
    if (free || this.warming.has(origin))
      return undefined;
    // As the agent names a request's connection: no server name for an IP address (RFC 6066).
    const options = { ...this.options, host, port, servername: net.isIP(host) === 0 ? host : '' };
    // The agent's own key, so that the TLS session is cached for the connections after this one.
    const socket = super.createConnection({ ...options, _agentKey: this.getName(options) });
    const forget = () => {
      clearTimeout(unused);
      if (this.warming.get(origin)?.socket === socket)
        this.warming.delete(origin);
      socket.destroy();
    };
    // A connection nobody took is closed like an idle one; it never keeps a process alive.
    const unused = setTimeout(forget, IDLE_CONNECTION_TIMEOUT_MS);
    unused.unref();
    socket.unref();
    socket.on('error', forget);
    socket.on('close', forget);
    const warm = {
      socket,
      secure: false,
      release: () => {
        clearTimeout(unused);
        socket.removeListener('error', forget);
        socket.removeListener('close', forget);
        socket.ref();
      },
    };
    socket.once('secureConnect', () => {
      warm.secure = true;
    });
    this.warming.set(origin, warm);
    return socket;
  }
  /** Closes the connections opened ahead too. */
  destroy() {
    for (const { socket } of this.warming.values())
      socket.destroy();
    this.warming.clear();
    super.destroy();
  }
  createConnection(options, callback) {
    const origin = `${options.host}:${options.port}`;
    const warm = this.warming.get(origin);
    if (warm === undefined || warm.socket.destroyed || callback === undefined)
      return super.createConnection(options, callback);
    this.warming.delete(origin);
    warm.release();
    const { socket } = warm;
    if (warm.secure)
      return socket;
    // Still in its handshake: the request takes it when it is done, or opens its own if it fails.
    const settle = (secure) => {
      socket.removeListener('secureConnect', onSecure);
      socket.removeListener('error', onFailure);
      socket.removeListener('close', onFailure);
      if (secure)
        callback(null, socket);
      else {
        socket.destroy();
        callback(null, super.createConnection(options));
      }
    };
    const onSecure = () => settle(true);
    const onFailure = () => settle(false);
    socket.once('secureConnect', onSecure);
    socket.once('error', onFailure);
    socket.once('close', onFailure);
    return undefined;
  }
}
/**
 * The HTTP client handed to every twilio (3 to 6): one keep-alive pool per container, and per
 * attempt a time limit and an abort that close the connection. Every HTTP error (Twilio's JSON, a
 * gateway's page, no body) rejects as a `TwilioHttpError`, the same on every major version.
 */
class HttpTransport {
  agents = new Map();
  /** One attempt's `httpClient`; `acceptedStatus` tells whether Twilio accepted a create in it. */
  forAttempt(limits) {
    let acceptedStatus;
    return {
      request: (options) => this.request(options, limits, (status) => (acceptedStatus = status)),
      get acceptedStatus() {
        return acceptedStatus;
      },
    };
  }
  /**
   * Opens the connection to `origin` for the first request; resolves once its TCP handshake is
   * done or failed, or after `PRECONNECT_WAIT_MS` (at once when the pool holds one). Never
   * rejects, never fails a send.
   */
  preconnect(origin) {
    let socket;
    try {
      const url = new URL(origin);
      if (url.protocol === 'https:')
        socket = this.agentFor('https:').preconnect(url.hostname, Number(url.port || 443));
    }
    catch {
      // A connection that cannot even start is the request's to open, as without a preconnect.
    }
    if (socket === undefined)
      return Promise.resolve();
    const opening = socket;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        for (const event of WAIT_ENDS)
          opening.removeListener(event, done);
        resolve();
      };
      const timer = setTimeout(done, PRECONNECT_WAIT_MS);
      for (const event of WAIT_ENDS)
        opening.once(event, done);
    });
  }
  /** Closes every connection, for a tool or a test that ends; a container keeps its pool. */
  close() {
    for (const agent of this.agents.values())
      agent.destroy();
    this.agents.clear();
  }
  agentFor(protocol) {
    let agent = this.agents.get(protocol);
    if (agent === undefined) {
      const options = {
        keepAlive: true,
        maxFreeSockets: MAX_IDLE_CONNECTIONS,
        timeout: IDLE_CONNECTION_TIMEOUT_MS,
        // The same variable the twilio library reads: a CA bundle for TLS-inspecting proxies.
        ...(process.env.TWILIO_CA_BUNDLE ? { ca: fs.readFileSync(process.env.TWILIO_CA_BUNDLE) } : {}),
      };
      agent = protocol === 'http:' ? new http.Agent(options) : new PreconnectingAgent(options);
      this.agents.set(protocol, agent);
    }
    return agent;
  }
  /**
   * One request, ended by `limits`. A create's success status goes to `onAccepted` as it comes:
   * what a failure after it means is the sender's to say (send.ts).
   */
  request(options, limits, onAccepted) {
    const url = new URL(options.uri);
    for (const [name, value] of Object.entries(options.params ?? {}))
      appendField(url.searchParams, name, value);
    const headers = { ...options.headers };
    if (options.username !== undefined && options.password !== undefined) {
      headers.Authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
    }
    // Node sets Content-Length from the one chunk `end` writes, and upper-cases the method.
    const body = requestBody(options.data, headers);
    const send = url.protocol === 'http:' ? http.request : https.request;
    return new Promise((resolve, reject) => {
      let settled = false;
      const request = send(url, { method: options.method, headers, agent: this.agentFor(url.protocol) });
      // Closing the request closes its socket: the pool opens a fresh one for the next attempt.
      const giveUp = (error) => {
        request.destroy(error);
      };
      const timer = setTimeout(() => giveUp(new AttemptTimeoutError(limits.timeoutMs)), limits.timeoutMs);
      const onAbort = () => giveUp(new AttemptAbandonedError('the sender gave this attempt up'));
      const settle = (outcome) => {
        if (settled)
          return;
        settled = true;
        clearTimeout(timer);
        limits.signal.removeEventListener('abort', onAbort);
        outcome();
      };
      if (limits.signal.aborted)
        onAbort();
      else
        limits.signal.addEventListener('abort', onAbort, { once: true });
      const fail = (error) => settle(() => reject(error));
      request.on('error', fail);
      request.on('response', (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300 && request.method === 'POST')
          onAccepted?.(status);
        const chunks = [];
        let size = 0;
        response.on('data', (chunk) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES)
            giveUp(new OversizedAnswerError(status));
          else
            chunks.push(chunk);
        });
        response.on('error', fail);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          settle(() => {
            if (status >= 200 && status < 300)
              resolve({ statusCode: status, body: text, headers: response.headers });
            else
              reject(httpError(status, text, response.headers));
          });
        });
      });
      request.end(body);
    });
  }
}
function appendField(form, name, value) {
  for (const item of Array.isArray(value) ? value : [value]) {
    if (item !== undefined && item !== null)
      form.append(name, String(item));
  }
}
/** The form (or JSON) body, as the library's own client would encode it. */
function requestBody(data, headers) {
  if (data === undefined)
    return undefined;
  if (headers['Content-Type'] === 'application/json')
    return JSON.stringify(data);
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(data))
    appendField(form, name, value);
  headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
  return form.toString();
}
function httpError(status, text, headers) {
  const retryAfterMs = retryAfter(headers['retry-after']);
  if (text.trim() === '')
    return new TwilioHttpError(status, undefined, '', 'empty', retryAfterMs);
  let parsed;
  try {
    parsed = JSON.parse(text);
  }
  catch {
    const html = /^\s*</.test(text) || /html/i.test(headers['content-type'] ?? '');
    return new TwilioHttpError(status, undefined, '', html ? 'html' : 'text', retryAfterMs);
  }
  const { code, message } = typeof parsed === 'object' && parsed !== null ? parsed : {};
  return new TwilioHttpError(status, code, typeof message === 'string' ? message : '', 'json', retryAfterMs);
}
/** `Retry-After: 3` or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
function retryAfter(value) {
  if (value === undefined)
    return undefined;
  const seconds = /^\s*(\d+)\s*$/.exec(value)?.[1];
  if (seconds !== undefined)
    return Number(seconds) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
let containerTransport;
/** One transport, and so one connection pool, for the life of the container. */
function sharedTransport() {
  containerTransport ??= new HttpTransport();
  return containerTransport;
}

/**
 * Connection-level failures worth another attempt: none of them means Twilio refused the
 * message, and each can heal within the seconds the sender has.
 */
const RETRYABLE_NETWORK_CODES = [
  'ECONNRESET', // often a keep-alive socket the far end closed
  'ECONNREFUSED', // nothing listening now (a proxy restarting)
  'ECONNABORTED', // axios (twilio's own client, in tests) gave up
  'ETIMEDOUT', // connect timeout, or AttemptTimeoutError
  'ESOCKETTIMEDOUT', // the same from older twilio's request library
  'EPIPE', // wrote to a socket the far end had closed
  'EAI_AGAIN', // DNS lookup failed temporarily
  'ENETUNREACH', // the route to Twilio is down for a moment
  'EHOSTUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
];
/** HTTP statuses that mean "not now" rather than "never", whatever the body says. */
const RETRYABLE_HTTP_STATUSES = [429, 500, 502, 503, 504];
/**
 * Twilio codes that come with a "retry" status but cannot heal within one login: 60203 is
 * answered with 429, yet Verify's limit lasts ten minutes.
 */
const NEVER_RETRIED_TWILIO_CODES = [60203];
/** Twilio's text is cut to this length before it goes into a message: enough for any real one. */
const MAX_TWILIO_TEXT_LENGTH = 200;
const TOO_MANY_ATTEMPTS = 'Too many codes were sent to this number. Wait a few minutes before asking for a new one.';
/** The Twilio codes tenants meet most, with what to change (the README's troubleshooting table is checked against it). */
const TWILIO_ERROR_ADVICE = new Map([
  [20003, {
      hint: 'Twilio did not accept the credentials: check TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET) against Twilio Console > Account > API keys & tokens; a rotated token, a revoked key or a key of another region fails this way.',
      friendly: FRIENDLY_MESSAGES.configuration,
    }],
  [20404, {
      hint: 'Twilio has no such resource: check that TWILIO_VERIFY_SID or TWILIO_MESSAGING_SERVICE_SID belongs to this account (and region).',
      friendly: FRIENDLY_MESSAGES.configuration,
    }],
  [21211, {
      hint: 'Twilio considers the recipient number invalid: the user must enroll a real, reachable number.',
      friendly: FRIENDLY_MESSAGES.recipient,
    }],
  [21212, {
      hint: 'The From number is invalid: set TWILIO_PHONE_NUMBER to a number of this Twilio account, in E.164.',
      friendly: FRIENDLY_MESSAGES.configuration,
    }],
  [21408, {
      hint: "The recipient's country is not enabled: turn it on in Twilio Console > Messaging (or Voice) > Settings > Geo permissions, if codes should go there.",
      friendly: FRIENDLY_MESSAGES.recipient,
    }],
  [21606, {
      hint: 'The From number cannot send SMS: use an SMS-capable number in TWILIO_PHONE_NUMBER, or a Messaging Service in TWILIO_MESSAGING_SERVICE_SID.',
      friendly: FRIENDLY_MESSAGES.configuration,
    }],
  [21608, {
      hint: 'A Twilio trial account can only send to verified numbers: verify this number in Twilio Console > Phone Numbers > Verified Caller IDs, or upgrade the account.',
      friendly: FRIENDLY_MESSAGES.recipient,
    }],
  [21610, {
      hint: 'The recipient replied STOP to this sender and is unsubscribed; they must text START to it to receive codes again.',
      friendly: FRIENDLY_MESSAGES.recipient,
    }],
  [21614, {
      hint: 'The recipient number cannot receive SMS (a landline or not a mobile number); the user can choose a voice call or enroll a mobile number.',
      friendly: FRIENDLY_MESSAGES.recipient,
    }],
  [60200, {
      hint: "Verify rejected a parameter: check the recipient number and that the Verify service's code length matches Auth0's code.",
      friendly: FRIENDLY_MESSAGES.configuration,
    }],
  [60203, {
      hint: 'Verify reached its limit of send attempts to this number (5 in 10 minutes); the user has to wait.',
      friendly: TOO_MANY_ATTEMPTS,
    }],
  [60204, {
      hint: 'This Verify service does not accept custom codes: turn on Enable Custom Verification Code (Twilio Console > Verify > Services > your service > General), or remove TWILIO_VERIFY_SID to send through Programmable Messaging.',
      friendly: FRIENDLY_MESSAGES.configuration,
    }],
  [60410, {
      hint: "Verify's Fraud Guard blocked this number's prefix for suspected SMS pumping: review Twilio Console > Verify > Fraud Guard.",
      friendly: FRIENDLY_MESSAGES.recipient,
    }],
]);
const TRANSIENT_HINT = 'This can heal: a later attempt may succeed (the user asking for a new code, or Auth0 retrying a Custom Phone Provider notification).';
/** `1 attempt`, `3 attempts`. */
function attemptsText(attempts) {
  return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}
const isTwilioCode = (code) => typeof code === 'number' && Number.isInteger(code) && code >= 10_000 && code <= 99_999;
const isHttpStatus = (status) => typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599;
const NO_TWILIO_CODE_HINT = 'No Twilio error code came with it, so something other than Twilio probably answered: a proxy or gateway on the way (HTTP 407: a proxy that wants credentials), or a host of TWILIO_REGION and TWILIO_EDGE that does not serve this API.';
/** What answered instead of Twilio's JSON, by the kind of body the transport saw. */
const GATEWAY_BODIES = new Map([
  ['html', 'an HTML page instead of JSON (a gateway or load balancer in front of Twilio)'],
  ['text', 'plain text instead of JSON (a gateway or load balancer in front of Twilio)'],
  ['empty', 'an empty body'],
]);
/**
 * Turns whatever an attempt threw into a verdict. Only whitelisted fields are read: the library's
 * errors carry the request, Authorization header included. Twilio's text is scrubbed before it is
 * cut, so a cut never leaves half a secret or number.
 */
function classify(error, scrubber) {
  if (error instanceof PhoneMessageError) {
    // The sender's own verdict, already written (the deadline passed): reported as it is.
    const twilioCode = error instanceof TwilioDeliveryError ? error.twilioCode : undefined;
    return { retryable: false, transient: error.transient, retryAfterMs: undefined, twilioCode, mayHaveSent: false, toError: () => error };
  }
  const thrown = typeof error === 'object' && error !== null ? error : {};
  const { status, code } = thrown;
  if (error instanceof UnreadAcceptanceError) {
    const late = error.reason instanceof AttemptTimeoutError || error.reason instanceof DeadlineExceededError;
    const reason = error.reason instanceof SyntaxError ? 'its body is not JSON' : late ? 'its body did not come in time' : 'its body could not be read';
    return fixedVerdict(false, (attempts) => `Twilio accepted the request (HTTP ${error.status}) but ${reason} after ${attempts}; the message may have been sent. Check the Twilio Console logs.`, FRIENDLY_MESSAGES.tryAgain, true);
  }
  if (error instanceof OversizedAnswerError) {
    const accepted = error.status >= 200 && error.status < 300;
    return fixedVerdict(!accepted && RETRYABLE_HTTP_STATUSES.includes(error.status), (attempts) => `Twilio answered HTTP ${error.status} with a body larger than any of Twilio's after ${attempts}` +
      (accepted ? '; the message may have been sent. Check the Twilio Console logs.' : '.'), FRIENDLY_MESSAGES.tryAgain, accepted);
  }
  if (isHttpStatus(status)) {
    const twilioCode = isTwilioCode(code) ? code : undefined;
    const retryable = RETRYABLE_HTTP_STATUSES.includes(status) && !(twilioCode !== undefined && NEVER_RETRIED_TWILIO_CODES.includes(twilioCode));
    const advice = twilioCode === undefined ? undefined : TWILIO_ERROR_ADVICE.get(twilioCode);
    const twilioText = typeof thrown.message === 'string' ? truncate(scrubber.clean(thrown.message).trim(), MAX_TWILIO_TEXT_LENGTH).replace(/[.\s]+$/, '') : '';
    const body = GATEWAY_BODIES.get(thrown.body);
    const label = twilioCode === undefined ? `HTTP ${status}` : `error ${twilioCode} (HTTP ${status})`;
    const what = body !== undefined ? ` with ${body}` : '';
    const busy = status === 429 ? 'Too many requests at once: Twilio, or a gateway in front of it, is limiting their rate.' : 'Twilio is overloaded or unavailable.';
    const hint = advice?.hint ?? (retryable ? `${busy} ${TRANSIENT_HINT}` : twilioCode === undefined ? NO_TWILIO_CODE_HINT : 'See the Twilio error reference for this code.');
    const reference = twilioCode === undefined ? '' : ` More: https://www.twilio.com/docs/errors/${twilioCode}`;
    const retryAfterMs = typeof thrown.retryAfterMs === 'number' && thrown.retryAfterMs >= 0 ? thrown.retryAfterMs : undefined;
    return {
      retryable,
      transient: retryable,
      retryAfterMs,
      twilioCode,
      mayHaveSent: false,
      toError: (attempts) => new TwilioDeliveryError({
        message: `Twilio answered ${label}${what} after ${attemptsText(attempts)}${twilioText === '' ? '' : `: ${twilioText}`}. ${hint}${reference}`,
        friendlyMessage: advice?.friendly ?? (retryable ? FRIENDLY_MESSAGES.tryAgain : FRIENDLY_MESSAGES.configuration),
        transient: retryable,
        twilioCode,
        httpStatus: status,
      }),
    };
  }
  if (error instanceof AttemptTimeoutError) {
    return fixedVerdict(true, (attempts) => `Twilio did not answer within ${error.timeoutMs} ms (${attempts}); the connection was closed. ${TRANSIENT_HINT}`);
  }
  if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.includes(code)) {
    return fixedVerdict(true, (attempts) => `Could not reach Twilio (${code}) after ${attempts}. Check the status of Twilio's API. ${TRANSIENT_HINT}`);
  }
  if (code === 'ENOTFOUND') {
    // Not retried: a name that does not resolve will not within a second. Transient: DNS comes back.
    return {
      retryable: false,
      transient: true,
      retryAfterMs: undefined,
      twilioCode: undefined,
      mayHaveSent: false,
      toError: (attempts) => new TwilioDeliveryError({
        message: `Could not resolve Twilio's host name (ENOTFOUND) after ${attemptsText(attempts)}: the runtime has no DNS or no route to Twilio, or TWILIO_REGION and TWILIO_EDGE name a host that does not exist.`,
        friendlyMessage: FRIENDLY_MESSAGES.tryAgain,
        transient: true,
      }),
    };
  }
  if (error instanceof SyntaxError) {
    // An unreadable success: Twilio probably accepted it; another attempt could send a second code.
    return fixedVerdict(false, (attempts) => `Twilio answered with a body that is not JSON after ${attempts}; the message may have been sent. Check the Twilio Console logs.`, FRIENDLY_MESSAGES.tryAgain, true);
  }
  const name = kindOf(error);
  const detail = typeof code === 'string' ? ` (${code})` : '';
  const text = typeof thrown.message === 'string' ? truncate(scrubber.clean(thrown.message).trim(), MAX_TWILIO_TEXT_LENGTH) : '';
  return fixedVerdict(false, (attempts) => `The twilio library failed with ${name}${detail} after ${attempts}${text === '' ? '' : `: ${text}`}.`);
}
/** A verdict whose error is transient exactly when it is retryable. */
function fixedVerdict(retryable, describe, friendlyMessage = retryable ? FRIENDLY_MESSAGES.tryAgain : FRIENDLY_MESSAGES.configuration, mayHaveSent = false) {
  return {
    retryable,
    transient: retryable,
    retryAfterMs: undefined,
    twilioCode: undefined,
    mayHaveSent,
    toError: (attempts) => new TwilioDeliveryError({ message: describe(attemptsText(attempts)), friendlyMessage, transient: retryable }),
  };
}

/** Loaded only when a secret lists countries, so tenants who list none need not declare it. */
const PHONE_NUMBER_MODULE = 'libphonenumber-js';
/** What stands for "every country" in WHATSAPP_COUNTRIES. */
const EVERY_COUNTRY = '*';
function countryName(code) {
  const name = new Intl.DisplayNames(['en'], { type: 'region' }).of(code);
  return name === undefined || name === code ? code : `${code}, ${name}`;
}
/** `US, ca ,GB` → {US, CA, GB}, each an ISO 3166-1 alpha-2 code that libphonenumber-js knows. */
function readCountries(text, secretName, library, unsetMeans) {
  const codes = text.split(',').map((part) => part.trim().toUpperCase()).filter((part) => part !== '');
  const unknown = codes.filter((code) => !/^[A-Z]{2}$/.test(code) || !library.isSupportedCountry(code));
  if (codes.length === 0 || unknown.length > 0) {
    const what = codes.length === 0 ? 'lists no country' : `has ${unknown.length === 1 ? 'an entry' : 'entries'} that ${unknown.length === 1 ? 'is not a country code' : 'are not country codes'} with phone numbers (${unknown.slice(0, 5).join(', ')})`;
    throw new ConfigurationError(`${secretName} ${what}: write ISO 3166-1 alpha-2 codes separated by commas, such as "US,CA,GB", or remove the secret ${unsetMeans}.`);
  }
  return new Set(codes);
}
/** ALLOWED_COUNTRIES: a recipient of any other country is refused before any request. */
function parseAllowedCountries(text, secretName, load) {
  const library = phoneNumberLibrary(load, secretName);
  const countries = readCountries(text, secretName, library, 'to allow every country');
  const countryOf = (number) => library.parsePhoneNumberFromString(number)?.country;
  return {
    countries,
    includes: (number) => countries.has(countryOf(number) ?? ''),
    check(number) {
      const country = countryOf(number);
      if (country !== undefined && countries.has(country))
        return;
      const allowed = [...countries].join(',');
      throw new InvalidRecipientError(country === undefined
        ? `The recipient phone number (${maskPhoneNumber(number)}) belongs to no country that ${PHONE_NUMBER_MODULE} knows, so ${secretName} (${allowed}) cannot allow it; nothing was sent.`
        : `The recipient phone number (${maskPhoneNumber(number)}) belongs to ${countryName(country)}, which ${secretName} (${allowed}) does not list; nothing was sent. Add ${country} to ${secretName} if codes should go there.`);
    },
  };
}
/** WHATSAPP_COUNTRIES: `BR,IN,MX`, or `*` for every country (which needs no library). */
function parseCountryList(text, secretName, load) {
  if (text.trim() === EVERY_COUNTRY)
    return { countries: new Set(), includes: () => true };
  const library = phoneNumberLibrary(load, secretName);
  const countries = readCountries(text, secretName, library, `(or write ${EVERY_COUNTRY} for every country)`);
  return { countries, includes: (number) => countries.has(library.parsePhoneNumberFromString(number)?.country ?? '') };
}
function phoneNumberLibrary(load, secretName) {
  let library;
  try {
    library = load();
  }
  catch {
    library = undefined;
  }
  const candidate = library;
  if (typeof candidate?.parsePhoneNumberFromString !== 'function' || typeof candidate.isSupportedCountry !== 'function') {
    throw new ConfigurationError(`${secretName} needs the npm module "${PHONE_NUMBER_MODULE}": declare it as a dependency beside twilio (Action > Dependencies, or Hooks editor > Settings > NPM Modules), or remove ${secretName}.`);
  }
  return candidate;
}

/** Messaging and Voice are served from all three; Verify from `us1` (the default) only. */
const TWILIO_REGIONS = ['us1', 'ie1', 'au1'];
const DEFAULT_REGION = 'us1';
/** Twilio's public edge locations, where a connection enters Twilio's network. */
const TWILIO_EDGES = ['ashburn', 'dublin', 'frankfurt', 'sao-paulo', 'singapore', 'sydney', 'tokyo', 'umatilla'];
/** `a, b or c`: a format that is one of a few words. */
const oneOf = (choices) => `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`;
/**
 * Every secret the sender reads, with its format: the one list. The README's secrets table,
 * `.env.example`, the banners and the deploy tool derive from it or are tested against it.
 */
const SECRETS = {
  accountSid: { name: 'TWILIO_ACCOUNT_SID', format: 'AC followed by 32 hex digits' },
  authToken: { name: 'TWILIO_AUTH_TOKEN', format: 'no whitespace', confidential: true },
  apiKey: { name: 'TWILIO_API_KEY', format: 'SK followed by 32 hex digits' },
  apiSecret: { name: 'TWILIO_API_SECRET', format: 'no whitespace', confidential: true },
  phoneNumber: { name: 'TWILIO_PHONE_NUMBER', format: 'E.164, such as +15005550006' },
  messagingServiceSid: { name: 'TWILIO_MESSAGING_SERVICE_SID', format: 'MG followed by 32 hex digits' },
  verifyServiceSid: { name: 'TWILIO_VERIFY_SID', format: 'VA followed by 32 hex digits' },
  voice: { name: 'TWILIO_VOICE', format: 'a Twilio <Say> voice name, such as Polly.Joanna' },
  region: { name: 'TWILIO_REGION', format: oneOf(TWILIO_REGIONS) },
  edge: { name: 'TWILIO_EDGE', format: oneOf(TWILIO_EDGES) },
  allowedCountries: { name: 'ALLOWED_COUNTRIES', format: 'ISO 3166-1 alpha-2 codes separated by commas, such as US,CA,GB' },
  whatsappCountries: { name: 'WHATSAPP_COUNTRIES', format: `ISO 3166-1 alpha-2 codes separated by commas, such as BR,IN,MX, or ${EVERY_COUNTRY} for every country` },
  whatsappFrom: { name: 'TWILIO_WHATSAPP_FROM', format: 'E.164, such as +15005550006 (whatsapp:+15005550006 accepted)' },
  whatsappContentSid: { name: 'TWILIO_WHATSAPP_CONTENT_SID', format: 'HX followed by 32 hex digits' },
};
/** `SECRET_NAMES.accountSid` is `TWILIO_ACCOUNT_SID`. */
const SECRET_NAMES = Object.fromEntries(Object.entries(SECRETS).map(([key, secret]) => [key, secret.name]));
/** Every secret name, in the order of `SECRETS`. */
Object.values(SECRETS).map((secret) => secret.name);
/** Scrubbed from every text that leaves. */
const CONFIDENTIAL_SECRETS = Object.values(SECRETS)
  .filter((secret) => 'confidential' in secret)
  .map((secret) => secret.name);
/**
 * A region's edge when TWILIO_EDGE is not set: Twilio retired `api.{region}.twilio.com` (us1
 * answers it since 2026-04-28), so other regions are reached as `api.{edge}.{region}.twilio.com`.
 */
const HOME_EDGES = { us1: undefined, ie1: 'dublin', au1: 'sydney' };
/**
 * The host twilio 3 to 6 addresses (its `getHostname`): `api.twilio.com`, `verify.twilio.com`,
 * `api.dublin.ie1.twilio.com`; an edge without a region is in us1.
 */
function twilioHost(product, region, edge) {
  const hostRegion = region ?? (edge === undefined ? undefined : DEFAULT_REGION);
  return [product, edge, hostRegion, 'twilio.com'].filter((part) => part !== undefined).join('.');
}
const isSid = (prefix, value) => new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(value);
/** Twilio's voice names: `man`, `alice`, `Polly.Joanna-Neural`, `Google.en-US-Standard-C`. */
const VOICE_NAME = /^\p{L}[\p{L}\p{N}._-]{0,63}$/u;
/**
 * Reads the secrets, trimming the whitespace a copy from the Twilio console tends to add; an empty
 * optional secret is unset. Throws a `ConfigurationError` naming the secret and the fix, never its
 * value. `loadPhoneNumberLibrary` is called only when a secret lists countries.
 */
function readConfig(secrets, loadPhoneNumberLibrary) {
  const source = typeof secrets === 'object' && secrets !== null ? secrets : {};
  const region = optionalChoice(source, SECRET_NAMES.region, TWILIO_REGIONS);
  const verifyServiceSid = optionalSid(source, SECRET_NAMES.verifyServiceSid, 'VA', 'Verify > Services');
  if (verifyServiceSid !== undefined && region !== undefined && region !== DEFAULT_REGION) {
    throw new ConfigurationError(`${SECRET_NAMES.verifyServiceSid} cannot be used with ${SECRET_NAMES.region}=${region}: Twilio Verify is served from us1 only. ` +
      `Remove ${SECRET_NAMES.verifyServiceSid} to send through Programmable Messaging and Voice in ${region}, or remove ${SECRET_NAMES.region}.`);
  }
  const allowedCountries = secretText(source, SECRET_NAMES.allowedCountries);
  const edge = optionalChoice(source, SECRET_NAMES.edge, TWILIO_EDGES) ?? (region === undefined ? undefined : HOME_EDGES[region]);
  const credentials = readCredentials(source);
  const messagingServiceSid = optionalSid(source, SECRET_NAMES.messagingServiceSid, 'MG', 'Messaging > Services');
  return {
    credentials,
    phoneNumber: optionalPhoneNumber(source, SECRET_NAMES.phoneNumber),
    messagingServiceSid,
    verifyServiceSid,
    voice: optionalVoice(source),
    region,
    edge,
    allowedCountries: allowedCountries === undefined ? undefined : parseAllowedCountries(allowedCountries, SECRET_NAMES.allowedCountries, loadPhoneNumberLibrary),
    whatsapp: readWhatsApp(source, { verifyServiceSid, messagingServiceSid }, loadPhoneNumberLibrary),
  };
}
/**
 * WHATSAPP_COUNTRIES turns WhatsApp on; its route's needs are checked here, not at a user's login.
 * The WhatsApp secrets without it are checked for shape too (a typo now is a typo later).
 */
function readWhatsApp(source, services, loadPhoneNumberLibrary) {
  const listed = secretText(source, SECRET_NAMES.whatsappCountries);
  const from = optionalWhatsAppNumber(source);
  const contentSid = optionalSid(source, SECRET_NAMES.whatsappContentSid, 'HX', 'Messaging > Content Template Builder');
  if (listed === undefined)
    return undefined;
  const countries = parseCountryList(listed, SECRET_NAMES.whatsappCountries, loadPhoneNumberLibrary);
  if (services.verifyServiceSid !== undefined)
    return { countries, route: { kind: 'verify' } };
  if (contentSid === undefined) {
    throw new ConfigurationError(`${SECRET_NAMES.whatsappCountries} is set but ${SECRET_NAMES.whatsappContentSid} is not: a WhatsApp code must use your approved ` +
      `authentication template (Messaging > Content Template Builder, "HX…", with the code as variable 1). Set it, send through ` +
      `Verify with ${SECRET_NAMES.verifyServiceSid}, or remove ${SECRET_NAMES.whatsappCountries}.`);
  }
  const sender = from !== undefined ? { from } : services.messagingServiceSid !== undefined ? { messagingServiceSid: services.messagingServiceSid } : undefined;
  if (sender === undefined) {
    throw new ConfigurationError(`${SECRET_NAMES.whatsappCountries} is set but no WhatsApp sender is: set ${SECRET_NAMES.whatsappFrom} to your WhatsApp ` +
      `sender's number, or ${SECRET_NAMES.messagingServiceSid} to a Messaging Service whose sender pool holds it.`);
  }
  return { countries, route: { kind: 'messaging', sender, contentSid } };
}
/** `whatsapp:+15005550006` too, as Twilio's Console shows a WhatsApp sender. */
function optionalWhatsAppNumber(source) {
  const value = secretText(source, SECRET_NAMES.whatsappFrom);
  return value === undefined ? undefined : phoneNumberSecret(value.replace(/^whatsapp:/i, ''), SECRET_NAMES.whatsappFrom);
}
/**
 * An API key wins over the auth token: Twilio recommends keys (revocable one by one), and a
 * tenant moving to one may leave the old token in place.
 */
function readCredentials(source) {
  const accountSid = requiredSecret(source, SECRET_NAMES.accountSid);
  if (!isSid('AC', accountSid)) {
    throw new ConfigurationError(`${SECRET_NAMES.accountSid} is malformed: it must be "AC" followed by 32 hex digits, as shown in the Twilio Console under Account Info.`);
  }
  const apiKey = secretText(source, SECRET_NAMES.apiKey);
  const apiSecret = secretText(source, SECRET_NAMES.apiSecret);
  if (apiKey !== undefined || apiSecret !== undefined) {
    if (apiKey === undefined) {
      throw new ConfigurationError(`${SECRET_NAMES.apiSecret} is set but ${SECRET_NAMES.apiKey} is not: add the API key's SID ("SK…") as ${SECRET_NAMES.apiKey}, or remove ${SECRET_NAMES.apiSecret} to use ${SECRET_NAMES.authToken}.`);
    }
    if (!isSid('SK', apiKey)) {
      throw new ConfigurationError(`${SECRET_NAMES.apiKey} is malformed: it must be the API key's SID, "SK" followed by 32 hex digits (Twilio Console > Account > API keys & tokens).`);
    }
    if (apiSecret === undefined) {
      throw new ConfigurationError(`${SECRET_NAMES.apiKey} is set but ${SECRET_NAMES.apiSecret} is not: add the secret Twilio showed once when the key was created (or create a new key).`);
    }
    return { kind: 'api-key', username: apiKey, password: withoutWhitespace(apiSecret, SECRET_NAMES.apiSecret), accountSid };
  }
  const authToken = secretText(source, SECRET_NAMES.authToken);
  if (authToken === undefined) {
    throw new ConfigurationError(`${SECRET_NAMES.authToken} is not set. Add it (or ${SECRET_NAMES.apiKey} and ${SECRET_NAMES.apiSecret}) to the secrets of the hook or action.`);
  }
  return { kind: 'auth-token', username: accountSid, password: withoutWhitespace(authToken, SECRET_NAMES.authToken), accountSid };
}
function withoutWhitespace(value, name) {
  if (/\s/.test(value)) {
    throw new ConfigurationError(`${name} is malformed: it contains whitespace. Copy it again from the Twilio Console.`);
  }
  return value;
}
function secretText(source, name) {
  const value = source[name];
  if (value === undefined || value === null)
    return undefined;
  if (typeof value !== 'string') {
    throw new ConfigurationError(`${name} must be a string; set it as a secret of the hook or action.`);
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}
function requiredSecret(source, name) {
  const value = secretText(source, name);
  if (value === undefined) {
    throw new ConfigurationError(`${name} is not set. Add it to the secrets of the hook or action.`);
  }
  return value;
}
function optionalSid(source, name, prefix, consolePlace) {
  const value = secretText(source, name);
  if (value !== undefined && !isSid(prefix, value)) {
    throw new ConfigurationError(`${name} is malformed: it must be "${prefix}" followed by 32 hex digits, as shown in the Twilio Console under ${consolePlace}. Remove the secret if you do not use it.`);
  }
  return value;
}
function optionalChoice(source, name, choices) {
  const value = secretText(source, name)?.toLowerCase();
  if (value === undefined)
    return undefined;
  const choice = choices.find((known) => known === value);
  if (choice === undefined) {
    throw new ConfigurationError(`${name} is not a Twilio ${name === SECRET_NAMES.region ? 'region' : 'edge'} this sender knows: use one of ${choices.join(', ')}, or remove the secret.`);
  }
  return choice;
}
function optionalPhoneNumber(source, name) {
  const value = secretText(source, name);
  return value === undefined ? undefined : phoneNumberSecret(value, name);
}
function phoneNumberSecret(value, name) {
  try {
    return parsePhoneNumber(value, name);
  }
  catch (error) {
    if (error instanceof InvalidRecipientError)
      throw new ConfigurationError(error.message);
    throw error;
  }
}
function optionalVoice(source) {
  const value = secretText(source, SECRET_NAMES.voice);
  if (value !== undefined && !VOICE_NAME.test(value)) {
    throw new ConfigurationError(`${SECRET_NAMES.voice} is malformed: use a Twilio voice name such as "Polly.Joanna" or "alice", or remove the secret.`);
  }
  return value;
}

/** One deadline for a whole send, every attempt and wait included. */
class Deadline {
  budgetMs;
  now;
  expiresAt;
  constructor(budgetMs, now = Date.now) {
    this.budgetMs = budgetMs;
    this.now = now;
    this.expiresAt = now() + budgetMs;
  }
  /** `ms` before this one (or now): what a step may use while keeping `ms` for the next. */
  leaving(ms) {
    return new Deadline(Math.max(0, this.remainingMs() - ms), this.now);
  }
  /** A deadline at most `ms` from now, and never past this one. */
  capped(ms) {
    return new Deadline(Math.min(ms, this.remainingMs()), this.now);
  }
  remainingMs() {
    return Math.max(0, this.expiresAt - this.now());
  }
  elapsedMs() {
    return this.budgetMs - (this.expiresAt - this.now());
  }
  /** Settles with `work`, or `onExpiry()` first; the timer is cleared so a finished send frees the container. */
  race(work, onExpiry) {
    // A late rejection of `work` after the deadline must not surface as an unhandled rejection.
    work.catch(() => undefined);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(onExpiry()), this.remainingMs());
      work.then((value) => {
        clearTimeout(timer);
        resolve(value);
      }, (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }
  /** Waits `ms`, but never past the deadline. */
  sleep(ms) {
    const wait = Math.min(ms, this.remainingMs());
    return new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** The first read waits this long after the create, and each next one as long again. */
const STATUS_POLL_INTERVAL_MS = 400;
/**
 * How long a WhatsApp message's status is watched. Twilio reports WhatsApp's refusals (63003,
 * 63016, 63024) within a second or two; a message still `queued` or `sent` then is slow, not failed.
 */
const CONFIRM_WINDOW_MS = 3_000;
/** A read is only worth starting with this much of the window left. */
const MIN_READ_TIME_MS = 200;
/** Statuses after which Twilio will not deliver the message. */
const FAILED_STATUSES = new Set(['failed', 'undelivered', 'canceled']);
/** Statuses that say the user has it. */
const DELIVERED_STATUSES = new Set(['delivered', 'read']);
/** What one status read tells, when it tells anything. */
function statusOutcome(resource) {
  const { status, errorCode } = resource;
  if (DELIVERED_STATUSES.has(status))
    return { outcome: 'delivered' };
  if (FAILED_STATUSES.has(status)) {
    const code = typeof errorCode === 'number' ? errorCode : typeof errorCode === 'string' && /^\d{5}$/.test(errorCode) ? Number(errorCode) : undefined;
    return { outcome: 'failed', status: String(status), twilioCode: code };
  }
  return undefined;
}
/**
 * Reads the status until it is final or `window` ends. A failed read (a timeout, a 5xx) tells
 * nothing: only a status Twilio reported makes a failure.
 */
async function confirmDelivery(read, window) {
  for (;;) {
    await window.sleep(STATUS_POLL_INTERVAL_MS);
    if (window.remainingMs() < MIN_READ_TIME_MS)
      return { outcome: 'pending' };
    try {
      const outcome = statusOutcome(await read(window));
      if (outcome !== undefined)
        return outcome;
    }
    catch {
      // Nothing learnt; the next read may answer.
    }
  }
}

/** Twilio codes after which SMS cannot do better than WhatsApp did, so no fallback is tried. */
const NO_FALLBACK_TWILIO_CODES = [
  20003, // authentication: SMS uses the same credentials
  21211, // Messaging: not a valid phone number
  60200, // Verify: the number is invalid
  60203, // Verify: too many codes to this number (10 minutes)
];
/** Why WhatsApp did not carry a code, by Twilio's code at the create or in the status read back. */
const WHATSAPP_FAILURES = new Map([
  [63003, 'not on WhatsApp'],
  [63007, 'no WhatsApp sender for TWILIO_WHATSAPP_FROM or the Messaging Service'],
  [63016, 'WhatsApp wants an approved template (TWILIO_WHATSAPP_CONTENT_SID)'],
  [63024, 'not a valid WhatsApp recipient'],
  [21656, "the template's variables were refused (TWILIO_WHATSAPP_CONTENT_SID must take the code as variable 1)"],
  [60223, 'WhatsApp is turned off on the Verify service'],
  [68008, 'WhatsApp is not set up on the Verify service'],
]);
/** The reason SMS carries the code, from the Twilio code of WhatsApp's failure when there is one. */
function whatsappFailureReason(twilioCode, status) {
  if (twilioCode === undefined)
    return status === undefined ? 'WhatsApp failed' : `WhatsApp reported the message ${status}`;
  return `${WHATSAPP_FAILURES.get(twilioCode) ?? `WhatsApp failed`} (${twilioCode})`;
}
/**
 * Codes that belong to the number, not the account's setup: only after these are its next codes
 * sent by SMS at once. After a setup error or an outage WhatsApp is tried again, so a fix works at once.
 */
const NUMBER_FAILURE_CODES = [
  63003, // the number is not on WhatsApp
  63024, // not a valid WhatsApp recipient
];
/** Whether WhatsApp's failure says something of the number (a failed status without a code does too). */
function isNumberFailure(twilioCode, seenInStatus) {
  return twilioCode === undefined ? seenInStatus : NUMBER_FAILURE_CODES.includes(twilioCode);
}
/**
 * Whether a failed route (retries spent) leaves the next worth trying, and why: yes, unless SMS
 * would meet the same failure, or the WhatsApp message may be out (an SMS would be a second code).
 */
function fallbackAfter(verdict) {
  const { twilioCode } = verdict;
  if (verdict.mayHaveSent)
    return undefined;
  if (twilioCode !== undefined && NO_FALLBACK_TWILIO_CODES.includes(twilioCode))
    return undefined;
  if (twilioCode !== undefined)
    return { reason: whatsappFailureReason(twilioCode) };
  return { reason: verdict.transient ? 'no answer from Twilio in time for WhatsApp' : 'WhatsApp failed' };
}

/** The ceiling of the first wait; with equal jitter the first wait is 125 to 250 ms. */
const INITIAL_RETRY_DELAY_MS = 250;
/** No backoff wait is longer than this, whatever the attempt number (a `Retry-After` may be). */
const MAX_RETRY_DELAY_MS = 2_000;
/** Attempts in all, the first included. */
const MAX_ATTEMPTS = 4;
/** Another attempt is only worth starting with at least this much time left. */
const MIN_ATTEMPT_TIME_MS = 1_000;
/** The last failure, untouched, with its advice and attempt count: the caller need not judge it again. */
class RetryExhaustedError extends Error {
  lastError;
  advice;
  attempts;
  name = 'RetryExhaustedError';
  constructor(lastError, advice, attempts) {
    super(`gave up after ${attempts === 1 ? '1 attempt' : `${attempts} attempts`}`);
    this.lastError = lastError;
    this.advice = advice;
    this.attempts = attempts;
  }
}
/** The wait before attempt `attempt + 1`: exponential with equal jitter (half fixed, half random), capped. */
function retryDelayMs(attempt, random) {
  const ceiling = Math.min(MAX_RETRY_DELAY_MS, INITIAL_RETRY_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
/**
 * Runs `attempt` until it succeeds, fails for good, or no attempt or time is left. A `Retry-After`
 * is waited only if an attempt still fits after it; otherwise the failure is reported at once.
 */
async function retry(attempt, options) {
  const random = options.random ?? Math.random;
  for (let attemptNumber = 1;; attemptNumber++) {
    try {
      return { value: await attempt(attemptNumber), attempts: attemptNumber };
    }
    catch (error) {
      const advice = options.advise(error);
      const delay = Math.max(retryDelayMs(attemptNumber, random), advice.retryAfterMs ?? 0);
      const timeLeftAfterWait = options.deadline.remainingMs() - delay;
      if (attemptNumber >= MAX_ATTEMPTS || !advice.retryable || timeLeftAfterWait < MIN_ATTEMPT_TIME_MS) {
        throw new RetryExhaustedError(error, advice, attemptNumber);
      }
      await options.deadline.sleep(delay);
    }
  }
}

/** Kept for a fallback: one whole attempt. WhatsApp (retries, status watch) has the rest. */
const FALLBACK_RESERVE_MS = ATTEMPT_TIMEOUT_MS;
/** Reading the status of the last WhatsApp code, before the next is sent, may take this long. */
const LAST_STATUS_READ_MS = 2_000;
/**
 * Tries the routes in order, each within its share of the deadline (a route with a fallback keeps
 * `FALLBACK_RESERVE_MS` for it). A route that reports failure late (WhatsApp) counts once its
 * status, read back, did not fail. Rejects with a `RetryExhaustedError` when nothing may follow.
 */
async function deliverAlong(routes, context, progress) {
  const { call, deadline, memory, to } = context;
  for (const [index, route] of routes.entries()) {
    const hasFallback = index < routes.length - 1;
    const within = hasFallback ? deadline.leaving(FALLBACK_RESERVE_MS) : deadline;
    let created;
    try {
      const result = await retry((attemptNumber) => call(route.send, within, attemptNumber), { ...context.retry, deadline: within });
      progress.attempts += result.attempts;
      created = result.value;
    }
    catch (caught) {
      if (!(caught instanceof RetryExhaustedError))
        throw caught;
      progress.attempts += caught.attempts;
      const verdict = caught.advice;
      const fallback = hasFallback ? fallbackAfter(verdict) : undefined;
      if (fallback === undefined)
        throw caught;
      if (isNumberFailure(verdict.twilioCode, false))
        memory.remember(to, { kind: 'undeliverable', twilioCode: verdict.twilioCode });
      progress.fallbackReason = fallback.reason;
      continue;
    }
    const sid = context.echoedSid(created.sid);
    if (route.confirm && sid !== undefined) {
      const confirmation = await confirmDelivery((window) => call((client) => client.messages(sid).fetch(), window, 1), within.capped(CONFIRM_WINDOW_MS));
      if (confirmation.outcome === 'failed' && hasFallback) {
        if (isNumberFailure(confirmation.twilioCode, true))
          memory.remember(to, { kind: 'undeliverable', twilioCode: confirmation.twilioCode });
        else
          memory.forget(to);
        progress.fallbackReason = whatsappFailureReason(confirmation.twilioCode, confirmation.status);
        continue;
      }
      // Delivered numbers are forgotten; a message still on its way is read back next time.
      if (confirmation.outcome === 'pending')
        memory.remember(to, { kind: 'pending', sid });
      else
        memory.forget(to);
    }
    return { route, sid };
  }
  throw new Error('no route left'); // unreachable: the last route returns or throws
}
/**
 * Why not to try WhatsApp for this number now: it failed before, or the last code sent there,
 * read back now, failed or never arrived. Undefined: try WhatsApp.
 */
async function earlierWhatsAppFailure(context) {
  const { memory, to } = context;
  const known = memory.recall(to);
  if (known === undefined)
    return undefined;
  if (known.kind === 'undeliverable')
    return `earlier: ${whatsappFailureReason(known.twilioCode)}`;
  let last;
  try {
    const read = await context.call((client) => client.messages(known.sid).fetch(), context.deadline.capped(LAST_STATUS_READ_MS), 1);
    last = statusOutcome(read);
  }
  catch {
    last = undefined;
  }
  if (last?.outcome === 'delivered') {
    memory.forget(to);
    return undefined;
  }
  const twilioCode = last?.outcome === 'failed' ? last.twilioCode : undefined;
  // A code that never arrived says something of the number; a failure of the account's setup does not.
  if (last?.outcome === 'failed' && !isNumberFailure(twilioCode, true))
    memory.forget(to);
  else
    memory.remember(to, { kind: 'undeliverable', twilioCode });
  return last?.outcome === 'failed' ? `earlier: ${whatsappFailureReason(twilioCode, last.status)}` : 'the last code sent on WhatsApp was not delivered';
}

/** Purposes whose message carries a one-time code (and so may go through Verify). */
const CODE_PURPOSES = new Set(['enrollment', 'verification']);
const optionalText = (value) => (typeof value === 'string' && value !== '' ? value : undefined);
/** Auth0's `from`: a bad one is a mistake of the tenant's setup, not the user's number, and reported as one. */
function senderNumber(from) {
  try {
    return parsePhoneNumber(from, 'The sender phone number Auth0 passed as notification.from');
  }
  catch (error) {
    if (!(error instanceof InvalidRecipientError))
      throw error;
    throw new ConfigurationError(`${error.message} Set the From number of the phone provider in Auth0 (Branding > Phone Provider) to a Twilio number in E.164, ` +
      "or clear it to send from TWILIO_PHONE_NUMBER; an alphanumeric sender goes in a Messaging Service's sender pool (TWILIO_MESSAGING_SERVICE_SID).");
  }
}
/** Auth0's correlation IDs are short tokens; anything else is not one, and is not logged. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** Auth0's `transaction.correlation_id`, when the value is one. */
function correlationIdOf(value) {
  return typeof value === 'string' && CORRELATION_ID.test(value) ? value : undefined;
}
/**
 * The one boundary between Auth0's input and the sender: everything after it relies on the
 * types. Throws naming the wrong value, before anything is sent.
 */
function parseMessage(input, allowlist) {
  const { channel, text } = input;
  if (channel !== 'sms' && channel !== 'voice') {
    throw new InvalidRequestError('The message type must be "sms" or "voice" (a text message or a call).');
  }
  if (typeof text !== 'string')
    throw new InvalidRequestError('The message text from Auth0 is not a string.');
  const to = parsePhoneNumber(input.recipient);
  allowlist?.check(to);
  const from = optionalText(input.from);
  const code = optionalText(input.code);
  return {
    to,
    channel,
    text,
    code,
    oneTimeCode: input.purpose === undefined || CODE_PURPOSES.has(input.purpose) ? code : undefined,
    purpose: input.purpose,
    auth0: input.auth0,
    language: optionalText(input.language),
    from: from === undefined ? undefined : senderNumber(from),
    client: input.client,
    user: input.user,
    correlationId: correlationIdOf(input.correlationId),
  };
}

/** Auth0 keeps this much of a `console.log` line and drops the rest. */
const MAX_LOG_LINE_LENGTH = 256;
const PREFIX = 'twilio-phone-message:';
/** Before the input could be read (an event whose fields throw when read, say). */
const UNKNOWN_SUBJECT = { channel: 'message', maskedRecipient: 'an unknown recipient' };
/**
 * Before the message is parsed (a secret is missing, say), the raw input: only a channel the parse
 * would accept and a recipient that is text are named.
 */
function inputSubject(input) {
  return {
    channel: input.channel === 'sms' || input.channel === 'voice' ? input.channel : UNKNOWN_SUBJECT.channel,
    maskedRecipient: typeof input.recipient === 'string' ? maskPhoneNumber(input.recipient) : 'an invalid recipient',
    correlationId: correlationIdOf(input.correlationId),
  };
}
function messageSubject(message) {
  return { channel: message.channel, maskedRecipient: maskPhoneNumber(message.to), correlationId: message.correlationId };
}
const correlation = (correlationId) => (correlationId === undefined ? '' : ` cid=${correlationId}`);
/** The line logged when a message went out, essentials first. */
function deliveredLine(delivery, subject, scrubber) {
  const sid = delivery.sid ?? 'unknown';
  const fallback = delivery.fallbackReason === undefined ? '' : ` after whatsapp: ${delivery.fallbackReason}`;
  return finished(`${PREFIX} sent ${delivery.channel} to ${subject.maskedRecipient} via ${delivery.api} sid=${sid} attempts=${delivery.attempts} ms=${delivery.elapsedMs}${correlation(subject.correlationId)}${fallback}`, scrubber);
}
/**
 * Scrubbed whole, then cut: a cut first could leave part of a number too short to be recognized,
 * and a scrub after the cut could lengthen the line.
 */
const finished = (line, scrubber) => truncate(scrubber.clean(line), MAX_LOG_LINE_LENGTH);
/**
 * The line logged when a message did not go out, essentials first, then as much of the message as
 * fits: the whole message is in the error the entry answers with.
 */
function failedLine(subject, error, progress, scrubber) {
  const { attempts, elapsedMs, fallbackReason } = progress;
  const twilio = error instanceof TwilioDeliveryError ? error : undefined;
  const fields = [
    `${PREFIX} failed ${subject.channel} to ${subject.maskedRecipient}`,
    twilio?.twilioCode === undefined ? '' : ` code=${twilio.twilioCode}`,
    twilio?.httpStatus === undefined ? '' : ` http=${twilio.httpStatus}`,
    ` attempts=${attempts} ms=${elapsedMs} transient=${error.transient}`,
    correlation(subject.correlationId),
    fallbackReason === undefined ? '' : ` after whatsapp: ${fallbackReason};`,
    ` ${error.name}: ${error.message}`,
  ];
  return finished(fields.join(''), scrubber);
}

/**
 * Runs the adopter's customization and checks what it returns: a message that dropped the code
 * would lock the user out as surely as no message at all.
 */
function customizedText(context, customize) {
  let text;
  try {
    text = customize(context);
  }
  catch (error) {
    const name = kindOf(error);
    throw new InvalidRequestError(`customizeMessage() in src/customize.ts threw a ${name}; fix it and rebuild.`);
  }
  if (typeof text !== 'string' || text.trim() === '') {
    throw new InvalidRequestError('customizeMessage() in src/customize.ts must return a non-empty string.');
  }
  const code = context.code;
  if (code !== undefined && context.text.includes(code) && !text.includes(code)) {
    throw new InvalidRequestError('customizeMessage() in src/customize.ts returned a message without the one-time code; include message.code in it.');
  }
  return text;
}

/** Twilio's `ValidityPeriod`: Auth0's codes expire after 5 minutes; a later one only confuses the user. */
const CODE_VALIDITY_PERIOD_S = 300;
/** Twilio's address of a number on WhatsApp. */
const onWhatsApp = (number) => `whatsapp:${number}`;
/** An SMS through Programmable Messaging; a one-time code carries its validity period. */
function smsRoute(to, body, sender, oneTimeCode) {
  const params = { to, body, ...sender, ...(oneTimeCode ? { validityPeriod: CODE_VALIDITY_PERIOD_S } : {}) };
  return { api: 'messaging', channel: 'sms', confirm: false, send: (client) => client.messages.create(params) };
}
/**
 * A one-time code on WhatsApp: a business-initiated message must be an approved template (the code
 * its variable 1). Twilio accepts it before WhatsApp does, so its status is read back.
 */
function whatsappRoute(to, code, sender, contentSid) {
  const params = {
    to: onWhatsApp(to),
    ...('from' in sender ? { from: onWhatsApp(sender.from) } : sender),
    contentSid,
    contentVariables: JSON.stringify({ 1: code }),
    validityPeriod: CODE_VALIDITY_PERIOD_S,
  };
  return { api: 'messaging', channel: 'whatsapp', confirm: true, send: (client) => client.messages.create(params) };
}

const DEFAULT_SAY_LANGUAGE = 'en-US';
/** The `<Say>` languages the sender speaks: Twilio's basic voices cover these. */
const SAY_LANGUAGES = byLowerCase([
  'ca-ES', 'da-DK', 'de-DE', 'en-AU', 'en-CA', 'en-GB', 'en-IN', 'en-US', 'es-ES', 'es-MX', 'fi-FI', 'fr-CA', 'fr-FR',
  'it-IT', 'ja-JP', 'ko-KR', 'nb-NO', 'nl-NL', 'pl-PL', 'pt-BR', 'pt-PT', 'ru-RU', 'sv-SE', 'zh-CN', 'zh-HK', 'zh-TW',
]);
/** A bare language speaks its first region above (`pt` → `pt-BR`), unless that is not the common one. */
const SAY_LANGUAGE_ALIASES = new Map([
  ['en', 'en-US'],
  ['fr', 'fr-FR'],
  ['no', 'nb-NO'],
  ['es-419', 'es-MX'],
  ['es-us', 'es-MX'],
  ['zh-hant', 'zh-TW'],
]);
/** The first `<Say>` language of each base language: `de` → `de-DE`, `zh` → `zh-CN`. */
const SAY_LANGUAGE_BY_BASE = new Map([...SAY_LANGUAGES.values()].reverse().map((tag) => [tag.slice(0, tag.indexOf('-')).toLowerCase(), tag]));
function byLowerCase(values) {
  return new Map(values.map((value) => [value.toLowerCase(), value]));
}
/**
 * Verify's locales: Twilio answers an unknown one with a 404, so only documented tags are sent;
 * otherwise Verify picks the language from the country code.
 */
const VERIFY_LOCALES = byLowerCase([
  'af', 'ar', 'ca', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'es', 'et', 'fi', 'fr', 'he', 'hi', 'hr',
  'hu', 'id', 'it', 'ja', 'ko', 'ms', 'nb', 'nl', 'pl', 'pt', 'pt-BR', 'ro', 'ru', 'sv', 'th', 'tl',
  'tr', 'vi', 'zh', 'zh-CN', 'zh-HK',
]);
/** `fr_CA`, `FR-ca` and ` fr-CA ` are all `fr-ca`. */
function canonicalTag(language) {
  if (typeof language !== 'string')
    return undefined;
  const tag = language.trim().replace(/_/g, '-').toLowerCase();
  return tag === '' ? undefined : tag;
}
function sayLanguageFor(language) {
  const tag = canonicalTag(language);
  if (tag === undefined)
    return DEFAULT_SAY_LANGUAGE;
  const base = tag.split('-')[0] ?? '';
  return (SAY_LANGUAGES.get(tag) ??
    SAY_LANGUAGE_ALIASES.get(tag) ??
    SAY_LANGUAGE_ALIASES.get(base) ??
    SAY_LANGUAGE_BY_BASE.get(base) ??
    DEFAULT_SAY_LANGUAGE);
}
function verifyLocaleFor(language) {
  const tag = canonicalTag(language);
  if (tag === undefined)
    return undefined;
  return VERIFY_LOCALES.get(tag) ?? VERIFY_LOCALES.get(tag.split('-')[0] ?? '');
}

/** A listener who missed the code hears it again after this pause. */
const PAUSE_BETWEEN_REPETITIONS_S = 1;
const REPETITIONS = 2;
/** Twilio rings for this long before giving up on an unanswered call. */
const RING_TIMEOUT_S = 30;
/** XML 1.0 forbids these characters; text-to-speech has nothing to say for them either. */
const UNSPEAKABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** `4, 8, 2, 9, 1, 3`: text-to-speech reads digits, not "four hundred eighty-two thousand". */
function spellOut(code) {
  return Array.from(code).join(', ');
}
/**
 * Auth0's text with the code spelled out. An unrendered `{{code}}` (the defect of Auth0's sample
 * hook) gets it too, and text without it is followed by it: no call ends without the code.
 */
function spokenMessage(text, code) {
  const speakable = text.replace(UNSPEAKABLE, ' ').replace(/\s+/g, ' ').trim();
  if (code === undefined || code === '')
    return speakable;
  const spelled = spellOut(code);
  const withCode = speakable.replace(/\{\{\s*code\s*\}\}/g, code);
  if (withCode.includes(code))
    return withCode.split(code).join(spelled);
  return `${withCode} ${spelled}.`.trim();
}
/** Built (and XML-escaped) by twilio's own VoiceResponse. */
function voiceTwiml(twilio, spoken, language, voice) {
  const response = new twilio.twiml.VoiceResponse();
  const attributes = { language: sayLanguageFor(language) };
  // TWILIO_VOICE is checked for shape only: Twilio adds voices faster than the library's types.
  if (voice !== undefined)
    attributes.voice = voice;
  for (let repetition = 0; repetition < REPETITIONS; repetition++) {
    if (repetition > 0)
      response.pause({ length: PAUSE_BETWEEN_REPETITIONS_S });
    response.say(attributes, spoken);
  }
  return response.toString();
}
/** The TwiML is built when the call is placed, with the runtime's twilio: planning needs no library. */
function callRoute(to, spoken, language, voice, from) {
  return {
    api: 'voice',
    channel: 'voice',
    confirm: false,
    send: (client, twilio) => client.calls.create({ to, from, twiml: voiceTwiml(twilio, spoken, language, voice), timeout: RING_TIMEOUT_S }),
  };
}

/** Verify's names for the channels. */
const VERIFY_CHANNELS = { sms: 'sms', voice: 'call', whatsapp: 'whatsapp' };
/**
 * Auth0's code as Verify's custom code, so Auth0 checks the code delivered; Verify words the
 * message, in the login language when it knows it. Through `verify.v2`: `client.verify.services`
 * warns on every call in twilio 4+. Verify reports no delivery status: only a refusal shows.
 */
function verificationRoute(serviceSid, to, channel, code, language) {
  const locale = verifyLocaleFor(language);
  const params = {
    to,
    channel: VERIFY_CHANNELS[channel],
    customCode: code,
    ...(locale === undefined ? {} : { locale }),
  };
  return { api: 'verify', channel, confirm: false, send: (client) => client.verify.v2.services(serviceSid).verifications.create(params) };
}

/** Where a route's request goes: where to connect ahead. */
function routeHost(route, config) {
  const product = route.api === 'verify' ? 'verify' : 'api';
  return twilioHost(product, config.region, config.edge);
}
/** WhatsApp may carry an SMS of a one-time code to a listed country; calls and notices go as Auth0 asked. */
function whatsappEligible(config, message) {
  return config.whatsapp !== undefined && message.channel === 'sms' && message.oneTimeCode !== undefined && config.whatsapp.countries.includes(message.to);
}
/**
 * The routes to try, in order (WhatsApp then SMS as its fallback, or the one route of Verify,
 * Messaging or Voice), built, or a throw before any request. Nothing is sent here; every route
 * after the first is a fallback.
 */
function planRoutes(config, message, customize, whatsapp) {
  const code = message.oneTimeCode;
  const whatsappRoute = whatsapp && code !== undefined ? whatsappFirst(config, message, code) : undefined;
  if (config.verifyServiceSid !== undefined && code !== undefined) {
    const verification = verificationRoute(config.verifyServiceSid, message.to, message.channel, code, message.language);
    return whatsappRoute === undefined ? [verification] : [whatsappRoute, verification];
  }
  if (message.text.trim() === '') {
    throw new InvalidRequestError('The message text from Auth0 is empty: check the phone message templates (Security > Multi-factor Auth > Phone Message, or Branding > Phone Provider).');
  }
  if (message.channel === 'voice') {
    const caller = message.from ?? config.phoneNumber;
    if (caller === undefined)
      throw new ConfigurationError(noSenderMessage(config, message));
    const spoken = spokenMessage(customizedText(customizationContext(message), customize), message.code);
    return [callRoute(message.to, spoken, message.language, config.voice, caller)];
  }
  const sms = smsRoute(message.to, customizedText(customizationContext(message), customize), smsSender(config, message), code !== undefined);
  return whatsappRoute === undefined ? [sms] : [whatsappRoute, sms];
}
function whatsappFirst(config, message, code) {
  const route = config.whatsapp?.route;
  if (route === undefined)
    return undefined;
  if (route.kind === 'verify') {
    return config.verifyServiceSid === undefined ? undefined : verificationRoute(config.verifyServiceSid, message.to, 'whatsapp', code, message.language);
  }
  return whatsappRoute(message.to, code, route.sender, route.contentSid);
}
/** Auth0's sender for this notification, else the Messaging Service, else TWILIO_PHONE_NUMBER. */
function smsSender(config, message) {
  if (message.from !== undefined)
    return { from: message.from };
  if (config.messagingServiceSid !== undefined)
    return { messagingServiceSid: config.messagingServiceSid };
  if (config.phoneNumber !== undefined)
    return { from: config.phoneNumber };
  throw new ConfigurationError(noSenderMessage(config, message));
}
function noSenderMessage(config, message) {
  if (config.verifyServiceSid !== undefined) {
    const what = message.purpose === undefined ? 'this message' : `this ${message.purpose} message`;
    const alternative = message.channel === 'sms' ? ' (or TWILIO_MESSAGING_SERVICE_SID)' : '';
    return `TWILIO_PHONE_NUMBER is not set: ${what} carries no one-time code, so Verify (TWILIO_VERIFY_SID) cannot deliver it; set TWILIO_PHONE_NUMBER${alternative} to send it.`;
  }
  return message.channel === 'voice'
    ? 'TWILIO_PHONE_NUMBER is not set: a voice call needs a From number (a Messaging Service cannot place calls; TWILIO_VERIFY_SID can).'
    : 'TWILIO_PHONE_NUMBER is not set: SMS needs a From number (or TWILIO_MESSAGING_SERVICE_SID, or TWILIO_VERIFY_SID to send through Verify).';
}
function customizationContext(message) {
  return {
    purpose: message.purpose,
    text: message.text,
    code: message.code,
    channel: message.channel,
    language: message.language,
    client: message.client,
    user: message.user,
    auth0: message.auth0,
  };
}

/** How long a number is remembered: a day, the longest Auth0's cache keeps anything. */
const WHATSAPP_MEMORY_MS = 24 * 60 * 60 * 1000;
/** Auth0's cache takes values of at most 4 KB; the record list is cut, oldest first, below that. */
const MAX_CACHE_VALUE_LENGTH = 4_000;
/** Numbers kept in a warm container, the oldest dropped first. */
const MAX_CONTAINER_RECORDS = 1_000;
/** One cache key for every number: Auth0 keeps at most 20 entries per trigger. */
const CACHE_KEY = 'twilio-phone-message:whatsapp';
/** Characters of the HMAC kept (base64url, 96 bits): collisions are harmless and improbable. */
const HASH_LENGTH = 16;
const MINUTE_MS = 60_000;
/** Records of the container, shared by every send it runs (a warm container runs many). */
const containerRecords = new Map();
/** `x63003`, `x` or a SID, then `@` and the minute it was stored in base 36. */
function encode({ record, at }) {
  const state = record.kind === 'pending' ? record.sid : `x${record.twilioCode ?? ''}`;
  return `${state}@${Math.floor(at / MINUTE_MS).toString(36)}`;
}
function decode(text) {
  const match = /^(?:(SM[0-9a-f]{32})|x(\d{0,6}))@([0-9a-z]{1,9})$/.exec(text);
  if (match === null)
    return undefined;
  const at = parseInt(match[3] ?? '', 36) * MINUTE_MS;
  if (match[1] !== undefined)
    return { record: { kind: 'pending', sid: match[1] }, at };
  return { record: { kind: 'undeliverable', twilioCode: match[2] ? Number(match[2]) : undefined }, at };
}
class WhatsAppMemory {
  hashKey;
  cache;
  records;
  now;
  constructor(
  /** The HMAC key: the account's auth token or API secret, so that no one without it can test a number. */
  hashKey, cache, records = containerRecords, now = Date.now) {
    this.hashKey = hashKey;
    this.cache = cache;
    this.records = records;
    this.now = now;
  }
  recall(number) {
    const hash = this.hash(number);
    const stored = this.records.get(hash) ?? this.fromCache().get(hash);
    return stored !== undefined && this.now() - stored.at < WHATSAPP_MEMORY_MS ? stored.record : undefined;
  }
  remember(number, record) {
    this.store(this.hash(number), { record, at: this.now() });
  }
  forget(number) {
    this.store(this.hash(number), undefined);
  }
  hash(number) {
    return crypto.createHmac('sha256', this.hashKey).update(number).digest('base64url').slice(0, HASH_LENGTH);
  }
  store(hash, stored) {
    this.records.delete(hash);
    if (stored !== undefined)
      this.records.set(hash, stored);
    while (this.records.size > MAX_CONTAINER_RECORDS)
      this.records.delete(this.records.keys().next().value);
    if (this.cache === undefined)
      return;
    const cached = this.fromCache();
    cached.delete(hash);
    // Newest first, so that a value cut to Auth0's size limit loses the oldest numbers.
    const entries = [...(stored === undefined ? [] : [[hash, stored]]), ...[...cached].reverse()];
    let value = '';
    for (const [key, entry] of entries) {
      if (this.now() - entry.at >= WHATSAPP_MEMORY_MS)
        continue;
      const item = `${key}=${encode(entry)}`;
      if (value.length + item.length + 1 > MAX_CACHE_VALUE_LENGTH)
        break;
      value = value === '' ? item : `${value},${item}`;
    }
    try {
      this.cache.set(CACHE_KEY, value, { ttl: WHATSAPP_MEMORY_MS });
    }
    catch {
      // Auth0 calls its cache best effort; so is this memory.
    }
  }
  /** The cache's records, oldest first; empty when there is no cache or its value is unreadable. */
  fromCache() {
    const records = new Map();
    let value;
    try {
      value = this.cache?.get(CACHE_KEY)?.value;
    }
    catch {
      value = undefined;
    }
    if (typeof value !== 'string')
      return records;
    for (const item of value.split(',').reverse()) {
      const [hash, text] = item.split('=');
      const stored = text === undefined ? undefined : decode(text);
      if (hash !== undefined && hash.length === HASH_LENGTH && stored !== undefined)
        records.set(hash, stored);
    }
    return records;
  }
}

/** Half the 20 s Auth0 gives a hook, retries and fallback included: Auth0 reports our error, not its timeout. */
const SEND_DEADLINE_MS = 10_000;
/** Twilio's SIDs: two capital letters and 32 hex digits. Only such a SID, holding no secret, is echoed. */
const TWILIO_SID = /^[A-Z]{2}[0-9a-f]{32}$/;
/**
 * What must never appear in a text that leaves, from the raw secrets: the token and API secret,
 * and the Basic credential each makes with its user (a proxy's error page may echo the header),
 * padded or not (the padding may come percent-encoded) and in base64url.
 */
function confidentialValues(secrets) {
  if (typeof secrets !== 'object' || secrets === null)
    return [];
  const raw = (name) => {
    const value = secrets[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const basic = (user, secret) => {
    const [username, password] = [raw(user), raw(secret)];
    if (username === undefined || password === undefined)
      return [];
    const credential = Buffer.from(`${username}:${password}`);
    // Longest first in the scrubber: the padded form goes whole, and its body alone wherever the padding differs.
    return [credential.toString('base64'), credential.toString('base64').replace(/=+$/, ''), credential.toString('base64url')];
  };
  return [
    ...CONFIDENTIAL_SECRETS.flatMap((name) => raw(name) ?? []),
    ...basic(SECRET_NAMES.accountSid, SECRET_NAMES.authToken),
    ...basic(SECRET_NAMES.apiKey, SECRET_NAMES.apiSecret),
  ];
}
/** The retries' end, if that was caught; a value that throws when looked at (a revoked Proxy) is not. */
function retriesExhausted(caught) {
  try {
    return caught instanceof RetryExhaustedError ? caught : undefined;
  }
  catch {
    return undefined;
  }
}
function clientOptions(config, httpClient) {
  return {
    httpClient,
    accountSid: config.credentials.accountSid,
    ...(config.region === undefined ? {} : { region: config.region }),
    ...(config.edge === undefined ? {} : { edge: config.edge }),
  };
}
/**
 * Delivers one message through Twilio within one deadline, and logs one line. The request is read
 * inside the guard, so an event whose fields throw is reported like any other bad input. Rejects
 * with a `PhoneMessageError` whose message is scrubbed.
 */
async function sendPhoneMessage(readRequest, dependencies) {
  const deadlineMs = dependencies.deadlineMs ?? SEND_DEADLINE_MS;
  const deadline = new Deadline(deadlineMs);
  let scrubber = new Scrubber([]);
  let subject = UNKNOWN_SUBJECT;
  const progress = { attempts: 0, fallbackReason: undefined };
  try {
    const { secrets, message: input } = readRequest();
    scrubber = new Scrubber([...confidentialValues(secrets), input.code]);
    subject = inputSubject(input);
    const config = readConfig(secrets, dependencies.phoneNumberLibrary);
    const message = parseMessage(input, config.allowedCountries);
    subject = messageSubject(message);
    const eligibleForWhatsApp = whatsappEligible(config, message);
    const planned = planRoutes(config, message, dependencies.customize, eligibleForWhatsApp);
    let routes = planned;
    const transport = dependencies.transport ?? sharedTransport();
    // Nothing left can refuse the message: connect now, so the handshake overlaps loading twilio.
    await transport.preconnect?.(`https://${routeHost(planned[0], config)}`);
    const twilio = dependencies.twilio();
    const { username, password } = config.credentials;
    // A client per attempt is cheap (the pool is the transport's) and carries its own limit and abort.
    const call = async (request, within, attemptNumber) => {
      const abandon = new AbortController();
      const limits = { timeoutMs: Math.min(ATTEMPT_TIMEOUT_MS, within.remainingMs()), signal: abandon.signal };
      const httpClient = transport.forAttempt(limits);
      const sending = Promise.resolve().then(() => request(twilio(username, password, clientOptions(config, httpClient)), twilio));
      try {
        return await within.race(sending, () => {
          abandon.abort();
          return new DeadlineExceededError(`Twilio did not answer within ${deadlineMs} ms (${attemptsText(attemptNumber)}); the connection was closed.`);
        });
      }
      catch (error) {
        // Once Twilio accepted the create, a later failure (its body, the deadline, the library reading
        // it) leaves a message out: no retry, no other route. An oversized answer says so itself.
        const accepted = httpClient.acceptedStatus;
        throw accepted === undefined || error instanceof OversizedAnswerError ? error : new UnreadAcceptanceError(accepted, error);
      }
    };
    const context = {
      call,
      deadline,
      retry: { advise: (error) => classify(error, scrubber), ...(dependencies.random === undefined ? {} : { random: dependencies.random }) },
      memory: new WhatsAppMemory(password, dependencies.cache, dependencies.whatsappRecords),
      to: message.to,
      echoedSid: (sid) => (typeof sid === 'string' && TWILIO_SID.test(sid) && scrubber.clean(sid) === sid ? sid : undefined),
    };
    if (eligibleForWhatsApp) {
      progress.fallbackReason = await earlierWhatsAppFailure(context);
      if (progress.fallbackReason !== undefined)
        routes = routes.filter((route) => route.channel !== 'whatsapp');
    }
    const { route, sid } = await deliverAlong(routes, context, progress);
    const delivery = {
      api: route.api,
      channel: route.channel,
      sid,
      attempts: progress.attempts,
      elapsedMs: deadline.elapsedMs(),
      ...(progress.fallbackReason === undefined ? {} : { fallbackReason: scrubber.clean(progress.fallbackReason) }),
    };
    dependencies.log(deliveredLine(delivery, subject, scrubber));
    return delivery;
  }
  catch (caught) {
    const exhausted = retriesExhausted(caught);
    const error = exhausted === undefined ? asPhoneMessageError(caught) : exhausted.advice.toError(exhausted.attempts);
    // Every text that leaves passes the scrubber, whoever wrote it.
    error.message = scrubber.clean(error.message);
    dependencies.log(failedLine(subject, error, { ...progress, elapsedMs: deadline.elapsedMs() }, scrubber));
    throw error;
  }
}

/** Loaded at the first send, not at compile time, so a missing dependency is reported as what to fix. */
function loadTwilio(load) {
  let twilio;
  try {
    twilio = load();
  }
  catch {
    throw new ConfigurationError('The npm module "twilio" is not available: declare it as a dependency (the Action\'s Dependencies, or Hooks editor > Settings > NPM Modules).');
  }
  if (typeof twilio !== 'function') {
    throw new ConfigurationError('The module "twilio" did not load as the Twilio helper library; declare the npm package "twilio" (version 3 or later).');
  }
  return twilio;
}

function customizeMessage(message) {
  return message.text;
}

/**
 * What every entry hands the sender in Auth0's runtimes. The literal requires keep the declared
 * modules visible in the bundle, loaded only when a send needs them.
 */
function auth0RuntimeDependencies(api) {
  return {
    twilio: () => loadTwilio(() => require('twilio')),
    phoneNumberLibrary: () => require('libphonenumber-js/min'),
    log: (line) => console.log(line),
    customize: customizeMessage,
    cache: actionCache(api),
  };
}
/** Actions have it; the hook and a test's bare `api` do not. */
function actionCache(api) {
  const cache = typeof api === 'object' && api !== null ? api.cache : undefined;
  const candidate = cache;
  return typeof candidate?.get === 'function' && typeof candidate.set === 'function' ? candidate : undefined;
}

/* Each Auth0 trigger names the same things differently. */
/** The hook's `context.action` and the Send Phone Message action's `message_options.action`. */
const SEND_PHONE_MESSAGE_PURPOSES = new Map([
  ['enrollment', 'enrollment'],
  ['second-factor-authentication', 'verification'],
]);

function actionClient(client) {
  return {
    id: client?.client_id,
    name: client?.name,
    metadata: typeof client?.metadata === 'object' && client.metadata !== null ? client.metadata : {},
  };
}

function sendPhoneMessageRequest(event) {
  const options = event.message_options ?? {};
  return {
    secrets: event.secrets,
    message: {
      recipient: options.recipient,
      text: options.text,
      code: options.code,
      channel: options.message_type,
      purpose: SEND_PHONE_MESSAGE_PURPOSES.get(options.action),
      auth0: { trigger: 'send-phone-message', messageType: options.action },
      language: event.request?.language,
      correlationId: event.transaction?.correlation_id,
      from: undefined,
      client: actionClient(event.client),
      user: event.user,
    },
  };
}
async function onExecuteSendPhoneMessage(event, api) {
  // The sender reads the event inside its own guard: whatever it throws is reported and logged once.
  await sendPhoneMessage(() => sendPhoneMessageRequest(event), auth0RuntimeDependencies(api));
}

exports.onExecuteSendPhoneMessage = onExecuteSendPhoneMessage;
