import { attemptsText, classify, type Verdict } from './classify';
import { CONFIDENTIAL_SECRETS, readConfig, type SenderConfig } from './config';
import type { Customizer } from './customization';
import { Deadline } from './deadline';
import { asPhoneMessageError, DeadlineExceededError } from './errors';
import { deliveredLine, failedLine, inputSubject, messageSubject, UNKNOWN_SUBJECT, type LogSubject } from './log-line';
import { parseMessage, type Delivery, type PhoneMessageInput } from './message';
import { planRequest } from './plan';
import { retry, RetryExhaustedError } from './retry';
import { Scrubber } from './scrub';
import { ATTEMPT_TIMEOUT_MS, sharedTransport, type AttemptLimits } from './transport';
import type { CreatedResource, TwilioClient, TwilioClientOptions, TwilioHttpClient, TwilioModule } from './twilio-module';

/** The whole send, retries included, ends by then: half of the 20 s Auth0 gives a hook. */
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
  /** Returns the runtime's `libphonenumber-js` (its `max` build); called only when ALLOWED_COUNTRIES is set. */
  phoneNumberLibrary: () => unknown;
  /** Where the one line per outcome goes; `console.log` in Auth0's runtimes. */
  log: LogLine;
  /** The adopter's customization, handed in by the entry. */
  customize: Customizer;
  /** Makes the `httpClient` of each attempt; the container's keep-alive transport by default. */
  transport?: { forAttempt(limits: AttemptLimits): TwilioHttpClient };
  /** Default `SEND_DEADLINE_MS`. */
  deadlineMs?: number;
  /** For tests: the jitter of the retry waits. */
  random?: () => number;
}

/** The values that must never appear in any text that leaves: the raw secrets, before any parsing. */
function confidentialValues(secrets: unknown): unknown[] {
  if (typeof secrets !== 'object' || secrets === null) return [];
  return CONFIDENTIAL_SECRETS.map((name) => (secrets as Record<string, unknown>)[name]);
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
 * Delivers one message through Twilio: reads the request (inside the guard, so that an event
 * whose fields throw when read is reported like any other bad input), parses the secrets and the
 * message, plans the request, sends it in attempts within one deadline, and logs one line.
 * Resolves with the delivery or rejects with a `PhoneMessageError` whose message is scrubbed: no
 * secret, no code, every phone number masked.
 */
export async function sendPhoneMessage(readRequest: () => SendRequest, dependencies: SenderDependencies): Promise<Delivery> {
  const deadlineMs = dependencies.deadlineMs ?? SEND_DEADLINE_MS;
  const deadline = new Deadline(deadlineMs);
  let scrubber = new Scrubber([]);
  let subject: LogSubject = UNKNOWN_SUBJECT;
  try {
    const { secrets, message: input } = readRequest();
    scrubber = new Scrubber([...confidentialValues(secrets), input.code]);
    subject = inputSubject(input);
    const twilio = dependencies.twilio();
    const config = readConfig(secrets, dependencies.phoneNumberLibrary);
    const message = parseMessage(input, config.allowedCountries);
    subject = messageSubject(message);
    const plan = planRequest(twilio, config, message, dependencies.customize);
    const transport = dependencies.transport ?? sharedTransport();
    const { username, password } = config.credentials;

    // A client per attempt costs a few microseconds (the pool of connections is the transport's,
    // kept for the container) and lets each attempt carry its own time limit and abort.
    const attempt = (attemptNumber: number): Promise<CreatedResource> => {
      const abandon = new AbortController();
      const limits: AttemptLimits = { timeoutMs: Math.min(ATTEMPT_TIMEOUT_MS, deadline.remainingMs()), signal: abandon.signal };
      const sending = Promise.resolve().then(() => {
        const client: TwilioClient = twilio(username, password, clientOptions(config, transport.forAttempt(limits)));
        return plan.send(client);
      });
      return deadline.race(sending, () => {
        abandon.abort();
        return new DeadlineExceededError(`Twilio did not answer within ${deadlineMs} ms (${attemptsText(attemptNumber)}); the connection was closed.`);
      });
    };
    const { value, attempts } = await retry(attempt, {
      deadline,
      advise: (error) => classify(error, scrubber),
      ...(dependencies.random === undefined ? {} : { random: dependencies.random }),
    });
    const sid = typeof value.sid === 'string' && TWILIO_SID.test(value.sid) && scrubber.clean(value.sid) === value.sid ? value.sid : undefined;
    const delivery: Delivery = { api: plan.api, channel: message.channel, sid, attempts, elapsedMs: deadline.elapsedMs() };
    dependencies.log(scrubber.clean(deliveredLine(delivery, subject.maskedRecipient)));
    return delivery;
  } catch (caught) {
    const exhausted = caught instanceof RetryExhaustedError ? (caught as RetryExhaustedError<Verdict>) : undefined;
    const attempts = exhausted?.attempts ?? 0;
    const error = exhausted === undefined ? asPhoneMessageError(caught) : exhausted.advice.toError(attempts);
    // Every text that leaves passes the scrubber, whoever wrote it.
    error.message = scrubber.clean(error.message);
    dependencies.log(scrubber.clean(failedLine(subject, error, attempts, deadline.elapsedMs())));
    throw error;
  }
}
