import { randomBytes } from 'node:crypto';
import { FakePumpingProtection } from './pumping-protection';
import { twilioErrorBody, type TwilioErrorAnswer } from './twilio-errors';

/**
 * The account's Messages resource as Twilio keeps it: a message is created `queued` (`accepted`
 * through a Messaging Service) and its status moves on only where later reads show it, as SMS and
 * WhatsApp report delivery: `sent`, `delivered` or `read`, or `failed`/`undelivered` with an error
 * code (SMS Pumping Protection's blocks among them: pumping-protection.ts). And the account's WhatsApp: which senders it has, who is on WhatsApp, its templates,
 * and its Verify services' WhatsApp channel.
 *
 * Progress is driven by reads, not by the clock: each fetch of a message moves it one step along
 * its script, and the last step stays, so that a test never races the wall clock. A step may
 * also wait for time (`afterMs` since the create) for runs in real time.
 */

export type MessageStatus = 'accepted' | 'queued' | 'sending' | 'sent' | 'delivered' | 'read' | 'failed' | 'undelivered';

/** One status a message shows, with the error code of a failure. */
export interface StatusStep {
  status: MessageStatus;
  /** Twilio's error code of a `failed` or `undelivered` message: 63003, 63016, 63024, 30003… */
  errorCode?: number;
  /** Not reached before this many milliseconds since the create (real-time runs); by default, the next fetch reaches it. */
  afterMs?: number;
}

/** The statuses successive fetches show after the create, one step per fetch; the last stays. */
export type StatusScript = readonly (MessageStatus | StatusStep)[];

/** Who a WhatsApp recipient is. */
export interface WhatsAppRecipientOptions {
  /** What fetches show after the create; default `sent`, then `delivered`. */
  statuses?: StatusScript;
  /**
   * The recipient wrote to the business in the last 24 hours: a free-form `Body` is delivered.
   * Default false: a `Body` without `ContentSid` fails with 63016 after the create, as a
   * business-initiated WhatsApp message must be an approved template.
   */
  session?: boolean;
}

/**
 * A WhatsApp sender's status as Twilio's Senders API shows it (the API description's list):
 * `ONLINE` sends, and goes on sending while an update of its profile is applied
 * (`ONLINE:UPDATING`); the others are the registration's steps or a sender taken offline.
 */
export type WhatsAppSenderStatus = 'CREATING' | 'ONLINE' | 'OFFLINE' | 'PENDING_VERIFICATION' | 'VERIFYING' | 'ONLINE:UPDATING' | 'STUBBED';

/** A WhatsApp sender of the account, as a test sets it up. */
export interface WhatsAppSenderOptions {
  /** A Messaging Service whose sender pool holds it. */
  messagingServiceSid?: string;
  /** Default `ONLINE`. A sender not online refuses every message at the create with 63007, as one the account does not have. */
  status?: WhatsAppSenderStatus;
  /** Why it is offline, as the Senders API shows it: `{ code: '63112', message: '…' }`. */
  offlineReason?: { code: string; message: string };
}

/** The WhatsApp channel of a Verify service: sends, switched off (60223), or without a WhatsApp sender (68008). */
export type VerifyWhatsApp = 'enabled' | 'disabled' | 'not-configured';

/** A message as Twilio's JSON shows it (create and fetch). */
export interface MessageResource {
  sid: string;
  account_sid: string;
  api_version: '2010-04-01';
  to: string;
  from: string | null;
  messaging_service_sid: string | null;
  body: string;
  status: MessageStatus;
  error_code: number | null;
  error_message: string | null;
  num_segments: string;
  num_media: string;
  direction: 'outbound-api';
  price: null;
  price_unit: string;
  date_created: string;
  date_updated: string;
  date_sent: string | null;
  uri: string;
  subresource_uris: { media: string; feedback: string };
}

