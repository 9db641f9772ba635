import type { MessageSender, SenderConfig, TwilioProduct } from './config';
import { customizedText, type Customizer, type MessageContext } from './customization';
import { ConfigurationError, InvalidRequestError } from './errors';
import type { PhoneMessage } from './message';
import type { E164 } from './phone';
import type { Route } from './route';
import { smsRoute, whatsappRoute } from './channels/messaging';
import { callRoute, spokenMessage } from './channels/voice';
import { verificationRoute } from './channels/verify';

/**
 * How a message goes, decided from the secrets and the message alone, before anything is opened:
 * through Verify (a code, when TWILIO_VERIFY_SID is set), as a call from a number, or as an SMS
 * from a sender. What cannot go is refused here, with what to set.
 */
export type Dispatch =
  | { kind: 'verify'; serviceSid: string; code: string }
  | { kind: 'call'; from: E164 }
  | { kind: 'sms'; sender: MessageSender };

export function dispatchOf(config: SenderConfig, message: PhoneMessage): Dispatch {
  const code = message.oneTimeCode;
  if (config.verifyServiceSid !== undefined && code !== undefined) return { kind: 'verify', serviceSid: config.verifyServiceSid, code };
  if (message.text.trim() === '') {
    throw new InvalidRequestError(
      'The message text from Auth0 is empty: check its templates (Security > Multi-factor Auth > Phone Message, or Branding > Phone Provider).',
    );
  }
  if (message.channel === 'voice') {
    const caller = message.from ?? config.phoneNumber;
    if (caller === undefined) throw new ConfigurationError(noSenderMessage(config, message));
    return { kind: 'call', from: caller };
  }
  return { kind: 'sms', sender: smsSender(config, message) };
}

/**
 * The product of the first route `planRoutes` builds, known before it: the connection ahead
 * opens while the message is screened. A WhatsApp code goes through Verify exactly when every
 * code does.
 */
export function firstProduct(dispatch: Dispatch): TwilioProduct {
  return dispatch.kind === 'verify' ? 'verify' : 'api';
}

/** WhatsApp may carry an SMS of a one-time code to a listed country; calls and notices go as Auth0 asked. */
export function whatsappEligible(config: SenderConfig, message: PhoneMessage): boolean {
  return config.whatsapp !== undefined && message.channel === 'sms' && message.oneTimeCode !== undefined && config.whatsapp.countries.includes(message.to);
}

/**
 * The routes to try, in order (WhatsApp then SMS as its fallback, or the one route of Verify,
 * Messaging or Voice), built. Nothing is sent here; every route after the first is a fallback.
 * The customization runs here, and may still refuse the message (InvalidRequestError).
 */
export function planRoutes(config: SenderConfig, message: PhoneMessage, dispatch: Dispatch, customize: Customizer, whatsapp: boolean): [Route, ...Route[]] {
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

function whatsappFirst(config: SenderConfig, message: PhoneMessage, code: string): Route | undefined {
  const route = config.whatsapp?.route;
  if (route === undefined) return undefined;
  if (route.kind === 'verify') {
    return config.verifyServiceSid === undefined ? undefined : verificationRoute(config.verifyServiceSid, message.to, 'whatsapp', code, message.language);
  }
  return whatsappRoute(message.to, code, route.sender, route.contentSid);
}

/** Auth0's sender for this notification, else the Messaging Service, else TWILIO_PHONE_NUMBER. */
function smsSender(config: SenderConfig, message: PhoneMessage): MessageSender {
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
    : 'TWILIO_PHONE_NUMBER is not set: SMS needs a From number (or TWILIO_MESSAGING_SERVICE_SID, or TWILIO_VERIFY_SID).';
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
