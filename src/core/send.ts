import { CacheBudget, type KeyValueCache } from './cache-budget';
import { attemptsText, classify, notAnswered, type Verdict } from './classify';
import { CONFIDENTIAL_SECRETS, readConfig, SECRET_NAMES, twilioHost, type SenderConfig, type TwilioProduct } from './config';
import { containerState, type ContainerState } from './container';
import type { Customizer } from './customization';
import { Deadline } from './deadline';
import { deliverAlong, type Progress, type RouteContext } from './deliver';
import { asPhoneMessageError, DeadlineExceededError } from './errors';
import { deliveredLine, failedLine, inputSubject, messageSubject, UNKNOWN_SUBJECT, type LogSubject } from './log-line';
import { parseMessage, type Delivery, type PhoneMessageInput } from './message';
import { loadNumberMetadata, type PhoneNumberLibrary } from './number-metadata';
import type { E164 } from './phone';
import { dispatchOf, firstProduct, planRoutes, whatsappEligible } from './plan';
import { retry, RetryExhaustedError } from './retry';
import type { Call } from './route';
import { LookupUnavailableError, type ScreenContext } from './screen/check';
import { lookupMemory } from './screen/lookup-memory';
import { screenMessage, screenProducts } from './screen/screen';
import { velocityCounts } from './screen/velocity-counts';
import { Scrubber } from './scrub';
import { isSid } from './sid';
import { ATTEMPT_TIMEOUT_MS, OversizedAnswerError, sharedTransport, UnreadAcceptanceError, type AttemptLimits } from './transport';
import { LAST_STATUS_READ_MS, rememberWhatsApp, whatsappMemory, whatsappStanding } from './whatsapp-memory';
import type { TwilioClientOptions, TwilioHttpClient, TwilioModule } from './twilio-module';

/** Half the 20 s Auth0 gives a hook, retries and fallback included: Auth0 reports our error, not its timeout. */
export const SEND_DEADLINE_MS = 10_000;

export type LogLine = (line: string) => void;

/** What an entry reads from Auth0's event or context: the secrets and the message, raw. */
export interface SendRequest {
  secrets: unknown;
  message: PhoneMessageInput;
}