const E164 = /^\+[1-9][0-9]{7,14}$/;
const WHATSAPP = 'whatsapp:';
/** Twilio's magic From number of test credentials, which always succeeds. */
const TEST_FROM_NUMBER = '+15005550006';
/** The text of WhatsApp's authentication template, which the fake renders for a template it was not given. */
const AUTHENTICATION_TEMPLATE = '{{1}} is your verification code. For your security, do not share this code.';
const DEFAULT_STATUSES: readonly StatusStep[] = [{ status: 'sent' }, { status: 'delivered' }];

/** A new SID of a Twilio resource: its two-letter prefix and 32 hex digits. */
export const resourceSid = (prefix: string): string => prefix + randomBytes(16).toString('hex');

/** A date as Twilio's v2010 API writes it: `Tue, 01 Jul 2025 12:00:00 +0000`. */
export const rfc2822 = (date: Date): string => date.toUTCString().replace(/GMT$/, '+0000');

/** The account's WhatsApp, as a test sets it up. Nothing by default: no sender, no recipient on WhatsApp, Verify's channel not configured. */
export class FakeWhatsApp {
  /** Each sender (`whatsapp:+…`) and its status. */
  private readonly senders = new Map<string, Required<Pick<WhatsAppSenderOptions, 'status'>> & Pick<WhatsAppSenderOptions, 'offlineReason'>>();
  /** Messaging Services whose sender pool holds a WhatsApp sender, and the first such sender. */
  private readonly services = new Map<string, string>();
  private readonly recipients = new Map<string, WhatsAppRecipientOptions>();
  private readonly templates = new Map<string, string>();
  private readonly verifyServices = new Map<string, { state: VerifyWhatsApp; from: string }>();

  constructor(private readonly statuses: (to: string, script: StatusScript) => void) {}

  /**
   * A WhatsApp sender of the account (`whatsapp:+15005550006` or `+15005550006`), optionally in
   * a Messaging Service's sender pool. A message from any other WhatsApp address, from a sender
   * not online, or through a service without one, is refused at the create with 63007.
   */
  sender(address: string, options: WhatsAppSenderOptions = {}): this {
    const sender = onWhatsApp(address);
    this.senders.set(sender, { status: options.status ?? 'ONLINE', offlineReason: options.offlineReason });
    if (options.messagingServiceSid !== undefined && !this.services.has(options.messagingServiceSid)) this.services.set(options.messagingServiceSid, sender);
    return this;
  }

  /**
   * A number (E.164) that is on WhatsApp. A message to a number that is not is accepted, then
   * shows `failed` with 63003 on its next fetch.
   */
  recipient(number: string, options: WhatsAppRecipientOptions = {}): this {
    this.recipients.set(onWhatsApp(number), options);
    if (options.statuses !== undefined) this.statuses(onWhatsApp(number), options.statuses);
    return this;
  }

  /** The text of an approved template (`HX…`) with its `{{1}}` variables; a template not given renders as WhatsApp's authentication template. */
  template(contentSid: string, text: string): this {
    this.templates.set(contentSid, text);
    return this;
  }

  /**
   * The WhatsApp channel of a Verify service (`VA…`); a service not given is `not-configured`
   * (68008). Its sender, as the service shows it, is `from`: by default the account's first
   * WhatsApp sender, else Twilio's test number.
   */
  verify(serviceSid: string, state: VerifyWhatsApp, from = [...this.senders.keys()][0] ?? onWhatsApp(TEST_FROM_NUMBER)): this {
    this.verifyServices.set(serviceSid, { state, from: onWhatsApp(from) });
    return this;
  }

  /** The WhatsApp sender of a Verify service, or undefined while its channel is not configured. */
  verifySender(serviceSid: string): string | undefined {
    const service = this.verifyServices.get(serviceSid);
    return service === undefined || service.state === 'not-configured' ? undefined : service.from;
  }

  /** Verify's refusal of `Channel=whatsapp` on this service, if it refuses. */
  verifyRefusal(serviceSid: string, to: string): TwilioErrorAnswer | undefined {
    const state = this.verifyServices.get(serviceSid)?.state ?? 'not-configured';
    if (state === 'disabled') return twilioErrorBody(60223, to);
    if (state === 'not-configured') return twilioErrorBody(68008, to);
    return undefined;
  }

