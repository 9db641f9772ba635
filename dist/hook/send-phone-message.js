/**
 * Auth0 Send Phone Message hook: delivers the MFA one-time code through Twilio, by SMS (on
 * WhatsApp first for the countries the tenant lists), by a voice call that reads the code, or
 * through Twilio Verify.
 *
 * Auth0 ended Hooks on 2026-11-18: where they no longer run, deploy the Send Phone Message action
 * (dist/actions/send-phone-message.js) instead. Otherwise paste this file into Auth0 Dashboard >
 * Auth Pipeline > Hooks > Send Phone Message, declare the NPM modules `twilio` and
 * `libphonenumber-js` (docs/deploy.md) and set the secrets (optional unless said):
 *   TWILIO_ACCOUNT_SID            required: your Twilio account
 *   TWILIO_AUTH_TOKEN             required, unless an API key is set
 *   TWILIO_API_KEY                an API key, used instead of the token
 *   TWILIO_API_SECRET             with TWILIO_API_KEY: the key's secret
 *   TWILIO_PHONE_NUMBER           the From number of SMS and calls
 *   TWILIO_MESSAGING_SERVICE_SID  SMS through a Messaging Service
 *   TWILIO_VERIFY_SID             one-time codes through Twilio Verify (us1 only)
 *   TWILIO_VOICE                  the <Say> voice of calls
 *   TWILIO_REGION                 the Twilio region
 *   TWILIO_EDGE                   the edge into Twilio's network
 *   ALLOWED_COUNTRIES             the only countries recipients may be in
 *   WHATSAPP_COUNTRIES            codes to these countries go on WhatsApp first
 *   TWILIO_WHATSAPP_FROM          with WHATSAPP_COUNTRIES: the WhatsApp sender
 *   TWILIO_WHATSAPP_CONTENT_SID   with WHATSAPP_COUNTRIES: the approved template
 *   ALLOWED_NUMBER_TYPES          costly numbers that still get codes
 *   ENROLLMENT_VELOCITY           new numbers a block of 1,000 enrolls an hour (10)
 *   TWILIO_LOOKUP                 billed by Twilio: Lookup (enrollment or all)
 *   TWILIO_LOOKUP_MAX_RISK        the pumping risk refused above (80)
 *   TWILIO_LOOKUP_FAIL            closed refuses when Lookup cannot answer
 *
 * Calls back exactly once, within 10 s: `cb(null, { api, channel, sid, fallbackReason? })` once
 * Twilio accepted the message (`fallbackReason`: why SMS carried a code meant for WhatsApp), or
 * `cb(error)`, a SendPhoneMessageError whose message says what to fix (never a secret, code or
 * phone number) and whose friendlyMessage the user sees. Never throws.
 */
// Built from src/hook/send-phone-message.ts by `npm run build`: edit the TypeScript source, not this file.
'use strict';

const fs = require('fs');
const http = require('http');
const https = require('https');
const net = require('net');
const crypto = require('crypto');

class PhoneMessageError extends Error {
	transient = false;
}
const FRIENDLY_MESSAGES = {
	configuration: 'We could not send your verification code. Please contact support.',
	recipient: 'This phone number cannot receive verification codes. Check the number and try again.',
	tryAgain: 'We could not send your verification code right now. Please try again in a moment.',
};
class ConfigurationError extends PhoneMessageError {
	name = 'ConfigurationError';
	friendlyMessage = FRIENDLY_MESSAGES.configuration;
}
class TwilioDeliveryError extends PhoneMessageError {
	name = 'TwilioDeliveryError';
	friendlyMessage;
	transient;
	twilioCode;
	httpStatus;
	constructor(options) {
		super(options.message);
		this.friendlyMessage = options.friendlyMessage;
		this.transient = options.transient;
		this.twilioCode = options.twilioCode;
		this.httpStatus = options.httpStatus;
	}
}
class InvalidRecipientError extends PhoneMessageError {
	name = 'InvalidRecipientError';
	friendlyMessage = FRIENDLY_MESSAGES.recipient;
}
class RecipientRefusedError extends PhoneMessageError {
	layer;
	name = 'RecipientRefusedError';
	friendlyMessage = FRIENDLY_MESSAGES.recipient;
	constructor(layer, message) {
		super(message);
		this.layer = layer;
	}
}
class DeadlineExceededError extends PhoneMessageError {
	name = 'DeadlineExceededError';
	friendlyMessage = FRIENDLY_MESSAGES.tryAgain;
	transient = true;
}
class InvalidRequestError extends PhoneMessageError {
	name = 'InvalidRequestError';
	friendlyMessage = FRIENDLY_MESSAGES.configuration;
}
const ERROR_NAME = /^[A-Za-z_$][\w$]{0,63}$/;
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
function asPhoneMessageError(thrown) {
	let own = false;
	try {
		own = thrown instanceof PhoneMessageError;
	}
	catch {
	}
	return own ? thrown : new InvalidRequestError(`The sender failed unexpectedly (${kindOf(thrown)}).`);
}

const AUTH0_CACHE_MAX_VALUE_BYTES = 4_096;
const AUTH0_CACHE_MAX_TTL_MS = 24 * 60 * 60 * 1000;
const CACHE_SHARES = {
	whatsapp: { key: 'tpm:whatsapp', bytes: 3_800, keys: 2 },
	velocity: { key: 'tpm:velocity', bytes: 2_400, keys: 3 },
	lookup: { key: 'tpm:lookup', bytes: 1_900, keys: 4 },
};
const ITEM_SEPARATOR = ',';
class CacheShare {
	cache;
	key;
	keys;
	valueBytes;
	constructor(cache, key, shareBytes, entries) {
		this.cache = cache;
		this.key = key;
		this.keys = Array.from({ length: entries }, (_, index) => this.entryKey(index));
		this.valueBytes = Math.min(Math.floor(shareBytes / entries) - Buffer.byteLength(this.entryKey(0)), AUTH0_CACHE_MAX_VALUE_BYTES);
	}
	read() {
		return this.keys.flatMap((key) => {
			let value;
			try {
				value = this.cache.get(key)?.value;
			}
			catch {
			}
			return typeof value === 'string' && value !== '' ? value.split(ITEM_SEPARATOR) : [];
		});
	}
	write(items, ttlMs, changed) {
		const key = this.keyOf(changed);
		let value = '';
		for (const item of items.filter((candidate) => this.keyOf(candidate) === key)) {
			const next = value === '' ? item : `${value}${ITEM_SEPARATOR}${item}`;
			if (Buffer.byteLength(next) > this.valueBytes)
				break;
			value = next;
		}
		try {
			this.cache.set(key, value, { ttl: Math.min(ttlMs, AUTH0_CACHE_MAX_TTL_MS) });
		}
		catch {
		}
	}
	keyOf(item) {
		return this.entryKey(item.charCodeAt(0) % this.keys.length);
	}
	entryKey(index) {
		return `${this.key}:${index}`;
	}
}
class CacheBudget {
	cache;
	constructor(cache) {
		this.cache = cache;
	}
	share(name) {
		const { key, bytes, keys } = CACHE_SHARES[name];
		return this.cache === undefined ? undefined : new CacheShare(this.cache, key, bytes, keys);
	}
}

const E164_MIN_DIGITS = 8;
const E164_MAX_DIGITS = 15;
const E164_SHAPE = 'a +, the country code, then the number, such as +1 and ten digits for the US';
const FORMATTING_CHARACTERS = /[\s\-.()/]/g;
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
function maskPhoneNumber(value) {
	const compact = value.replace(FORMATTING_CHARACTERS, '');
	const visible = compact.length >= 12 ? 4 : compact.length >= 8 ? 2 : 0;
	if (visible === 0)
		return '***';
	const head = compact.startsWith('+') ? visible + 1 : visible;
	return `${compact.slice(0, head)}***${compact.slice(-visible)}`;
}

