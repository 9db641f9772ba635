import { attemptsText, classify, type Verdict } from './classify';
import { CONFIDENTIAL_SECRETS, readConfig, SECRET_NAMES, type SenderConfig } from './config';
import type { Customizer } from './customization';
import { Deadline } from './deadline';
import { deliverAlong, earlierWhatsAppFailure, type Call, type Progress, type RouteContext } from './deliver';
import { asPhoneMessageError, DeadlineExceededError } from './errors';
import { deliveredLine, failedLine, inputSubject, messageSubject, UNKNOWN_SUBJECT, type LogSubject } from './log-line';
import { parseMessage, type Delivery, type PhoneMessageInput } from './message';
import { planRoutes, routeHost, whatsappEligible, type Route } from './plan';
import { RetryExhaustedError } from './retry';
import { Scrubber } from './scrub';
import { ATTEMPT_TIMEOUT_MS, OversizedAnswerError, sharedTransport, UnreadAcceptanceError, type AttemptLimits } from './transport';
import { WhatsAppMemory, type KeyValueCache, type WhatsAppRecords } from './whatsapp-memory';
import type { TwilioClientOptions, TwilioHttpClient, TwilioModule } from './twilio-module';

/** Half the 20 s Auth0 gives a hook, retries and fallback included: Auth0 reports our error, not its timeout. */
export const SEND_DEADLINE_MS = 10_000;

/** Twilio's SIDs: two capital letters and 32 hex digits. Only such a SID, holding no secret, is echoed. */
const TWILIO_SID = /^[A-Z]{2}[0-9a-f]{32}$/;

export type LogLine = (line: string) => void;

/** What an entry reads from Auth0's event or context: the secrets and the message, raw. */
export interface SendRequest {
  secrets: unknown;
  message: PhoneMessageInput;
}

export interface SenderDependencies {
  /** Returns `require('twilio')` of the runtime: the version the tenant declared. */
  twilio: () => TwilioModule;
  /** Returns the runtime's `libphonenumber-js` (its `max` build); called only when a secret lists countries. */
  phoneNumberLibrary: () => unknown;
  /** Where the one line per outcome goes; `console.log` in Auth0's runtimes. */
  log: LogLine;
  /** The adopter's customization, handed in by the entry. */
  customize: Customizer;
  /** Auth0's `api.cache` where the trigger has one: numbers whose WhatsApp failed are remembered there too. */
  cache?: KeyValueCache | undefined;
  /** What this container remembers of WhatsApp numbers; the container's own by default. */
  whatsappRecords?: WhatsAppRecords;
  /**
   * Makes the `httpClient` of each attempt, and opens the first connection ahead when it can; the
   * container's keep-alive transport by default.
   */
  transport?: { forAttempt(limits: AttemptLimits): TwilioHttpClient; preconnect?(origin: string): Promise<void> | void };
  /** Default `SEND_DEADLINE_MS`. */
  deadlineMs?: number;
  /** For tests: the jitter of the retry waits. */
  random?: () => number;
}

/**
 * What must never appear in a text that leaves, from the raw secrets: the token and API secret,
 * and the Basic credential each makes with its user (a proxy's error page may echo the header),
 * padded or not (the padding may come percent-encoded) and in base64url.
 */
