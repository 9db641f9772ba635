import type { SenderConfig } from './config';
import { customizedText, type Customizer, type MessageContext } from './customization';
import { ConfigurationError, InvalidRequestError } from './errors';
import { CODE_PURPOSES, type Delivery, type PhoneMessage } from './message';
import type { CreatedResource, TwilioClient, TwilioModule } from './twilio-module';
import { smsPlan, type SmsSender } from './channels/messaging';
import { callPlan, spokenMessage, voiceTwiml } from './channels/voice';
import { verificationPlan } from './channels/verify';

/** One Twilio request, chosen and built: what an attempt sends. */
export interface Plan {
  api: Delivery['api'];
  send: (client: TwilioClient) => Promise<CreatedResource>;
}

/** The code Verify would deliver as its custom code: a notice (blocked account, password) has none. */
function verifiableCode(message: PhoneMessage): string | undefined {
  return message.purpose === undefined || CODE_PURPOSES.has(message.purpose) ? message.code : undefined;
}

/**
 * Chooses the API (Verify, Programmable Messaging or Voice) and builds its parameters, or throws
 * before any request when it cannot. A pure choice: nothing is sent here.
 */
export function planRequest(twilio: TwilioModule, config: SenderConfig, message: PhoneMessage, customize: Customizer): Plan {
  const code = verifiableCode(message);
  if (config.verifyServiceSid !== undefined && code !== undefined) {
    return verificationPlan(config.verifyServiceSid, message.to, message.channel, code, message.language);
  }
  if (message.text.trim() === '') {
    throw new InvalidRequestError(
      'The message text from Auth0 is empty: check the phone message templates (Security > Multi-factor Auth > Phone Message, or Branding > Phone Provider).',
    );
  }
  if (message.channel === 'voice') {
    const caller = message.from ?? config.phoneNumber;
    if (caller === undefined) throw new ConfigurationError(noSenderMessage(config, message));
    const spoken = spokenMessage(customizedText(customizationContext(message), customize), message.code);
    return callPlan(message.to, voiceTwiml(twilio, spoken, message.language, config.voice), caller);
  }
  return smsPlan(message.to, customizedText(customizationContext(message), customize), smsSender(config, message));
}

/** The sender Auth0 named for this notification, else the Messaging Service, else TWILIO_PHONE_NUMBER. */
function smsSender(config: SenderConfig, message: PhoneMessage): SmsSender {
  if (message.from !== undefined) return { from: message.from };
  if (config.messagingServiceSid !== undefined) return { messagingServiceSid: config.messagingServiceSid };
  if (config.phoneNumber !== undefined) return { from: config.phoneNumber };
  throw new ConfigurationError(noSenderMessage(config, message));
}

function noSenderMessage(config: SenderConfig, message: PhoneMessage): string {
  if (config.verifyServiceSid !== undefined) {
    const what = message.purpose === undefined ? 'this message' : `this ${message.purpose} message`;
    const alternative = message.channel === 'sms' ? ' (or TWILIO_MESSAGING_SERVICE_SID)' : '';
    return `TWILIO_PHONE_NUMBER is not set: ${what} carries no one-time code, so Verify (TWILIO_VERIFY_SID) cannot deliver it; set TWILIO_PHONE_NUMBER${alternative} to send it.`;
  }
  return message.channel === 'voice'
    ? 'TWILIO_PHONE_NUMBER is not set: a voice call needs a From number (a Messaging Service cannot place calls; TWILIO_VERIFY_SID can).'
    : 'TWILIO_PHONE_NUMBER is not set: SMS needs a From number (or TWILIO_MESSAGING_SERVICE_SID, or TWILIO_VERIFY_SID to send through Verify).';
}

function customizationContext(message: PhoneMessage): MessageContext {
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