const MIN_SECRET_LENGTH = 4;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;
const INVISIBLE_CHARACTERS = /[\p{Cf}\u034f\u115f\u1160\u3164\uffa0\ufe00-\ufe0f\u{e0100}-\u{e01ef}]+/gu;
const NUMBER_SEPARATOR = '(?:[ \\u00a0\\-.()/]|%20)';
const TWILIO_API_VERSION = '2010-04-01/';
const DIGIT_RUN = `(?:\\d${NUMBER_SEPARATOR}{0,3}){6,}\\d`;
const PHONE_NUMBER_LIKE = new RegExp(`(?:\\+|%2[Bb])${DIGIT_RUN}|(?<![\\p{L}\\d_*])(?!${TWILIO_API_VERSION})${DIGIT_RUN}(?![\\p{L}\\d_*])`, 'gu');
const COMPATIBILITY_DIGITS = /[\p{Nd}\uff0b](?<![0-9])/gu;
const REDACTED = '[redacted]';
const DIGIT_SEPARATORS = '[\\s.,\\-]{0,3}';
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
function secretPattern(secret) {
	return /^\d+$/.test(secret) ? Array.from(secret).join(DIGIT_SEPARATORS) : escapeRegExp(secret);
}
class Scrubber {
	secrets;
	constructor(secrets) {
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
function truncate(text, maxLength) {
	if (text.length <= maxLength)
		return text;
	let end = maxLength - 1;
	if (/[\ud800-\udbff]/.test(text.charAt(end - 1)))
		end--;
	return `${text.slice(0, end)}…`;
}

const ATTEMPT_TIMEOUT_MS = 4_000;
const MAX_RESPONSE_BYTES = 64 * 1024;
const IDLE_CONNECTION_TIMEOUT_MS = 15_000;
const PRECONNECT_WAIT_MS = 250;
const WAIT_ENDS = ['connect', 'error', 'close'];
const MAX_IDLE_CONNECTIONS = 20;
class TwilioHttpError extends Error {
	status;
	code;
	body;
	retryAfterMs;
	name = 'TwilioHttpError';
	constructor(status, code, twilioMessage, body, retryAfterMs) {
		super(twilioMessage);
		this.status = status;
		this.code = code;
		this.body = body;
		this.retryAfterMs = retryAfterMs;
	}
}
class AttemptTimeoutError extends Error {
	timeoutMs;
	name = 'AttemptTimeoutError';
	code = 'ETIMEDOUT';
	constructor(timeoutMs) {
		super(`no complete answer within ${timeoutMs} ms`);
		this.timeoutMs = timeoutMs;
	}
}
class OversizedAnswerError extends Error {
	status;
	name = 'OversizedAnswerError';
	constructor(status) {
		super(`an answer of more than ${MAX_RESPONSE_BYTES} bytes`);
		this.status = status;
	}
}
class UnreadAcceptanceError extends Error {
	status;
	reason;
	name = 'UnreadAcceptanceError';
	constructor(status, reason) {
		super(`Twilio accepted the request (HTTP ${status}) but its answer could not be read whole`);
		this.status = status;
		this.reason = reason;
	}
}
class AttemptAbandonedError extends Error {
	name = 'AttemptAbandonedError';
}
class PreconnectingAgent extends https.Agent {
	warming = new Map();
	preconnect(host, port) {
		const origin = `${host}:${port}`;
		const free = Object.keys(this.freeSockets).some((name) => name.startsWith(`${origin}:`));
		if (free || this.warming.has(origin))
			return undefined;
		const options = { ...this.options, host, port, servername: net.isIP(host) === 0 ? host : '' };
		const socket = super.createConnection({ ...options, _agentKey: this.getName(options) });
		const forget = () => {
			clearTimeout(unused);
			if (this.warming.get(origin)?.socket === socket)
				this.warming.delete(origin);
			socket.destroy();
		};
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
class HttpTransport {
	agents = new Map();
	forAttempt(limits) {
		let acceptedStatus;
		return {
			request: (options) => this.request(options, limits, (status) => (acceptedStatus = status)),
			get acceptedStatus() {
				return acceptedStatus;
			},
		};
	}
	preconnect(origin) {
		let socket;
		try {
			const url = new URL(origin);
			if (url.protocol === 'https:')
				socket = this.agentFor('https:').preconnect(url.hostname, Number(url.port || 443));
		}
		catch {
		}
		if (socket === undefined)
			return undefined;
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
				...(process.env.TWILIO_CA_BUNDLE ? { ca: fs.readFileSync(process.env.TWILIO_CA_BUNDLE) } : {}),
			};
			agent = protocol === 'http:' ? new http.Agent(options) : new PreconnectingAgent(options);
			this.agents.set(protocol, agent);
		}
		return agent;
	}
	request(options, limits, onAccepted) {
		const url = new URL(options.uri);
		for (const [name, value] of Object.entries(options.params ?? {}))
			appendField(url.searchParams, name, value);
		const headers = { ...options.headers };
		if (options.username !== undefined && options.password !== undefined) {
			headers.Authorization = `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`;
		}
		const body = requestBody(options.data, headers);
		return new Promise((resolve, reject) => {
			const request = http.request(url, { method: options.method, headers, agent: this.agentFor(url.protocol) });
			const giveUp = (error) => {
				request.destroy(error);
			};
			const timer = setTimeout(() => giveUp(new AttemptTimeoutError(limits.timeoutMs)), limits.timeoutMs);
			const onAbort = () => giveUp(new AttemptAbandonedError('the sender gave this attempt up'));
			const settle = (outcome) => {
				clearTimeout(timer);
				limits.signal.removeEventListener('abort', onAbort);
				outcome();
			};
			if (limits.signal.aborted)
				onAbort();
			else
				limits.signal.addEventListener('abort', onAbort);
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
function retryAfter(value, now = Date.now()) {
	if (!value)
		return undefined;
	const seconds = /^\s*(\d+)\s*$/.exec(value)?.[1];
	if (seconds !== undefined)
		return Number(seconds) * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
let containerTransport;
function sharedTransport() {
	containerTransport ??= new HttpTransport();
	return containerTransport;
}

const RETRYABLE_NETWORK_CODES = [
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
];
const RETRYABLE_HTTP_STATUSES = [429, 500, 502, 503, 504];
const NEVER_RETRIED_TWILIO_CODES = [
	60203,
	30450,
	30453,
	60410,
];
const MAX_TWILIO_TEXT_LENGTH = 200;
const TOO_MANY_ATTEMPTS = 'Too many codes were sent to this number. Wait a few minutes before asking for a new one.';
const setupAdvice = (hint) => ({ hint, friendly: FRIENDLY_MESSAGES.configuration });
const numberAdvice = (hint) => ({ hint, friendly: FRIENDLY_MESSAGES.recipient });
const PUMPING_PROTECTION = numberAdvice("Twilio's SMS Pumping Protection blocked this destination for a while: review Console > Messaging > Settings > SMS Pumping Protection.");
const TWILIO_ERROR_ADVICE = new Map([
	[20003, setupAdvice('Twilio refused the credentials (a rotated token, a revoked key, a key of another region?): check TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN, or TWILIO_API_KEY and TWILIO_API_SECRET (Console > Account > API keys & tokens).')],
	[20404, setupAdvice('Twilio has no such resource: check that TWILIO_VERIFY_SID or TWILIO_MESSAGING_SERVICE_SID belongs to this account (and region).')],
	[21211, numberAdvice('Twilio considers the recipient number invalid: the user must enroll a real, reachable number.')],
	[21212, setupAdvice('The From number is invalid: set TWILIO_PHONE_NUMBER to a number of this Twilio account, in E.164.')],
	[21408, numberAdvice("The recipient's country is not enabled: if codes should go there, turn it on in Console > Messaging (or Voice) > Settings > Geo permissions.")],
	[21606, setupAdvice('The From number cannot send SMS: use an SMS-capable number in TWILIO_PHONE_NUMBER, or a Messaging Service in TWILIO_MESSAGING_SERVICE_SID.')],
	[21608, numberAdvice('A trial account sends only to verified numbers: verify this one (Console > Phone Numbers > Verified Caller IDs), or upgrade.')],
	[21610, numberAdvice('The recipient replied STOP to this sender; they must text START to it to receive codes again.')],
	[21614, numberAdvice('The number cannot receive SMS (a landline): the user can choose a call, or enroll a mobile.')],
	[60200, setupAdvice("Verify rejected a parameter: check the number, and that the Verify service's code length is Auth0's.")],
	[60203, { hint: 'Verify reached its limit of send attempts to this number (5 in 10 minutes); the user has to wait.', friendly: TOO_MANY_ATTEMPTS }],
	[60204, setupAdvice('This Verify service takes no custom codes: turn on Enable Custom Verification Code (Console > Verify > Services > your service > General), or remove TWILIO_VERIFY_SID.')],
	[60410, numberAdvice("Verify's Fraud Guard blocked this number's prefix for suspected SMS pumping: review Console > Verify > Fraud Guard.")],
	[30450, PUMPING_PROTECTION],
	[30453, PUMPING_PROTECTION],
]);
const MAY_HAVE_SENT = '; the message may have been sent. Check the Twilio Console logs.';
const TRANSIENT_HINT = "This can heal: a new code, or Auth0's retry of a notification, may go through.";
function notAnswered(withinMs, attempts) {
	return `Twilio did not answer within ${withinMs} ms (${attempts}); the connection was closed.`;
}
function attemptsText(attempts) {
	return attempts === 1 ? '1 attempt' : `${attempts} attempts`;
}
const isTwilioCode = (code) => typeof code === 'number' && Number.isInteger(code) && code >= 10_000 && code <= 99_999;
const isHttpStatus = (status) => typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599;
const NO_TWILIO_CODE_HINT = 'No Twilio error code came with it: a proxy or gateway answered (407: one that wants credentials), or the host of TWILIO_REGION and TWILIO_EDGE does not serve this API.';
const NOT_TWILIO = 'instead of JSON (a gateway or load balancer in front of Twilio)';
const GATEWAY_BODIES = new Map([
	['html', `an HTML page ${NOT_TWILIO}`],
	['text', `plain text ${NOT_TWILIO}`],
	['empty', 'an empty body'],
]);
function classify(error, scrubber) {
	if (error instanceof PhoneMessageError) {
		const twilioCode = error instanceof TwilioDeliveryError ? error.twilioCode : undefined;
		return { retryable: false, transient: error.transient, retryAfterMs: undefined, twilioCode, mayHaveSent: false, toError: () => error };
	}
	const thrown = typeof error === 'object' && error !== null ? error : {};
	const { status, code } = thrown;
	if (error instanceof UnreadAcceptanceError) {
		const late = error.reason instanceof AttemptTimeoutError || error.reason instanceof DeadlineExceededError;
		const reason = error.reason instanceof SyntaxError ? 'its body is not JSON' : late ? 'its body did not come in time' : 'its body could not be read';
		return fixedVerdict(false, (attempts) => `Twilio accepted the request (HTTP ${error.status}) but ${reason} after ${attempts}${MAY_HAVE_SENT}`, FRIENDLY_MESSAGES.tryAgain, true);
	}
	if (error instanceof OversizedAnswerError) {
		const accepted = error.status >= 200 && error.status < 300;
		return fixedVerdict(!accepted && RETRYABLE_HTTP_STATUSES.includes(error.status), (attempts) => `Twilio answered HTTP ${error.status} with a body larger than any of Twilio's after ${attempts}` +
			(accepted ? MAY_HAVE_SENT : '.'), FRIENDLY_MESSAGES.tryAgain, accepted);
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
		return fixedVerdict(true, (attempts) => `${notAnswered(error.timeoutMs, attempts)} ${TRANSIENT_HINT}`);
	}
	if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.includes(code)) {
		return fixedVerdict(true, (attempts) => `Could not reach Twilio (${code}) after ${attempts}. Check the status of Twilio's API. ${TRANSIENT_HINT}`);
	}
	if (code === 'ENOTFOUND') {
		return {
			retryable: false,
			transient: true,
			retryAfterMs: undefined,
			twilioCode: undefined,
			mayHaveSent: false,
			toError: (attempts) => new TwilioDeliveryError({
				message: `Could not resolve Twilio's host (ENOTFOUND) after ${attemptsText(attempts)}: no DNS, or TWILIO_REGION and TWILIO_EDGE make a host that does not exist.`,
				friendlyMessage: FRIENDLY_MESSAGES.tryAgain,
				transient: true,
			}),
		};
	}
	if (error instanceof SyntaxError) {
		return fixedVerdict(false, (attempts) => `Twilio answered with a body that is not JSON after ${attempts}${MAY_HAVE_SENT}`, FRIENDLY_MESSAGES.tryAgain, true);
	}
	const name = kindOf(error);
	const detail = typeof code === 'string' ? ` (${code})` : '';
	const text = typeof thrown.message === 'string' ? truncate(scrubber.clean(thrown.message).trim(), MAX_TWILIO_TEXT_LENGTH) : '';
	return fixedVerdict(false, (attempts) => `The twilio library failed with ${name}${detail} after ${attempts}${text === '' ? '' : `: ${text}`}.`);
}
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

const PHONE_NUMBER_MODULE = 'libphonenumber-js';
function loadNumberMetadata(load) {
	let library;
	try {
		library = load();
	}
	catch {
	}
	const candidate = library;
	return typeof candidate?.parsePhoneNumberFromString === 'function' && typeof candidate.isSupportedCountry === 'function' ? candidate : undefined;
}

const DEPENDENCIES_PLACE = '(Action > Dependencies, or Hooks editor > Settings > NPM Modules)';
function loadTwilio(load) {
	let twilio;
	try {
		twilio = load();
	}
	catch {
		throw new ConfigurationError(`The npm module "twilio" is not available: declare it as a dependency ${DEPENDENCIES_PLACE}.`);
	}
	if (typeof twilio !== 'function') {
		throw new ConfigurationError('The module "twilio" is not the Twilio helper library; declare the npm package "twilio", version 3 or later.');
	}
	return twilio;
}

const EVERY_COUNTRY = '*';
function countryName(code) {
	const name = new Intl.DisplayNames(['en'], { type: 'region' }).of(code);
	return name === undefined || name === code ? code : `${code}, ${name}`;
}
function readCountries(text, secretName, library, unsetMeans) {
	const codes = text.split(',').map((part) => part.trim().toUpperCase()).filter((part) => part !== '');
	const unknown = codes.filter((code) => !/^[A-Z]{2}$/.test(code) || !library.isSupportedCountry(code));
	if (codes.length === 0 || unknown.length > 0) {
		const what = codes.length === 0 ? 'lists no country' : `lists what is not the code of a country with phone numbers (${unknown.slice(0, 5).join(', ')})`;
		throw new ConfigurationError(`${secretName} ${what}: write ISO 3166-1 alpha-2 codes separated by commas, such as "US,CA,GB", or remove the secret ${unsetMeans}.`);
	}
	return new Set(codes);
}
function parseAllowedCountries(text, secretName, load) {
	const library = phoneNumberLibrary(load, secretName);
	const countries = readCountries(text, secretName, library, 'to allow every country');
	const countryOf = (number) => library.parsePhoneNumberFromString(number)?.country;
	return {
		countries,
		includes: (number) => countries.has(countryOf(number) ?? ''),
		refusal(number) {
			const country = countryOf(number);
			if (country !== undefined && countries.has(country))
				return undefined;
			const allowed = [...countries].join(',');
			return country === undefined
				? { why: `belongs to no country that ${PHONE_NUMBER_MODULE} knows, so ${secretName} (${allowed}) cannot allow it`, fix: '' }
				: { why: `belongs to ${countryName(country)}, which ${secretName} (${allowed}) does not list`, fix: `Add ${country} to ${secretName} if codes should go there.` };
		},
	};
}
function parseCountryList(text, secretName, load) {
	if (text.trim() === EVERY_COUNTRY)
		return { countries: new Set(), includes: () => true };
	const library = phoneNumberLibrary(load, secretName);
	const countries = readCountries(text, secretName, library, `(or write ${EVERY_COUNTRY} for every country)`);
	return { countries, includes: (number) => countries.has(library.parsePhoneNumberFromString(number)?.country ?? '') };
}
function phoneNumberLibrary(load, secretName) {
	const library = loadNumberMetadata(load);
	if (library === undefined) {
		throw new ConfigurationError(`${secretName} needs the npm module "${PHONE_NUMBER_MODULE}": declare it beside twilio ${DEPENDENCIES_PLACE}, or remove ${secretName}.`);
	}
	return library;
}

function isSid(value, ...prefixes) {
	return typeof value === 'string' && new RegExp(`^(?:${prefixes.join('|') || '[A-Z]{2}'})[0-9a-fA-F]{32}$`).test(value);
}

const COSTLY_NUMBER_TYPES = ['PREMIUM_RATE', 'SHARED_COST', 'UAN', 'VOICEMAIL', 'PAGER'];
const LOOKUP_LINE_TYPES = { PREMIUM_RATE: 'premium', SHARED_COST: 'sharedCost', UAN: 'uan', VOICEMAIL: 'voicemail', PAGER: 'pager' };
const typeWords = (type) => type.toLowerCase().replace('_', '-');
const allowingFix = (entry) => `Add ${entry} to ALLOWED_NUMBER_TYPES if your users truly have such numbers.`;
const NON_GEOGRAPHIC_CALLING_CODES = ['800', '808', '870', '878', '881', '882', '883', '888', '979'];
const DEFAULT_ENROLLMENTS_PER_BLOCK = 10;
const NUMBERS_PER_BLOCK = 1_000;
const VELOCITY_OFF = 'off';
const LOOKUP_SCOPES = ['enrollment', 'all'];
const DEFAULT_LOOKUP_MAX_RISK = 80;
const MAX_RISK_SCORE = 100;
const LOOKUP_FAILURE_MODES = ['open', 'closed'];
function checksNumberTypes(shield) {
	return COSTLY_NUMBER_TYPES.some((type) => !shield.allowedTypes.has(type));
}
function parseAllowedNumberTypes(text, secretName) {
	const allowedTypes = new Set();
	const allowedNetworks = new Set();
	for (const entry of (text ?? '').split(',').map((part) => part.trim()).filter((part) => part !== '')) {
		const network = NON_GEOGRAPHIC_CALLING_CODES.find((code) => code === entry.replace(/^\+/, ''));
		const type = COSTLY_NUMBER_TYPES.find((known) => known === entry.toUpperCase().replace(/[\s-]+/g, '_'));
		if (network !== undefined)
			allowedNetworks.add(network);
		else if (type !== undefined)
			allowedTypes.add(type);
		else {
			const known = [...COSTLY_NUMBER_TYPES.map((known) => known.toLowerCase()), ...NON_GEOGRAPHIC_CALLING_CODES.map((code) => `+${code}`)];
			throw new ConfigurationError(`${secretName} lists "${entry.slice(0, 20)}": list only ${known.join(', ')}, separated by commas, or remove the secret.`);
		}
	}
	return { allowedTypes, allowedNetworks };
}

const TWILIO_REGIONS = ['us1', 'ie1', 'au1'];
const DEFAULT_REGION = 'us1';
const LOOKUP_REGIONS = ['us1', 'ie1'];
const TWILIO_EDGES = ['ashburn', 'dublin', 'frankfurt', 'sao-paulo', 'singapore', 'sydney', 'tokyo', 'umatilla'];
const SECRETS = {
	accountSid: { name: 'TWILIO_ACCOUNT_SID' },
	authToken: { name: 'TWILIO_AUTH_TOKEN', confidential: true },
	apiKey: { name: 'TWILIO_API_KEY' },
	apiSecret: { name: 'TWILIO_API_SECRET', confidential: true },
	phoneNumber: { name: 'TWILIO_PHONE_NUMBER' },
	messagingServiceSid: { name: 'TWILIO_MESSAGING_SERVICE_SID' },
	verifyServiceSid: { name: 'TWILIO_VERIFY_SID' },
	voice: { name: 'TWILIO_VOICE' },
	region: { name: 'TWILIO_REGION' },
	edge: { name: 'TWILIO_EDGE' },
	allowedCountries: { name: 'ALLOWED_COUNTRIES' },
	whatsappCountries: { name: 'WHATSAPP_COUNTRIES' },
	whatsappFrom: { name: 'TWILIO_WHATSAPP_FROM' },
	whatsappContentSid: { name: 'TWILIO_WHATSAPP_CONTENT_SID' },
	allowedNumberTypes: { name: 'ALLOWED_NUMBER_TYPES' },
	enrollmentVelocity: { name: 'ENROLLMENT_VELOCITY' },
	lookup: { name: 'TWILIO_LOOKUP' },
	lookupMaxRisk: { name: 'TWILIO_LOOKUP_MAX_RISK' },
	lookupFail: { name: 'TWILIO_LOOKUP_FAIL' },
};
const SECRET_NAMES = Object.fromEntries(Object.entries(SECRETS).map(([key, secret]) => [key, secret.name]));
Object.values(SECRETS).map((secret) => secret.name);
const CONFIDENTIAL_SECRETS = Object.values(SECRETS)
	.filter((secret) => 'confidential' in secret)
	.map((secret) => secret.name);
const HOME_EDGES = { us1: undefined, ie1: 'dublin', au1: 'sydney' };
function twilioHost(product, region, edge) {
	const hostRegion = region ?? (edge === undefined ? undefined : DEFAULT_REGION);
	return [product, edge, hostRegion, 'twilio.com'].filter((part) => part !== undefined).join('.');
}
const VOICE_NAME = /^\p{L}[\p{L}\p{N}._-]{0,63}$/u;
function notServedIn(region, secretName, product, regions) {
	return new ConfigurationError(`${secretName} cannot be used with TWILIO_REGION=${region}: Twilio ${product} is served from ${regions} only. Remove one of them.`);
}
function readConfig(secrets, loadPhoneNumberLibrary) {
	const source = typeof secrets === 'object' && secrets !== null ? secrets : {};
	const region = optionalChoice(source, SECRET_NAMES.region, TWILIO_REGIONS, 'a Twilio region');
	const verifyServiceSid = optionalSid(source, SECRET_NAMES.verifyServiceSid, 'VA', 'Verify > Services');
	if (verifyServiceSid !== undefined && region !== undefined && region !== DEFAULT_REGION) {
		throw notServedIn(region, 'TWILIO_VERIFY_SID', 'Verify', 'us1');
	}
	const allowedCountries = secretText(source, SECRET_NAMES.allowedCountries);
	const edge = optionalChoice(source, SECRET_NAMES.edge, TWILIO_EDGES, 'a Twilio edge') ?? (region === undefined ? undefined : HOME_EDGES[region]);
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
		shield: readShield(source, region),
	};
}
function readShield(source, region) {
	const scope = optionalChoice(source, SECRET_NAMES.lookup, LOOKUP_SCOPES, 'a Lookup scope');
	const maxRiskScore = optionalWholeNumber(source, SECRET_NAMES.lookupMaxRisk, 0, MAX_RISK_SCORE) ?? DEFAULT_LOOKUP_MAX_RISK;
	const failure = optionalChoice(source, SECRET_NAMES.lookupFail, LOOKUP_FAILURE_MODES, 'a Lookup failure mode');
	const orphan = [SECRET_NAMES.lookupMaxRisk, SECRET_NAMES.lookupFail].find((name) => secretText(source, name) !== undefined);
	if (scope === undefined && orphan !== undefined)
		throw new ConfigurationError(`${orphan} is set but TWILIO_LOOKUP is not: set it, or remove ${orphan}.`);
	if (scope !== undefined && region !== undefined && !LOOKUP_REGIONS.includes(region)) {
		throw notServedIn(region, 'TWILIO_LOOKUP', 'Lookup v2', 'us1 and ie1');
	}
	const velocityOff = secretText(source, SECRET_NAMES.enrollmentVelocity)?.toLowerCase() === VELOCITY_OFF;
	return {
		...parseAllowedNumberTypes(secretText(source, SECRET_NAMES.allowedNumberTypes), SECRET_NAMES.allowedNumberTypes),
		enrollmentsPerBlock: velocityOff ? undefined : (optionalWholeNumber(source, SECRET_NAMES.enrollmentVelocity, 1, NUMBERS_PER_BLOCK, VELOCITY_OFF) ?? DEFAULT_ENROLLMENTS_PER_BLOCK),
		lookup: scope === undefined ? undefined : { scope, maxRiskScore, failClosed: failure === 'closed' },
	};
}
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
		throw new ConfigurationError(`WHATSAPP_COUNTRIES is set but TWILIO_WHATSAPP_CONTENT_SID is not: set it to your approved authentication template ` +
			`(Messaging > Content Template Builder, "HX…", the code as variable 1), send through Verify (TWILIO_VERIFY_SID), or remove WHATSAPP_COUNTRIES.`);
	}
	const sender = from !== undefined ? { from } : services.messagingServiceSid !== undefined ? { messagingServiceSid: services.messagingServiceSid } : undefined;
	if (sender === undefined) {
		throw new ConfigurationError(`WHATSAPP_COUNTRIES is set but no WhatsApp sender is: set TWILIO_WHATSAPP_FROM to your WhatsApp ` +
			`sender's number, or TWILIO_MESSAGING_SERVICE_SID to a Messaging Service whose sender pool holds it.`);
	}
	return { countries, route: { kind: 'messaging', sender, contentSid } };
}
function optionalWhatsAppNumber(source) {
	const value = secretText(source, SECRET_NAMES.whatsappFrom);
	return value === undefined ? undefined : phoneNumberSecret(value.replace(/^whatsapp:/i, ''), SECRET_NAMES.whatsappFrom);
}
function readCredentials(source) {
	const accountSid = sidSecret(requiredSecret(source, SECRET_NAMES.accountSid), SECRET_NAMES.accountSid, 'AC', 'Account Info');
	const apiKey = secretText(source, SECRET_NAMES.apiKey);
	const apiSecret = secretText(source, SECRET_NAMES.apiSecret);
	if (apiKey !== undefined || apiSecret !== undefined) {
		if (apiKey === undefined) {
			throw new ConfigurationError(`TWILIO_API_SECRET is set but TWILIO_API_KEY is not: add the key's SID ("SK…"), or remove TWILIO_API_SECRET to use TWILIO_AUTH_TOKEN.`);
		}
		sidSecret(apiKey, SECRET_NAMES.apiKey, 'SK', 'Account > API keys & tokens');
		if (apiSecret === undefined) {
			throw new ConfigurationError(`TWILIO_API_KEY is set but TWILIO_API_SECRET is not: add the secret Twilio showed when the key was made (or make a new key).`);
		}
		return { kind: 'api-key', username: apiKey, password: withoutWhitespace(apiSecret, SECRET_NAMES.apiSecret), accountSid };
	}
	const authToken = secretText(source, SECRET_NAMES.authToken);
	if (authToken === undefined) {
		throw new ConfigurationError(`TWILIO_AUTH_TOKEN is not set. Add it (or TWILIO_API_KEY and TWILIO_API_SECRET) to the secrets of the hook or action.`);
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
function sidSecret(value, name, prefix, consolePlace, orElse = '') {
	if (!isSid(value, prefix))
		throw new ConfigurationError(`${name} is malformed: it must be "${prefix}" followed by 32 hex digits (Twilio Console > ${consolePlace})${orElse}.`);
	return value;
}
function optionalSid(source, name, prefix, consolePlace) {
	const value = secretText(source, name);
	return value === undefined ? undefined : sidSecret(value, name, prefix, consolePlace, ', or be removed');
}
function optionalChoice(source, name, choices, what) {
	const value = secretText(source, name)?.toLowerCase();
	const choice = choices.find((known) => known === value);
	if (value !== undefined && choice === undefined) {
		throw new ConfigurationError(`${name} is not ${what} this sender knows: use one of ${choices.join(', ')}, or remove the secret.`);
	}
	return choice;
}
function optionalWholeNumber(source, name, min, max, orElse) {
	const text = secretText(source, name);
	const value = text !== undefined && /^\d{1,4}$/.test(text) ? Number(text) : NaN;
	if (text === undefined || (value >= min && value <= max))
		return text === undefined ? undefined : value;
	throw new ConfigurationError(`${name} must be a whole number from ${min} to ${max}${orElse === undefined ? '' : `, or ${orElse}`}; remove it for the default.`);
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
		throw new ConfigurationError(`TWILIO_VOICE is malformed: use a Twilio voice name such as "Polly.Joanna" or "alice", or remove the secret.`);
	}
	return value;
}

function emptyContainerState() {
	return { whatsapp: new Map(), lookups: new Map(), velocity: new Map() };
}
let container;
function containerState() {
	container ??= emptyContainerState();
	return container;
}

class Deadline {
	budgetMs;
	now;
	expiresAt;
	constructor(budgetMs, now = Date.now) {
		this.budgetMs = budgetMs;
		this.now = now;
		this.expiresAt = now() + budgetMs;
	}
	leaving(ms) {
		return new Deadline(Math.max(0, this.remainingMs() - ms), this.now);
	}
	capped(ms) {
		return new Deadline(Math.min(ms, this.remainingMs()), this.now);
	}
	remainingMs() {
		return Math.max(0, this.expiresAt - this.now());
	}
	elapsedMs() {
		return this.budgetMs - (this.expiresAt - this.now());
	}
	race(work, onExpiry) {
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
	sleep(ms) {
		const wait = Math.min(ms, this.remainingMs());
		return new Promise((resolve) => setTimeout(resolve, wait));
	}
}

const STATUS_POLL_INTERVAL_MS = 400;
const CONFIRM_WINDOW_MS = 3_000;
const MIN_READ_TIME_MS = 200;
const FAILED_STATUSES = new Set(['failed', 'undelivered', 'canceled']);
const DELIVERED_STATUSES = new Set(['delivered', 'read']);
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
		}
	}
}

const NO_FALLBACK_TWILIO_CODES = [
	20003,
	21211,
	60200,
	60203,
	60410,
];
const WHATSAPP_FAILURES = new Map([
	[63003, 'not on WhatsApp'],
	[63007, 'no WhatsApp sender for TWILIO_WHATSAPP_FROM or the Messaging Service'],
	[63016, 'WhatsApp wants an approved template (TWILIO_WHATSAPP_CONTENT_SID)'],
	[63024, 'not a valid WhatsApp recipient'],
	[21656, "the template's variables were refused (TWILIO_WHATSAPP_CONTENT_SID must take the code as variable 1)"],
	[60223, 'WhatsApp is turned off on the Verify service'],
	[68008, 'WhatsApp is not set up on the Verify service'],
]);
function whatsappFailureReason(twilioCode, status) {
	if (twilioCode === undefined)
		return status === undefined ? 'WhatsApp failed' : `WhatsApp reported the message ${status}`;
	return `${WHATSAPP_FAILURES.get(twilioCode) ?? `WhatsApp failed`} (${twilioCode})`;
}
const NUMBER_FAILURE_CODES = [
	63003,
	63024,
];
function isNumberFailure(twilioCode, seenInStatus) {
	return twilioCode === undefined ? seenInStatus : NUMBER_FAILURE_CODES.includes(twilioCode);
}
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

const INITIAL_RETRY_DELAY_MS = 250;
const MAX_RETRY_DELAY_MS = 2_000;
const MAX_ATTEMPTS = 4;
const MIN_ATTEMPT_TIME_MS = 1_000;
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
function retryDelayMs(attempt, random) {
	const ceiling = Math.min(MAX_RETRY_DELAY_MS, INITIAL_RETRY_DELAY_MS * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
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

const FALLBACK_RESERVE_MS = ATTEMPT_TIMEOUT_MS;
async function deliverAlong(routes, context, progress) {
	const { call, deadline } = context;
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
			progress.whatsapp = { outcome: 'refused', twilioCode: verdict.twilioCode };
			progress.fallbackReason = fallback.reason;
			continue;
		}
		const sid = context.echoedSid(created.sid);
		if (route.confirm && sid !== undefined) {
			const confirmation = await confirmDelivery((window) => call((client) => client.messages(sid).fetch(), window, 1), within.capped(CONFIRM_WINDOW_MS));
			progress.whatsapp = confirmation.outcome === 'pending' ? { outcome: 'pending', sid } : confirmation;
			if (confirmation.outcome === 'failed' && hasFallback) {
				progress.fallbackReason = whatsappFailureReason(confirmation.twilioCode, confirmation.status);
				continue;
			}
		}
		return { route, sid };
	}
	throw new Error('no route left');
}

const CODE_PURPOSES = new Set(['enrollment', 'verification']);
const optionalText = (value) => (typeof value === 'string' && value !== '' ? value : undefined);
function senderNumber(from, [field, fix]) {
	try {
		return parsePhoneNumber(from, `The sender phone number Auth0 passed as ${field}`);
	}
	catch (error) {
		if (!(error instanceof InvalidRecipientError))
			throw error;
		throw new ConfigurationError(`${error.message} ${fix}`);
	}
}
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,64}$/;
function correlationIdOf(value) {
	return typeof value === 'string' && CORRELATION_ID.test(value) ? value : undefined;
}
function channelOf({ channel, fields }) {
	return channel === fields.channel[1] ? 'sms' : channel === fields.channel[2] ? 'voice' : undefined;
}
function parseMessage(input) {
	const { text, fields } = input;
	const channel = channelOf(input);
	if (channel === undefined) {
		const [field, sms, voice] = fields.channel;
		throw new InvalidRequestError(`${field} must be "${sms}" or "${voice}" (a text message or a call).`);
	}
	if (typeof text !== 'string')
		throw new InvalidRequestError('The message text from Auth0 is not a string.');
	const to = parsePhoneNumber(input.recipient);
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
		from: from === undefined || fields.from === undefined ? undefined : senderNumber(from, fields.from),
		client: input.client,
		user: input.user,
		correlationId: correlationIdOf(input.correlationId),
	};
}