  /** Whether messages can come from this WhatsApp address: a sender of the account, online. */
  hasSender(address: string): boolean {
    const status = this.senders.get(address)?.status;
    return status === 'ONLINE' || status === 'ONLINE:UPDATING';
  }

  /** The account's WhatsApp senders, their statuses and why they are offline, as the Senders API lists them. */
  allSenders(): { address: string; status: WhatsAppSenderStatus; offlineReason?: { code: string; message: string } | undefined }[] {
    return [...this.senders.entries()].map(([address, setup]) => ({ address, ...setup }));
  }

  serviceSender(messagingServiceSid: string): string | undefined {
    return this.services.get(messagingServiceSid);
  }

  recipientOf(address: string): WhatsAppRecipientOptions | undefined {
    return this.recipients.get(address);
  }

  render(contentSid: string, variables: Readonly<Record<string, string>>): string {
    return (this.templates.get(contentSid) ?? AUTHENTICATION_TEMPLATE).replace(/\{\{(\d+)\}\}/g, (placeholder, key: string) => variables[key] ?? placeholder);
  }

  clear(): void {
    for (const kept of [this.senders, this.services, this.recipients, this.templates, this.verifyServices]) kept.clear();
  }
}

interface StoredMessage {
  resource: MessageResource;
  script: StatusStep[];
  /** The step shown: -1 for the create's status. */
  step: number;
  createdAt: number;
  /** The sender a Messaging Service chose, shown once the message has left `accepted`. */
  chosenFrom: string | null;
}

/** The account's messages: created by POST …/Messages.json, read by GET …/Messages/SM….json. */
export class FakeMessages {
  readonly whatsapp = new FakeWhatsApp((to, script) => this.statuses(to, script));
  /** SMS Pumping Protection: the numbers whose messages it blocks after the create. */
  readonly pumpingProtection = new FakePumpingProtection();
  private readonly stored = new Map<string, StoredMessage>();
  private readonly scripts = new Map<string, StatusStep[]>();

  constructor(private readonly accountSid: string) {}

  /**
   * What fetches of the messages to `to` (`+15550105310`, `whatsapp:+15550105310`) show after
   * the create, one step per fetch, the last one staying; default `sent`, then `delivered`.
   */
  statuses(to: string, script: StatusScript): this {
    if (script.length === 0) throw new Error('A status script needs at least one step');
    this.scripts.set(to, script.map((step) => (typeof step === 'string' ? { status: step } : step)));
    return this;
  }

  /** Every message created so far, as a fetch would show it now (without moving it on). */
  list(): MessageResource[] {
    return [...this.stored.values()].map((message) => ({ ...message.resource }));
  }

  /** Forgets every message, script, WhatsApp setting and pumping block. */
  clear(): void {
    this.stored.clear();
    this.scripts.clear();
    this.whatsapp.clear();
    this.pumpingProtection.clear();
  }

