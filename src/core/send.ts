import { cachedClient } from './client-cache';
import { readConfig, type TwilioConfig } from './config';
import { customizedText, type Customizer } from './customization';
import { Deadline } from './deadline';
import { ConfigurationError, DeadlineExceededError, InvalidRequestError, PhoneMessageError } from './errors';
import type { Delivery, PhoneMessage, PhoneMessageInput } from './message';
import { maskPhoneNumber, normalizePhoneNumber } from './phone';
import { attemptsText, retry, RetryExhaustedError } from './retry';
import { isRetryable, toDeliveryError } from './twilio-errors';
import type { CreatedResource, TwilioClient, TwilioModule } from './twilio-module';
import { sendSms, smsParams } from './channels/sms';
import { callParams, placeCall, spokenMessage, voiceTwiml } from './channels/voice';
import { startVerification, verificationParams } from './channels/verify';
import { customizeMessage } from '../customize';

/** The whole send, retries included, ends by then: half of the 20 s Auth0 gives a hook. */
export const SEND_DEADLINE_MS = 10_000;

export type LogLine = (line: string) => void;

export interface SenderDependencies {
  /** Returns `require('twilio')` of the runtime: the version the tenant declared. */
  twilio: () => TwilioModule;
  /** Where the one line per outcome goes; `console.log` in Auth0's runtimes. */
  log: LogLine;
  customize?: Customizer;
  deadlineMs?: number;
  /** For tests: the jitter of the retry waits. */
  random?: () => number;
}

interface Plan {
  api: Delivery['api'];
  send: (client: TwilioClient) => Promise<CreatedResource>;
}

/** Chooses the API and builds its parameters, or throws before any request when it cannot. */
function plan(twilio: TwilioModule, config: TwilioConfig, message: PhoneMessage, to: string, customize: Customizer): Plan {
  const from = message.from === undefined ? undefined : normalizePhoneNumber(message.from, 'The sender phone number');
  if (config.verifyServiceSid !== undefined && message.verifiable) {
    if (message.code === undefined || message.code === '') {
      throw new InvalidRequestError('Auth0 sent no one-time code, and Verify needs one as its custom code.');
    }
    const params = verificationParams(to, message.messageType, message.code, message.language);
    const serviceSid = config.verifyServiceSid;
    return { api: 'verify', send: (client) => startVerification(client, serviceSid, params) };
  }
  if (message.text.trim() === '') {
    throw new InvalidRequestError(
      'The message text from Auth0 is empty: check the phone message templates (Security > Multi-factor Auth > Phone Message, or Branding > Phone Provider).',
    );
  }
  if (config.verifyServiceSid !== undefined && from === undefined && config.phoneNumber === undefined) {
    const alternative = message.messageType === 'sms' ? ' (or TWILIO_MESSAGING_SERVICE_SID)' : '';
    if (message.messageType === 'voice' || config.messagingServiceSid === undefined) {
      const what = message.action === undefined ? 'this message' : `a ${message.action} message`;
      throw new ConfigurationError(
        `TWILIO_PHONE_NUMBER is not set: ${what} carries no one-time code, so Verify (TWILIO_VERIFY_SID) cannot deliver it; set TWILIO_PHONE_NUMBER${alternative} to send it.`,
      );
    }
  }
  const text = customizedText(message, customize);
  if (message.messageType === 'voice') {
    const twiml = voiceTwiml(twilio, spokenMessage(text, message.code), message.language, config.voice);
    const params = callParams(config, to, twiml, from);
    return { api: 'voice', send: (client) => placeCall(client, params) };
  }
  const params = smsParams(config, to, text, from);
  return { api: 'messaging', send: (client) => sendSms(client, params) };
}

function checkedMessage(input: PhoneMessageInput): PhoneMessage {
  const { messageType, text } = input;
  if (messageType !== 'sms' && messageType !== 'voice') {
    throw new InvalidRequestError('The message type must be "sms" or "voice".');
  }
  if (typeof text !== 'string') throw new InvalidRequestError('The message text from Auth0 is not a string.');
  return { ...input, messageType, text };
}

/**
 * Delivers one message through Twilio: checks the secrets and the recipient, builds the request,
 * sends it with retries inside one deadline, and logs one line. Resolves with the delivery or
 * rejects with a `PhoneMessageError` whose message is safe to log (no token, no code).
 */
export async function sendPhoneMessage(
  secrets: unknown,
  input: PhoneMessageInput,
  dependencies: SenderDependencies,
): Promise<Delivery> {
  const deadlineMs = dependencies.deadlineMs ?? SEND_DEADLINE_MS;
  const deadline = new Deadline(deadlineMs);
  const channel = input.messageType === 'sms' || input.messageType === 'voice' ? input.messageType : 'message';
  const shownRecipient = typeof input.recipient === 'string' ? maskPhoneNumber(input.recipient) : 'an invalid recipient';
  let secretValues: Array<string | undefined> = [input.code];
  try {
    const message = checkedMessage(input);
    const twilio = dependencies.twilio();
    const config = readConfig(secrets);
    secretValues = [config.authToken, message.code];
    const to = normalizePhoneNumber(message.recipient);
    const { api, send } = plan(twilio, config, message, to, dependencies.customize ?? customizeMessage);
    const client = cachedClient(twilio, config, deadlineMs);

    const attempt = (attemptNumber: number): Promise<CreatedResource> => {
      // The library throws synchronously for some bad parameters; that must become a rejection.
      return deadline.race(
        Promise.resolve().then(() => send(client)),
        () => new DeadlineExceededError(`Twilio did not answer within ${deadlineMs} ms (${attemptsText(attemptNumber)}); Auth0 can ask again.`),
      );
    };
    const { value, attempts: used } = await retry(attempt, {
      deadline,
      isRetryable: (error) => !(error instanceof DeadlineExceededError) && isRetryable(error),
      ...(dependencies.random === undefined ? {} : { random: dependencies.random }),
    });
    const delivery: Delivery = { api, channel: message.messageType, sid: value.sid, attempts: used, elapsedMs: deadline.elapsedMs() };
    dependencies.log(
      `twilio-phone-message: ${channel} to ${maskPhoneNumber(to)} sent via ${api} (${value.sid}) in ${delivery.elapsedMs} ms, ${attemptsText(used)}`,
    );
    return delivery;
  } catch (caught) {
    const exhausted = caught instanceof RetryExhaustedError ? caught : undefined;
    const failure = exhausted === undefined ? caught : exhausted.lastError;
    const error =
      failure instanceof PhoneMessageError ? failure : toDeliveryError(failure, exhausted?.attempts ?? 1, secretValues);
    dependencies.log(
      `twilio-phone-message: ${channel} to ${shownRecipient} failed after ${deadline.elapsedMs()} ms: ${error.name}: ${error.message}`,
    );
    throw error;
  }
}