const MAX_LOG_LINE_LENGTH = 256;
const LOG_PREFIX = 'twilio-phone-message:';
const UNKNOWN_SUBJECT = { channel: 'message', maskedRecipient: 'an unknown recipient' };
function inputSubject(input) {
	return {
		channel: channelOf(input) ?? UNKNOWN_SUBJECT.channel,
		maskedRecipient: typeof input.recipient === 'string' ? maskPhoneNumber(input.recipient) : 'an invalid recipient',
		correlationId: correlationIdOf(input.correlationId),
	};
}
function messageSubject(message) {
	return { channel: message.channel, maskedRecipient: maskPhoneNumber(message.to), correlationId: message.correlationId };
}
const correlation = (correlationId) => (correlationId === undefined ? '' : ` cid=${correlationId}`);
const shieldNotes = (notes) => (notes.length === 0 ? '' : ` shield: ${notes.join('; ')}`);
function deliveredLine(delivery, subject, scrubber, notes = []) {
	const sid = delivery.sid ?? 'unknown';
	const fallback = delivery.fallbackReason === undefined ? '' : ` after whatsapp: ${delivery.fallbackReason}`;
	return finished(`${LOG_PREFIX} sent ${delivery.channel} to ${subject.maskedRecipient} via ${delivery.api} sid=${sid} attempts=${delivery.attempts} ms=${delivery.elapsedMs}${correlation(subject.correlationId)}${fallback}${shieldNotes(notes)}`, scrubber);
}
const finished = (line, scrubber) => truncate(scrubber.clean(line), MAX_LOG_LINE_LENGTH);
function failedLine(subject, error, progress, scrubber) {
	const { attempts, elapsedMs, fallbackReason } = progress;
	if (error instanceof RecipientRefusedError) {
		return finished(`${LOG_PREFIX} refused ${subject.channel} to ${subject.maskedRecipient} by ${error.layer} ms=${elapsedMs}${correlation(subject.correlationId)}${shieldNotes(progress.notes ?? [])}: ${error.message}`, scrubber);
	}
	const twilio = error instanceof TwilioDeliveryError ? error : undefined;
	const fields = [
		`${LOG_PREFIX} failed ${subject.channel} to ${subject.maskedRecipient}`,
		twilio?.twilioCode === undefined ? '' : ` code=${twilio.twilioCode}`,
		twilio?.httpStatus === undefined ? '' : ` http=${twilio.httpStatus}`,
		` attempts=${attempts} ms=${elapsedMs} transient=${error.transient}`,
		correlation(subject.correlationId),
		fallbackReason === undefined ? '' : ` after whatsapp: ${fallbackReason};`,
		shieldNotes(progress.notes ?? []),
		` ${error.name}: ${error.message}`,
	];
	return finished(fields.join(''), scrubber);
}

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