  /** POST …/Messages.json: a refusal as Twilio answers it, or the message, `queued` (`accepted` through a Messaging Service). */
  create(form: Readonly<Record<string, string>>): TwilioErrorAnswer | { status: 201; body: MessageResource } {
    const to = form.To ?? '';
    const toWhatsApp = to.startsWith(WHATSAPP);
    if (!E164.test(toWhatsApp ? to.slice(WHATSAPP.length) : to)) return twilioErrorBody(21211, to);
    const from = form.From;
    const serviceSid = form.MessagingServiceSid;
    if (!from && !serviceSid) return twilioErrorBody(21603, to);
    if (!form.Body && !form.ContentSid && !form.MediaUrl) return twilioErrorBody(21602, to);
    if (from && from.startsWith(WHATSAPP) !== toWhatsApp) return twilioErrorBody(21910, to);
    let chosenFrom: string | null = null;
    if (toWhatsApp) {
      const sender = from || this.whatsapp.serviceSender(serviceSid ?? '');
      if (sender === undefined || !this.whatsapp.hasSender(sender)) return twilioErrorBody(63007, to);
      chosenFrom = sender;
    }
    const variables = form.ContentVariables === undefined ? {} : contentVariables(form.ContentVariables);
    if (variables === undefined) return twilioErrorBody(21656, to);

    const now = new Date();
    const sid = resourceSid('SM');
    const uri = `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`;
    const resource: MessageResource = {
      sid,
      account_sid: this.accountSid,
      api_version: '2010-04-01',
      to,
      from: from ?? null,
      messaging_service_sid: serviceSid ?? null,
      body: form.ContentSid ? this.whatsapp.render(form.ContentSid, variables) : (form.Body ?? ''),
      status: serviceSid ? 'accepted' : 'queued',
      error_code: null,
      error_message: null,
      num_segments: '1',
      num_media: '0',
      direction: 'outbound-api',
      price: null,
      price_unit: 'USD',
      date_created: rfc2822(now),
      date_updated: rfc2822(now),
      date_sent: null,
      uri,
      subresource_uris: { media: uri.replace(/\.json$/, '/Media.json'), feedback: uri.replace(/\.json$/, '/Feedback.json') },
    };
    this.stored.set(sid, { resource, script: this.scriptFor(to, form), step: -1, createdAt: Date.now(), chosenFrom });
    return { status: 201, body: { ...resource } };
  }

  /** GET …/Messages/{Sid}.json: the message one step further along its script, or 404 20404. */
  fetch(sid: string, path: string): TwilioErrorAnswer | { status: 200; body: MessageResource } {
    const message = this.stored.get(sid);
    if (message === undefined) return twilioErrorBody(20404, '', { message: `The requested resource ${path} was not found` });
    const next = message.script[message.step + 1];
    if (next !== undefined && (next.afterMs === undefined || Date.now() - message.createdAt >= next.afterMs)) {
      message.step++;
      const now = rfc2822(new Date());
      const { resource } = message;
      resource.status = next.status;
      resource.error_code = next.errorCode ?? null;
      resource.error_message = next.errorCode === undefined ? null : twilioErrorBody(next.errorCode, resource.to).body.message;
      resource.from ??= message.chosenFrom;
      resource.date_updated = now;
      if (['sent', 'delivered', 'read', 'undelivered'].includes(next.status)) resource.date_sent ??= now;
    }
    return { status: 200, body: { ...message.resource } };
  }

  /**
   * A WhatsApp message to someone not on WhatsApp fails with 63003; a free-form `Body` outside the
   * recipient's 24-hour session with 63016; an SMS that SMS Pumping Protection blocks with its
   * 30450 or 30453; else the recipient's script, or `sent`, `delivered`.
   */
  private scriptFor(to: string, form: Readonly<Record<string, string>>): StatusStep[] {
    if (to.startsWith(WHATSAPP)) {
      const recipient = this.whatsapp.recipientOf(to);
      if (recipient === undefined) return [{ status: 'failed', errorCode: 63003 }];
      if (!form.ContentSid && recipient.session !== true) return [{ status: 'failed', errorCode: 63016 }];
    } else {
      const blocked = this.pumpingProtection.blockOf(to, form.RiskCheck);
      if (blocked !== undefined) return [{ status: 'failed', errorCode: blocked }];
    }
    return this.scripts.get(to) ?? [...DEFAULT_STATUSES];
  }
}

/** `whatsapp:+15005550006` for `+15005550006` or itself. */
function onWhatsApp(address: string): string {
  return address.startsWith(WHATSAPP) ? address : `${WHATSAPP}${address}`;
}

/**
 * `ContentVariables` as Twilio reads it: a JSON object whose values are text (or numbers) that is
 * not empty and holds no newline, tab or more than four spaces in a row; undefined when it is not (21656).
 */
function contentVariables(text: string): Record<string, string> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string' && typeof value !== 'number') return undefined;
    const textValue = String(value);
    if (textValue.trim() === '' || /[\n\t]| {5}/.test(textValue)) return undefined;
    variables[key] = textValue;
  }
  return variables;
}