export interface SenderDependencies {
  /** Returns `require('twilio')` of the runtime: the version the tenant declared. */
  twilio: () => TwilioModule;
  /** Returns the runtime's `libphonenumber-js` (its `max` build); throws where the runtime has none. */
  phoneNumberLibrary: () => unknown;
  /** Where the one line per outcome goes; `console.log` in Auth0's runtimes. */
  log: LogLine;
  /** The adopter's customization, handed in by the entry. */
  customize: Customizer;
  /** Auth0's `api.cache` where the trigger has one: what the container remembers reaches the others through it. */
  cache?: KeyValueCache | undefined;
  /** What this container remembers between sends; the container's own by default. */
  container?: ContainerState;
  /**
   * Makes the `httpClient` of each attempt, and opens a connection ahead when it can (a promise
   * of its TCP handshake, or nothing when none was opened); the container's keep-alive transport
   * by default.
   */
  transport?: { forAttempt(limits: AttemptLimits): TwilioHttpClient; preconnect?(origin: string): Promise<void> | undefined | void };
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
function confidentialValues(secrets: unknown): Array<string | undefined> {
  // The scrubber takes text only, trimmed, and skips what is too short to be a secret.
  const raw = (name: string): string | undefined => {
    const value = (secrets as Partial<Record<string, unknown>> | null | undefined)?.[name];
    return typeof value === 'string' ? value.trim() : undefined;
  };
  const basic = (user: string, secret: string): string[] => {
    const [username, password] = [raw(user), raw(secret)];
    if (!username || !password) return [];
    const credential = Buffer.from(`${username}:${password}`);
    // Longest first in the scrubber: the padded form goes whole, and its body alone wherever the padding differs.
    return [credential.toString('base64'), credential.toString('base64').replace(/=/g, ''), credential.toString('base64url')];
  };
  return [
    ...CONFIDENTIAL_SECRETS.map(raw),
    ...basic(SECRET_NAMES.accountSid, SECRET_NAMES.authToken),
    ...basic(SECRET_NAMES.apiKey, SECRET_NAMES.apiSecret),
  ];
}

/** Why Lookup could not be consulted, in a few words for the log line: `error 20003`, `no answer`. */
function lookupUnavailable(caught: unknown): LookupUnavailableError {
  const verdict = retriesExhausted(caught)?.advice;
  const why = verdict?.twilioCode !== undefined ? `error ${verdict.twilioCode}` : caught instanceof SyntaxError ? 'not JSON' : verdict?.transient ? 'no answer' : 'refused';
  return new LookupUnavailableError(why);
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

/** After a connection was asked for: its connect goes out before a synchronous load holds the event loop. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Delivers one message through Twilio within one deadline, and logs one line. The request is read
 * inside the guard, so an event whose fields throw is reported like any other bad input. Rejects
 * with a `PhoneMessageError` whose message is scrubbed.
 *
 * parse (the secrets and the message) → screen (the pre-send checks, while the connections
 * ahead open) → plan (the routes) → send (along the routes) → classify and scrub what failed.
 */
export async function sendPhoneMessage(readRequest: () => SendRequest, dependencies: SenderDependencies): Promise<Delivery> {
  const deadlineMs = dependencies.deadlineMs ?? SEND_DEADLINE_MS;
  const deadline = new Deadline(deadlineMs);
  let scrubber = new Scrubber([]);
  let subject: LogSubject = UNKNOWN_SUBJECT;
  const progress: Progress = { attempts: 0, fallbackReason: undefined };
  const notes: string[] = [];
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

    let twilioModule: TwilioModule | undefined;
    let connecting: Promise<unknown> = Promise.resolve();
    // twilio loads once the connections ahead are under way: the load holds the event loop.
    const loadTwilio = async (): Promise<TwilioModule> => {
      await connecting;
      twilioModule ??= dependencies.twilio();
      return twilioModule;
    };
    // A client per attempt is cheap (the pool is the transport's) and carries its own limit and abort.
    const call: Call = async (request, within, attemptNumber) => {
      const twilio = await loadTwilio();
      const abandon = new AbortController();
      const limits: AttemptLimits = { timeoutMs: Math.min(ATTEMPT_TIMEOUT_MS, within.remainingMs()), signal: abandon.signal };
      const httpClient = transport.forAttempt(limits);
      const sending = Promise.resolve().then(() => request(twilio(username, password, clientOptions(config, httpClient)), twilio));
      try {
        return await within.race(sending, () => {
          abandon.abort();
          return new DeadlineExceededError(notAnswered(deadlineMs, attemptsText(attemptNumber)));
        });
      } catch (error) {
        // Once Twilio accepted the create, a later failure (its body, the deadline, the library reading
        // it) leaves a message out: no retry, no other route. An oversized answer says so itself.
        const accepted = httpClient.acceptedStatus;
        throw accepted === undefined || error instanceof OversizedAnswerError ? error : new UnreadAcceptanceError(accepted, error);
      }
    };
    const retryOptions = { advise: (error: unknown) => classify(error, scrubber), random: dependencies.random };
    let library: { loaded: PhoneNumberLibrary | undefined } | undefined;
    const screen: ScreenContext = {
      config,
      message,
      numberMetadata: () => (library ??= { loaded: loadNumberMetadata(dependencies.phoneNumberLibrary) }).loaded,
      velocity: velocityCounts(password, cache.share('velocity'), container.velocity),
      lookups: lookupMemory(password, cache.share('lookup'), container.lookups),
      lookUp: async (number: E164, fields: string, within: Deadline) => {
        const uri = `https://${twilioHost('lookups', undefined, undefined)}/v2/PhoneNumbers/${encodeURIComponent(number)}`;
        try {
          const { value } = await retry((attempt) => call((client) => client.request({ method: 'get', uri, params: { Fields: fields } }), within, attempt), { ...retryOptions, deadline: within });
          return JSON.parse(value.body) as unknown;
        } catch (caught) {
          throw lookupUnavailable(caught);
        }
      },
      deadline,
      note: (text) => notes.push(text),
    };

    // Connect ahead to what the send calls first, and to Lookup when a check will ask it, so that the
    // handshakes overlap the screen and the loading of twilio.
    const products: TwilioProduct[] = [firstProduct(dispatch), ...screenProducts(screen)];
    const opening = products.flatMap((product) => transport.preconnect?.(`https://${twilioHost(product, config.region, config.edge)}`) ?? []);
    if (opening.length > 0) {
      connecting = Promise.all(opening);
      await nextTurn();
    }
    await screenMessage(screen);

    // WhatsApp, for a code it may carry, unless the memory of the number says it cannot deliver.
    const memory = whatsappMemory(password, cache.share('whatsapp'), container.whatsapp);
    const whatsapp = whatsappEligible(config, message);
    if (whatsapp) progress.fallbackReason = await whatsappStanding(memory, message.to, (sid) => call((client) => client.messages(sid).fetch(), deadline.capped(LAST_STATUS_READ_MS), 1));
    const routes = planRoutes(config, message, dispatch, dependencies.customize, whatsapp && progress.fallbackReason === undefined);
    await loadTwilio();
    const context: RouteContext = {
      call,
      deadline,
      retry: retryOptions,
      // Only a well-formed SID, which holds no secret, is echoed.
      echoedSid: (sid) => (isSid(sid) && scrubber.clean(sid) === sid ? sid : undefined),
    };
    let delivered: Awaited<ReturnType<typeof deliverAlong>>;
    try {
      delivered = await deliverAlong(routes, context, progress);
    } finally {
      // What WhatsApp did is learnt whether the send then succeeds or not.
      if (progress.whatsapp !== undefined) rememberWhatsApp(memory, message.to, progress.whatsapp);
    }
    const { route, sid } = delivered;
    const delivery: Delivery = {
      api: route.api,
      channel: route.channel,
      sid,
      attempts: progress.attempts,
      elapsedMs: deadline.elapsedMs(),
      ...(progress.fallbackReason === undefined ? {} : { fallbackReason: scrubber.clean(progress.fallbackReason) }),
    };
    dependencies.log(deliveredLine(delivery, subject, scrubber, notes));
    return delivery;
  } catch (caught) {
    const exhausted = retriesExhausted(caught);
    const error = exhausted === undefined ? asPhoneMessageError(caught) : exhausted.advice.toError(exhausted.attempts);
    // Every text that leaves passes the scrubber, whoever wrote it.
    error.message = scrubber.clean(error.message);
    dependencies.log(failedLine(subject, error, { ...progress, elapsedMs: deadline.elapsedMs(), notes }, scrubber));
    throw error;
  }
}