const CODE_VALIDITY_PERIOD_S = 300;
const onWhatsApp = (number) => `whatsapp:${number}`;
function smsRoute(to, body, sender, oneTimeCode) {
	const params = { to, body, ...sender, ...(oneTimeCode ? { validityPeriod: CODE_VALIDITY_PERIOD_S } : {}) };
	return { api: 'messaging', channel: 'sms', confirm: false, send: (client) => client.messages.create(params) };
}
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
const SAY_LANGUAGES = byLowerCase([
	'ca-ES', 'da-DK', 'de-DE', 'en-AU', 'en-CA', 'en-GB', 'en-IN', 'en-US', 'es-ES', 'es-MX', 'fi-FI', 'fr-CA', 'fr-FR',
	'it-IT', 'ja-JP', 'ko-KR', 'nb-NO', 'nl-NL', 'pl-PL', 'pt-BR', 'pt-PT', 'ru-RU', 'sv-SE', 'zh-CN', 'zh-HK', 'zh-TW',
]);
const SAY_LANGUAGE_ALIASES = new Map([
	['en', 'en-US'],
	['fr', 'fr-FR'],
	['no', 'nb-NO'],
	['es-419', 'es-MX'],
	['es-us', 'es-MX'],
	['zh-hant', 'zh-TW'],
]);
const SAY_LANGUAGE_BY_BASE = new Map([...SAY_LANGUAGES.values()].reverse().map((tag) => [tag.slice(0, tag.indexOf('-')).toLowerCase(), tag]));
function byLowerCase(values) {
	return new Map(values.map((value) => [value.toLowerCase(), value]));
}
const VERIFY_LOCALES = byLowerCase([
	'af', 'ar', 'ca', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'es', 'et', 'fi', 'fr', 'he', 'hi', 'hr',
	'hu', 'id', 'it', 'ja', 'ko', 'ms', 'nb', 'nl', 'pl', 'pt', 'pt-BR', 'ro', 'ru', 'sv', 'th', 'tl',
	'tr', 'vi', 'zh', 'zh-CN', 'zh-HK',
]);
function canonicalTag(language) {
	return typeof language === 'string' ? language.trim().replace(/_/g, '-').toLowerCase() : undefined;
}
function sayLanguageFor(language) {
	const tag = canonicalTag(language);
	if (tag === undefined)
		return DEFAULT_SAY_LANGUAGE;
	const base = tag.split('-')[0];
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
	return VERIFY_LOCALES.get(tag) ?? VERIFY_LOCALES.get(tag.split('-')[0]);
}