function confidentialValues(secrets: unknown): string[] {
  if (typeof secrets !== 'object' || secrets === null) return [];
  const raw = (name: string): string | undefined => {
    const value = (secrets as Record<string, unknown>)[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const basic = (user: string, secret: string): string[] => {
    const [username, password] = [raw(user), raw(secret)];
    if (username === undefined || password === undefined) return [];
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
function retriesExhausted(caught: unknown): RetryExhaustedError<Verdict> | undefined {
  try {
    return caught instanceof RetryExhaustedError ? (caught as RetryExhaustedError<Verdict>) : undefined;
  } catch {
    return undefined;
  }
}

function clientOptions(config: SenderConfig, httpClient: TwilioHttpClient): TwilioClientOptions {
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
export async function sendPhoneMessage(readRequest: () => SendRequest, dependencies: SenderDependencies): Promise<Delivery> {
  const deadlineMs = dependencies.deadlineMs ?? SEND_DEADLINE_MS;
  const deadline = new Deadline(deadlineMs);
  let scrubber = new Scrubber([]);
  let subject: LogSubject = UNKNOWN_SUBJECT;
  const progress: Progress = { attempts: 0, fallbackReason: undefined };
  try {
    const { secrets, message: input } = readRequest();
    scrubber = new Scrubber([...confidentialValues(secrets), input.code]);
    subject = inputSubject(input);
    const config = readConfig(secrets, dependencies.phoneNumberLibrary);
    const message = parseMessage(input, config.allowedCountries);
    subject = messageSubject(message);
    const eligibleForWhatsApp = whatsappEligible(config, message);
    const planned = planRoutes(config, message, dependencies.customize, eligibleForWhatsApp);
    let routes: Route[] = planned;
    const transport = dependencies.transport ?? sharedTransport();
    // Nothing left can refuse the message: connect now, so the handshake overlaps loading twilio.
    await transport.preconnect?.(`https://${routeHost(planned[0], config)}`);
    const twilio = dependencies.twilio();
    const { username, password } = config.credentials;

    // A client per attempt is cheap (the pool is the transport's) and carries its own limit and abort.
    const call: Call = async (request, within, attemptNumber) => {
      const abandon = new AbortController();
      const limits: AttemptLimits = { timeoutMs: Math.min(ATTEMPT_TIMEOUT_MS, within.remainingMs()), signal: abandon.signal };
      const httpClient = transport.forAttempt(limits);
      const sending = Promise.resolve().then(() => request(twilio(username, password, clientOptions(config, httpClient)), twilio));
      try {
        return await within.race(sending, () => {
          abandon.abort();
          return new DeadlineExceededError(`Twilio did not answer within ${deadlineMs} ms (${attemptsText(attemptNumber)}); the connection was closed.`);
        });
      } catch (error) {
        // Once Twilio accepted the create, a later failure (its body, the deadline, the library reading
        // it) leaves a message out: no retry, no other route. An oversized answer says so itself.
        const accepted = httpClient.acceptedStatus;
        throw accepted === undefined || error instanceof OversizedAnswerError ? error : new UnreadAcceptanceError(accepted, error);
      }
    };
    const context: RouteContext = {
      call,
      deadline,
      retry: { advise: (error) => classify(error, scrubber), ...(dependencies.random === undefined ? {} : { random: dependencies.random }) },
      memory: new WhatsAppMemory(password, dependencies.cache, dependencies.whatsappRecords),
      to: message.to,
      echoedSid: (sid) => (typeof sid === 'string' && TWILIO_SID.test(sid) && scrubber.clean(sid) === sid ? sid : undefined),
    };
    if (eligibleForWhatsApp) {
      progress.fallbackReason = await earlierWhatsAppFailure(context);
      if (progress.fallbackReason !== undefined) routes = routes.filter((route) => route.channel !== 'whatsapp');
    }
    const { route, sid } = await deliverAlong(routes, context, progress);
    const delivery: Delivery = {
      api: route.api,
      channel: route.channel,
      sid,
      attempts: progress.attempts,
      elapsedMs: deadline.elapsedMs(),
      ...(progress.fallbackReason === undefined ? {} : { fallbackReason: scrubber.clean(progress.fallbackReason) }),
    };
    dependencies.log(deliveredLine(delivery, subject, scrubber));
    return delivery;
  } catch (caught) {
    const exhausted = retriesExhausted(caught);
    const error = exhausted === undefined ? asPhoneMessageError(caught) : exhausted.advice.toError(exhausted.attempts);
    // Every text that leaves passes the scrubber, whoever wrote it.
    error.message = scrubber.clean(error.message);
    dependencies.log(failedLine(subject, error, { ...progress, elapsedMs: deadline.elapsedMs() }, scrubber));
    throw error;
  }
}