const PAUSE_BETWEEN_REPETITIONS_S = 1;
const REPETITIONS = 2;
const RING_TIMEOUT_S = 30;
const UNSPEAKABLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
function spellOut(code) {
	return Array.from(code).join(', ');
}
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
function voiceTwiml(twilio, spoken, language, voice) {
	const response = new twilio.twiml.VoiceResponse();
	const attributes = { language: sayLanguageFor(language), voice: voice };
	for (let repetition = 0; repetition < REPETITIONS; repetition++) {
		if (repetition > 0)
			response.pause({ length: PAUSE_BETWEEN_REPETITIONS_S });
		response.say(attributes, spoken);
	}
	return response.toString();
}
function callRoute(to, spoken, language, voice, from) {
	return {
		api: 'voice',
		channel: 'voice',
		confirm: false,
		send: (client, twilio) => client.calls.create({ to, from, twiml: voiceTwiml(twilio, spoken, language, voice), timeout: RING_TIMEOUT_S }),
	};
}

const VERIFY_CHANNELS = { sms: 'sms', voice: 'call', whatsapp: 'whatsapp' };
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

function dispatchOf(config, message) {
	const code = message.oneTimeCode;
	if (config.verifyServiceSid !== undefined && code !== undefined)
		return { kind: 'verify', serviceSid: config.verifyServiceSid, code };
	if (message.text.trim() === '') {
		throw new InvalidRequestError('The message text from Auth0 is empty: check its templates (Security > Multi-factor Auth > Phone Message, or Branding > Phone Provider).');
	}
	if (message.channel === 'voice') {
		const caller = message.from ?? config.phoneNumber;
		if (caller === undefined)
			throw new ConfigurationError(noSenderMessage(config, message));
		return { kind: 'call', from: caller };
	}
	return { kind: 'sms', sender: smsSender(config, message) };
}
function firstProduct(dispatch) {
	return dispatch.kind === 'verify' ? 'verify' : 'api';
}
function whatsappEligible(config, message) {
	return config.whatsapp !== undefined && message.channel === 'sms' && message.oneTimeCode !== undefined && config.whatsapp.countries.includes(message.to);
}
function planRoutes(config, message, dispatch, customize, whatsapp) {
	const code = message.oneTimeCode;
	const whatsappRoute = whatsapp && code !== undefined ? whatsappFirst(config, message, code) : undefined;
	if (dispatch.kind === 'verify') {
		const verification = verificationRoute(dispatch.serviceSid, message.to, message.channel, dispatch.code, message.language);
		return whatsappRoute === undefined ? [verification] : [whatsappRoute, verification];
	}
	if (dispatch.kind === 'call') {
		const spoken = spokenMessage(customizedText(customizationContext(message), customize), message.code);
		return [callRoute(message.to, spoken, message.language, config.voice, dispatch.from)];
	}
	const sms = smsRoute(message.to, customizedText(customizationContext(message), customize), dispatch.sender, code !== undefined);
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
		: 'TWILIO_PHONE_NUMBER is not set: SMS needs a From number (or TWILIO_MESSAGING_SERVICE_SID, or TWILIO_VERIFY_SID).';
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

class LookupUnavailableError extends Error {
	name = 'LookupUnavailableError';
}
function refuse(check, to, why, fix) {
	throw new RecipientRefusedError(check.layer, `The recipient phone number (${maskPhoneNumber(to)}) ${why}; nothing was sent. ${fix}`.trimEnd());
}

const HASH_LENGTH = 10;
const MINUTE_MS$1 = 60_000;
function keyedHash(key, text) {
	return crypto.createHmac('sha256', key).update(text).digest('base64url').slice(0, HASH_LENGTH);
}
const ITEM = new RegExp(`^[A-Za-z0-9_-]{${HASH_LENGTH}}=[^,=@]*@[0-9a-z]{1,9}$`);
class KeptRecords {
	options;
	constructor(options) {
		this.options = options;
	}
	get(key) {
		const hash = this.hash(key);
		const mine = this.options.container.get(hash);
		const cached = mine === undefined || this.options.merge !== undefined ? this.fromCache().get(hash) : undefined;
		const kept = mine !== undefined && cached !== undefined && this.options.merge !== undefined ? this.options.merge(mine, cached) : (mine ?? cached);
		return kept !== undefined && this.fresh(kept) ? kept.record : undefined;
	}
	set(key, record) {
		this.store(this.hash(key), { record, at: this.options.now() });
	}
	delete(key) {
		this.store(this.hash(key), undefined);
	}
	hash(key) {
		return keyedHash(this.options.hashKey, key);
	}
	fresh(kept) {
		return this.options.now() - kept.at < this.options.lifetimeMs;
	}
	store(hash, kept) {
		const { container, share, codec, maxRecords, lifetimeMs, rank = () => 0, timeUnitMs = MINUTE_MS$1 } = this.options;
		container.delete(hash);
		if (kept !== undefined)
			container.set(hash, kept);
		while (container.size > maxRecords)
			container.delete(container.keys().next().value);
		if (share === undefined)
			return;
		const cached = this.fromCache();
		cached.delete(hash);
		const entries = [...(kept === undefined ? [] : [[hash, kept]]), ...cached]
			.filter(([, entry]) => this.fresh(entry))
			.sort(([, a], [, b]) => rank(b.record) - rank(a.record) || b.at - a.at);
		share.write(entries.map(([key, { record, at }]) => `${key}=${codec.encode(record, at)}@${Math.floor(at / timeUnitMs).toString(36)}`), lifetimeMs, hash);
	}
	fromCache() {
		const records = new Map();
		const { share, codec, timeUnitMs = MINUTE_MS$1 } = this.options;
		if (share === undefined)
			return records;
		for (const item of share.read()) {
			if (!ITEM.test(item))
				continue;
			const hash = item.slice(0, HASH_LENGTH);
			const timeStart = item.lastIndexOf('@') + 1;
			const at = parseInt(item.slice(timeStart), 36) * timeUnitMs;
			const record = codec.decode(item.slice(HASH_LENGTH + 1, timeStart - 1), at);
			if (record !== undefined && !records.has(hash))
				records.set(hash, { record, at });
		}
		return records;
	}
}

const LOOKUP_MEMORY_MS = 24 * 60 * 60 * 1000;
const MAX_CONTAINER_RECORDS$1 = 10_000;
const HOUR_MS$1 = 60 * 60 * 1000;
const LOOKUP_CODEC = {
	encode: ({ lineType, blocked, riskScore }) => `${lineType ?? ''}~${blocked === undefined ? '' : Number(blocked)}~${riskScore ?? ''}`,
	decode(text) {
		const match = /^([A-Za-z]{0,20})~([01]?)~(\d{0,3})$/.exec(text);
		if (match === null)
			return undefined;
		const [, lineType, blocked, score] = match;
		return { lineType: lineType || undefined, blocked: blocked ? blocked === '1' : undefined, riskScore: score ? Number(score) : undefined };
	},
};
function lookupMemory(hashKey, share, container, now = Date.now) {
	return new KeptRecords({ hashKey, timeUnitMs: HOUR_MS$1, container, share, codec: LOOKUP_CODEC, lifetimeMs: LOOKUP_MEMORY_MS, maxRecords: MAX_CONTAINER_RECORDS$1, now });
}

const allowedCountries = {
	layer: 'countries',
	screen({ config, message }) {
		const refusal = config.allowedCountries?.refusal(message.to);
		if (refusal !== undefined)
			refuse(allowedCountries, message.to, refusal.why, refusal.fix);
	},
};

const costly = (to, what, allow) => refuse(costlyNumbers, to, `is ${what}, which only costs (what SMS pumping is after)`, allowingFix(allow));
const costlyNumbers = {
	layer: 'number-type',
	screen(context) {
		const { shield } = context.config;
		const to = context.message.to;
		const network = NON_GEOGRAPHIC_CALLING_CODES.find((code) => to.startsWith(`+${code}`));
		if (network !== undefined && !shield.allowedNetworks.has(network))
			costly(to, `under +${network}, a calling code of no country`, `+${network}`);
		if (!checksNumberTypes(shield))
			return;
		const library = context.numberMetadata();
		if (library === undefined) {
			context.note(`number types not checked (no ${PHONE_NUMBER_MODULE})`);
			return;
		}
		const type = library.parsePhoneNumberFromString(to)?.getType();
		const refused = COSTLY_NUMBER_TYPES.find((known) => known === type && !shield.allowedTypes.has(known));
		if (refused !== undefined)
			costly(to, `a ${typeWords(refused)} number`, refused.toLowerCase());
	},
};

const LOOKUP_FIELDS = ['line_type_intelligence', 'sms_pumping_risk'];
const LOOKUP_BUDGET_MS = 2_500;
function asks({ config, message }) {
	const lookup = config.shield.lookup;
	return lookup !== undefined && message.oneTimeCode !== undefined && (lookup.scope === 'all' || message.purpose === 'enrollment');
}
const field = (value, name) => (typeof value === 'object' && value !== null ? value[name] : undefined);
function lookupSignals(answer) {
	const [lineType, risk] = LOOKUP_FIELDS.map((name) => field(answer, name));
	const ok = (fields) => field(fields, 'error_code') == null;
	const type = ok(lineType) ? field(lineType, 'type') : undefined;
	const blocked = ok(risk) ? field(risk, 'number_blocked') : undefined;
	const score = ok(risk) ? field(risk, 'sms_pumping_risk_score') : undefined;
	const signals = {
		lineType: typeof type === 'string' && /^[A-Za-z]{1,20}$/.test(type) ? type : undefined,
		blocked: typeof blocked === 'boolean' ? blocked : undefined,
		riskScore: Number.isInteger(score) && score >= 0 && score <= 100 ? score : undefined,
	};
	const code = field(lineType, 'error_code') ?? field(risk, 'error_code');
	return { signals, error: Object.values(signals).some((value) => value !== undefined) ? undefined : `package error ${String(code ?? 'none')}` };
}
async function ask(context, failClosed) {
	const to = context.message.to;
	let reason;
	try {
		const { signals, error } = lookupSignals(await context.lookUp(to, LOOKUP_FIELDS.join(','), context.deadline.capped(LOOKUP_BUDGET_MS)));
		if (error === undefined) {
			context.lookups.set(to, signals);
			return signals;
		}
		reason = error;
	}
	catch (error) {
		reason = error instanceof LookupUnavailableError ? error.message : 'the request failed';
	}
	if (failClosed) {
		refuse(twilioLookup, to, `could not be looked up (${reason}), and TWILIO_LOOKUP_FAIL=closed`, 'Check Lookup in the Twilio Console.');
	}
	context.note(`lookup not consulted (${reason})`);
	return undefined;
}
const twilioLookup = {
	layer: 'lookup',
	connectsTo: (context) => (asks(context) && context.lookups.get(context.message.to) === undefined ? 'lookups' : undefined),
	async screen(context) {
		const settings = context.config.shield.lookup;
		if (settings === undefined || !asks(context))
			return;
		const to = context.message.to;
		const signals = context.lookups.get(to) ?? (await ask(context, settings.failClosed));
		if (signals === undefined)
			return;
		const costly = COSTLY_NUMBER_TYPES.find((type) => LOOKUP_LINE_TYPES[type] === signals.lineType && !context.config.shield.allowedTypes.has(type));
		if (costly !== undefined) {
			refuse(twilioLookup, to, `is a ${typeWords(costly)} line, Twilio Lookup says`, allowingFix(costly.toLowerCase()));
		}
		if (signals.blocked === true)
			refuse(twilioLookup, to, 'is blocked by Verify Fraud Guard for SMS pumping, Twilio Lookup says', 'Review Console > Verify > Fraud Guard if it is not.');
		if (signals.riskScore !== undefined && signals.riskScore > settings.maxRiskScore) {
			refuse(twilioLookup, to, `has an SMS pumping risk score of ${signals.riskScore} from Twilio Lookup, above TWILIO_LOOKUP_MAX_RISK (${settings.maxRiskScore})`, `Raise TWILIO_LOOKUP_MAX_RISK if legitimate users are refused.`);
		}
	},
};

const VELOCITY_WINDOW_MS = 60 * 60 * 1000;
const MAX_CONTAINER_BLOCKS = 10_000;
const MINUTE_MS = 60_000;
const BLOCK_CODEC = {
	encode: (numbers, at) => [...numbers].map(([digits, counted]) => `${digits}${Math.round((at - counted) / MINUTE_MS).toString(36)}`).join('.'),
	decode(text, at) {
		const entries = text.split('.');
		if (!entries.every((entry) => /^\d{3}[0-9a-z]{1,2}$/.test(entry)))
			return undefined;
		return new Map(entries.map((entry) => [entry.slice(0, 3), at - parseInt(entry.slice(3), 36) * MINUTE_MS]));
	},
};
function merge(mine, cached) {
	const numbers = new Map(mine.record);
	for (const [digits, at] of cached.record)
		numbers.set(digits, Math.min(at, numbers.get(digits) ?? at));
	return { record: numbers, at: Math.max(mine.at, cached.at) };
}
function velocityCounts(hashKey, share, container, now = Date.now) {
	return new KeptRecords({
		hashKey,
		container,
		share,
		codec: BLOCK_CODEC,
		lifetimeMs: VELOCITY_WINDOW_MS,
		maxRecords: MAX_CONTAINER_BLOCKS,
		now,
		rank: (numbers) => numbers.size,
		merge,
	});
}
function admit(counts, number, limit, now = Date.now()) {
	const block = number.slice(0, -3);
	const digits = number.slice(-3);
	const numbers = new Map([...(counts.get(block) ?? [])].filter(([, at]) => at > now - VELOCITY_WINDOW_MS));
	const counted = numbers.size;
	const admitted = numbers.has(digits) || counted < limit;
	if (admitted && !numbers.has(digits))
		counts.set(block, numbers.set(digits, now));
	return { admitted, counted };
}

const enrollmentVelocity = {
	layer: 'velocity',
	screen({ config, message, velocity }) {
		const limit = config.shield.enrollmentsPerBlock;
		if (limit === undefined || message.purpose !== 'enrollment' || message.oneTimeCode === undefined)
			return;
		const { admitted, counted } = admit(velocity, message.to, limit);
		if (admitted)
			return;
		refuse(enrollmentVelocity, message.to, `is new to a block of 1,000 where ${counted} got enrollment codes this hour, ENROLLMENT_VELOCITY's cap (sequential enrollments mark SMS pumping)`, `Raise ENROLLMENT_VELOCITY if your users truly enroll numbers of one range.`);
	},
};

const PRE_SEND_CHECKS = [allowedCountries, costlyNumbers, enrollmentVelocity, twilioLookup];
async function screenMessage(context) {
	for (const check of PRE_SEND_CHECKS)
		await check.screen(context);
}
function screenProducts(context) {
	return PRE_SEND_CHECKS.flatMap((check) => check.connectsTo?.(context) ?? []);
}

const WHATSAPP_MEMORY_MS = 24 * 60 * 60 * 1000;
const LAST_STATUS_READ_MS = 2_000;
const MAX_CONTAINER_RECORDS = 1_000;
const HOUR_MS = 60 * 60 * 1000;
const WHATSAPP_CODEC = {
	encode: (record) => (record.kind === 'pending' ? record.sid.charAt(0) + Buffer.from(record.sid.slice(2), 'hex').toString('base64url') : `x${record.twilioCode ?? ''}`),
	decode(text) {
		if (/^[SM][A-Za-z0-9_-]{22}$/.test(text))
			return { kind: 'pending', sid: `${text.charAt(0)}M${Buffer.from(text.slice(1), 'base64url').toString('hex')}` };
		const code = /^x(\d{0,6})$/.exec(text)?.[1];
		return code === undefined ? undefined : { kind: 'undeliverable', twilioCode: code === '' ? undefined : Number(code) };
	},
};
function whatsappMemory(hashKey, share, container, now = Date.now) {
	return new KeptRecords({
		hashKey,
		timeUnitMs: HOUR_MS,
		container,
		share,
		codec: WHATSAPP_CODEC,
		lifetimeMs: WHATSAPP_MEMORY_MS,
		maxRecords: MAX_CONTAINER_RECORDS,
		now,
		rank: (record) => (record.kind === 'undeliverable' ? 1 : 0),
	});
}
async function whatsappStanding(memory, to, readStatus) {
	const known = memory.get(to);
	if (known === undefined)
		return undefined;
	if (known.kind === 'undeliverable')
		return `earlier: ${whatsappFailureReason(known.twilioCode)}`;
	let last;
	try {
		last = statusOutcome(await readStatus(known.sid));
	}
	catch {
	}
	if (last?.outcome === 'delivered') {
		memory.delete(to);
		return undefined;
	}
	const twilioCode = last?.outcome === 'failed' ? last.twilioCode : undefined;
	if (!isNumberFailure(twilioCode, true))
		memory.delete(to);
	else
		memory.set(to, { kind: 'undeliverable', twilioCode });
	return last?.outcome === 'failed' ? `earlier: ${whatsappFailureReason(twilioCode, last.status)}` : 'the last code sent on WhatsApp was not delivered';
}
function rememberWhatsApp(memory, to, result) {
	if (result.outcome === 'pending') {
		if (isSid(result.sid, 'SM', 'MM'))
			memory.set(to, { kind: 'pending', sid: result.sid });
	}
	else if (result.outcome !== 'delivered' && isNumberFailure(result.twilioCode, result.outcome === 'failed'))
		memory.set(to, { kind: 'undeliverable', twilioCode: result.twilioCode });
	else if (result.outcome !== 'refused')
		memory.delete(to);
}

const SEND_DEADLINE_MS = 10_000;
function confidentialValues(secrets) {
	const raw = (name) => {
		const value = secrets?.[name];
		return typeof value === 'string' ? value.trim() : undefined;
	};
	const basic = (user, secret) => {
		const [username, password] = [raw(user), raw(secret)];
		if (!username || !password)
			return [];
		const credential = Buffer.from(`${username}:${password}`);
		return [credential.toString('base64'), credential.toString('base64').replace(/=/g, ''), credential.toString('base64url')];
	};
	return [
		...CONFIDENTIAL_SECRETS.map(raw),
		...basic(SECRET_NAMES.accountSid, SECRET_NAMES.authToken),
		...basic(SECRET_NAMES.apiKey, SECRET_NAMES.apiSecret),
	];
}
function lookupUnavailable(caught) {
	const verdict = retriesExhausted(caught)?.advice;
	const why = verdict?.twilioCode !== undefined ? `error ${verdict.twilioCode}` : caught instanceof SyntaxError ? 'not JSON' : verdict?.transient ? 'no answer' : 'refused';
	return new LookupUnavailableError(why);
}
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
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
async function sendPhoneMessage(readRequest, dependencies) {
	const deadlineMs = dependencies.deadlineMs ?? SEND_DEADLINE_MS;
	const deadline = new Deadline(deadlineMs);
	let scrubber = new Scrubber([]);
	let subject = UNKNOWN_SUBJECT;
	const progress = { attempts: 0, fallbackReason: undefined };
	const notes = [];
	try {
		const { secrets, message: input } = readRequest();
		scrubber = new Scrubber([...confidentialValues(secrets), input.code]);
		subject = inputSubject(input);
		const config = readConfig(secrets, dependencies.phoneNumberLibrary);
		const message = parseMessage(input);
		subject = messageSubject(message);
		const dispatch = dispatchOf(config, message);
		const transport = dependencies.transport ?? sharedTransport();
		const container = dependencies.container ?? containerState();
		const cache = new CacheBudget(dependencies.cache);
		const { username, password } = config.credentials;
		let twilioModule;
		let connecting = Promise.resolve();
		const loadTwilio = async () => {
			await connecting;
			twilioModule ??= dependencies.twilio();
			return twilioModule;
		};
		const call = async (request, within, attemptNumber) => {
			const twilio = await loadTwilio();
			const abandon = new AbortController();
			const limits = { timeoutMs: Math.min(ATTEMPT_TIMEOUT_MS, within.remainingMs()), signal: abandon.signal };
			const httpClient = transport.forAttempt(limits);
			const sending = Promise.resolve().then(() => request(twilio(username, password, clientOptions(config, httpClient)), twilio));
			try {
				return await within.race(sending, () => {
					abandon.abort();
					return new DeadlineExceededError(notAnswered(deadlineMs, attemptsText(attemptNumber)));
				});
			}
			catch (error) {
				const accepted = httpClient.acceptedStatus;
				throw accepted === undefined || error instanceof OversizedAnswerError ? error : new UnreadAcceptanceError(accepted, error);
			}
		};
		const retryOptions = { advise: (error) => classify(error, scrubber), random: dependencies.random };
		let library;
		const screen = {
			config,
			message,
			numberMetadata: () => (library ??= { loaded: loadNumberMetadata(dependencies.phoneNumberLibrary) }).loaded,
			velocity: velocityCounts(password, cache.share('velocity'), container.velocity),
			lookups: lookupMemory(password, cache.share('lookup'), container.lookups),
			lookUp: async (number, fields, within) => {
				const uri = `https://${twilioHost('lookups', undefined, undefined)}/v2/PhoneNumbers/${encodeURIComponent(number)}`;
				try {
					const { value } = await retry((attempt) => call((client) => client.request({ method: 'get', uri, params: { Fields: fields } }), within, attempt), { ...retryOptions, deadline: within });
					return JSON.parse(value.body);
				}
				catch (caught) {
					throw lookupUnavailable(caught);
				}
			},
			deadline,
			note: (text) => notes.push(text),
		};
		const products = [firstProduct(dispatch), ...screenProducts(screen)];
		const opening = products.flatMap((product) => transport.preconnect?.(`https://${twilioHost(product, config.region, config.edge)}`) ?? []);
		if (opening.length > 0) {
			connecting = Promise.all(opening);
			await nextTurn();
		}
		await screenMessage(screen);
		const memory = whatsappMemory(password, cache.share('whatsapp'), container.whatsapp);
		const whatsapp = whatsappEligible(config, message);
		if (whatsapp)
			progress.fallbackReason = await whatsappStanding(memory, message.to, (sid) => call((client) => client.messages(sid).fetch(), deadline.capped(LAST_STATUS_READ_MS), 1));
		const routes = planRoutes(config, message, dispatch, dependencies.customize, whatsapp && progress.fallbackReason === undefined);
		await loadTwilio();
		const context = {
			call,
			deadline,
			retry: retryOptions,
			echoedSid: (sid) => (isSid(sid) && scrubber.clean(sid) === sid ? sid : undefined),
		};
		let delivered;
		try {
			delivered = await deliverAlong(routes, context, progress);
		}
		finally {
			if (progress.whatsapp !== undefined)
				rememberWhatsApp(memory, message.to, progress.whatsapp);
		}
		const { route, sid } = delivered;
		const delivery = {
			api: route.api,
			channel: route.channel,
			sid,
			attempts: progress.attempts,
			elapsedMs: deadline.elapsedMs(),
			...(progress.fallbackReason === undefined ? {} : { fallbackReason: scrubber.clean(progress.fallbackReason) }),
		};
		dependencies.log(deliveredLine(delivery, subject, scrubber, notes));
		return delivery;
	}
	catch (caught) {
		const exhausted = retriesExhausted(caught);
		const error = exhausted === undefined ? asPhoneMessageError(caught) : exhausted.advice.toError(exhausted.attempts);
		error.message = scrubber.clean(error.message);
		dependencies.log(failedLine(subject, error, { ...progress, elapsedMs: deadline.elapsedMs(), notes }, scrubber));
		throw error;
	}
}

function customizeMessage(message) {
	return message.text;
}

function auth0RuntimeDependencies(api) {
	return {
		twilio: () => loadTwilio(() => require('twilio')),
		phoneNumberLibrary: () => require('libphonenumber-js/max'),
		log: (line) => console.log(line),
		customize: customizeMessage,
		cache: actionCache(),
	};
}
function actionCache(api) {
	return undefined;
}

function answerOnce(callback, log) {
	let answered = false;
	return (error, response) => {
		if (answered)
			return;
		answered = true;
		try {
			callback(error, response);
		}
		catch (thrown) {
			const name = kindOf(thrown);
			log(`${LOG_PREFIX} the hook's callback threw an exception (${name}); Auth0 may not have received the answer.`);
		}
	};
}

const SEND_PHONE_MESSAGE_PURPOSES = new Map([
	['enrollment', 'enrollment'],
	['second-factor-authentication', 'verification'],
]);
const HOOK_FIELDS = { channel: ['context.message_type', 'sms', 'voice'] };

function optionalString(value) {
	return typeof value === 'string' ? value : undefined;
}
function hookRequest(recipient, text, hookContext) {
	const context = typeof hookContext === 'object' && hookContext !== null ? hookContext : {};
	const client = context.client ?? context;
	const metadata = client.client_metadata;
	return {
		secrets: context.webtask?.secrets,
		message: {
			recipient,
			text,
			code: context.code,
			channel: context.message_type,
			fields: HOOK_FIELDS,
			purpose: SEND_PHONE_MESSAGE_PURPOSES.get(context.action),
			auth0: { trigger: 'send-phone-message-hook', messageType: optionalString(context.action) },
			language: context.language,
			from: undefined,
			client: {
				id: optionalString(client.client_id),
				name: optionalString(client.name),
				metadata: typeof metadata === 'object' && metadata !== null ? metadata : {},
			},
			user: context.user,
		},
	};
}

function toHookError(error) {
	if (typeof SendPhoneMessageError !== 'function')
		return error;
	const runtimeError = new SendPhoneMessageError(error.message, error.friendlyMessage);
	const twilioCode = error instanceof TwilioDeliveryError ? error.twilioCode : undefined;
	return Object.assign(runtimeError, { transient: error.transient }, twilioCode === undefined ? {} : { twilioCode });
}
function sendPhoneMessageHook(recipient, text, context, cb) {
	const dependencies = auth0RuntimeDependencies();
	const answer = answerOnce(cb, dependencies.log);
	sendPhoneMessage(() => hookRequest(recipient, text, context), dependencies)
		.then(({ api, channel, sid, fallbackReason }) => answer(null, { api, channel, sid, ...(fallbackReason === undefined ? {} : { fallbackReason }) }), (error) => {
		const reported = asPhoneMessageError(error);
		let hookError = reported;
		try {
			hookError = toHookError(reported);
		}
		catch {
		}
		answer(hookError);
	})
		.catch((thrown) => answer(new Error(`The sender failed unexpectedly (${kindOf(thrown)}).`)));
}
module.exports = sendPhoneMessageHook;
