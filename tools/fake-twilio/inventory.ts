import { createHash } from 'node:crypto';
import { getCountryCallingCode, isSupportedCountry } from 'libphonenumber-js/max';
import { resourceSid, rfc2822, type FakeWhatsApp } from './messages';
import { listPage, type ListStyle } from './pages';
import { twilioErrorBody, type TwilioErrorAnswer } from './twilio-errors';

/**
 * What the account holds that a preflight check reads, and the reads that answer it as Twilio's
 * APIs do (their JSON shapes are the API description's): its phone numbers and their
 * capabilities, its Messaging Services and their senders, its Verify services, its Content
 * templates and their WhatsApp approval, and its voice dialing permissions per country. A test
 * declares what it needs; anything not declared is not found (404, 20404), except dialing
 * permissions, which allow every country until a test denies one.
 *
 * The WhatsApp setup (messages.ts) is read, not repeated: a Messaging Service's WhatsApp sender is
 * the one `fake.whatsapp.sender(address, { messagingServiceSid })` put in its pool, a Verify
 * service has a WhatsApp sender unless `fake.whatsapp` left its channel `not-configured`, and a
 * template's text is `fake.whatsapp.template`'s.
 *
 * Where the fake departs from Twilio: the creates (messages, calls, verifications) do not look
 * here, and accept any service or template SID, as they did before the reads existed.
 */

export interface NumberCapabilities {
  sms: boolean;
  voice: boolean;
  mms: boolean;
  fax: boolean;
}

export interface MessagingServiceSetup {
  friendlyName?: string;
  /** E.164 numbers in its sender pool. */
  phoneNumbers?: readonly string[];
  shortCodes?: readonly string[];
  alphaSenders?: readonly string[];
}

export interface VerifyServiceSetup {
  friendlyName?: string;
  /** Enable Custom Verification Code: Auth0's code can be the code. Default false, as a new service. */
  customCodeEnabled?: boolean;
}

/** WhatsApp's verdicts on a template (Twilio's approval statuses); `unsubmitted` when never submitted. */
export type ApprovalStatus = 'unsubmitted' | 'received' | 'pending' | 'approved' | 'rejected' | 'paused' | 'disabled';

export interface ContentSetup {
  friendlyName?: string;
  /** The content type: `whatsapp/authentication` (default), `twilio/text`… */
  kind?: string;
  /** Default `approved`. */
  approval?: ApprovalStatus;
  /** The category WhatsApp approved it in; default `AUTHENTICATION`. */
  category?: 'AUTHENTICATION' | 'UTILITY' | 'MARKETING';
  rejectionReason?: string;
}

const ALL_CAPABILITIES: NumberCapabilities = { sms: true, voice: true, mms: true, fax: false };
const notFound = (path: string): TwilioErrorAnswer => twilioErrorBody(20404, '', { message: `The requested resource ${path} was not found` });
const isoDate = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z');

type Answer = { status: 200; body: object } | TwilioErrorAnswer;

export class FakeInventory {
  private readonly numbers = new Map<string, { sid: string; capabilities: NumberCapabilities }>();
  private readonly messagingServices = new Map<string, MessagingServiceSetup>();
  private readonly verifyServices = new Map<string, VerifyServiceSetup>();
  private readonly contents = new Map<string, ContentSetup>();
  private readonly deniedCountries = new Set<string>();
  private readonly created = new Date();

  constructor(
    private readonly accountSid: string,
    private readonly whatsapp: FakeWhatsApp,
  ) {}

  /** A phone number of the account (E.164), with every capability but fax unless said otherwise. */
  number(phoneNumber: string, capabilities: Partial<NumberCapabilities> = {}): this {
    this.numbers.set(phoneNumber, { sid: resourceSid('PN'), capabilities: { ...ALL_CAPABILITIES, ...capabilities } });
    return this;
  }

  /** A Messaging Service (`MG…`) and its sender pool; empty unless said. */
  messagingService(sid: string, setup: MessagingServiceSetup = {}): this {
    this.messagingServices.set(sid, setup);
    return this;
  }

  /** A Verify service (`VA…`); without custom codes unless said. */
  verifyService(sid: string, setup: VerifyServiceSetup = {}): this {
    this.verifyServices.set(sid, setup);
    return this;
  }

  /** A Content template (`HX…`): an authentication template WhatsApp approved unless said. */
  content(sid: string, setup: ContentSetup = {}): this {
    this.contents.set(sid, setup);
    return this;
  }

  /** Calls to this country (ISO 3166-1 alpha-2) are off in Voice > Settings > Geo permissions. */
  denyVoice(isoCode: string): this {
    this.deniedCountries.add(isoCode.toUpperCase());
    return this;
  }

  clear(): void {
    for (const kept of [this.numbers, this.messagingServices, this.verifyServices, this.contents, this.deniedCountries]) kept.clear();
  }

  /** What a GET of `path` (with its `query`) answers, or undefined when no read of the inventory is there. */
  read(path: string, query: URLSearchParams): Answer | undefined {
    const list = (style: ListStyle, key: string, items: readonly object[]): Answer => ({ status: 200, body: listPage(style, key, items, path, query) });
    if (path === `/2010-04-01/Accounts/${this.accountSid}/IncomingPhoneNumbers.json`) {
      const wanted = (query.get('PhoneNumber') ?? '').replace(/\D/g, '');
      const numbers = [...this.numbers.entries()].filter(([phoneNumber]) => phoneNumber.replace(/\D/g, '').includes(wanted));
      return list('v2010', 'incoming_phone_numbers', numbers.map(([phoneNumber, { sid, capabilities }]) => this.numberResource(sid, phoneNumber, capabilities)));
    }
    const [, serviceSid, senders] = /^\/v1\/Services\/(MG[0-9a-fA-F]{32})(?:\/(PhoneNumbers|ShortCodes|AlphaSenders|ChannelSenders))?$/.exec(path) ?? [];
    if (serviceSid !== undefined) {
      const service = this.messagingServices.get(serviceSid);
      if (service === undefined) return notFound(path);
      if (senders === undefined) return { status: 200, body: this.serviceResource(serviceSid, service) };
      const [key, items] = this.senderPool(serviceSid, service, senders);
      return list({ origin: 'https://messaging.twilio.com' }, key, items);
    }
    const [, verifySid] = /^\/v2\/Services\/(VA[0-9a-fA-F]{32})$/.exec(path) ?? [];
    if (verifySid !== undefined) {
      const service = this.verifyServices.get(verifySid);
      return service === undefined ? notFound(path) : { status: 200, body: this.verifyResource(verifySid, service) };
    }
    const [, contentSid, approvals] = /^\/v1\/Content\/(HX[0-9a-fA-F]{32})(\/ApprovalRequests)?$/.exec(path) ?? [];
    if (contentSid !== undefined) {
      const content = this.contents.get(contentSid);
      if (content === undefined) return notFound(path);
      return { status: 200, body: approvals === undefined ? this.contentResource(contentSid, content) : this.approvalResource(contentSid, content) };
    }
    if (path === '/v2/Channels/Senders') {
      // The Senders API lists one channel's senders (Channel is required); the fake's are WhatsApp's.
      const senders = (query.get('Channel') ?? '').toLowerCase() === 'whatsapp' ? this.whatsapp.allSenders() : [];
      return list({ origin: 'https://messaging.twilio.com' }, 'senders', senders.map((sender) => this.channelsSenderResource(sender)));
    }
    const [, isoCode] = /^\/v1\/DialingPermissions\/Countries\/([^/]+)$/.exec(path) ?? [];
    if (isoCode !== undefined) return /^[A-Z]{2}$/.test(isoCode) && isSupportedCountry(isoCode) ? { status: 200, body: this.countryResource(isoCode) } : notFound(path);
    return undefined;
  }

  private numberResource(sid: string, phoneNumber: string, capabilities: NumberCapabilities) {
    const date = rfc2822(this.created);
    return {
      account_sid: this.accountSid,
      address_sid: null,
      address_requirements: 'none',
      api_version: '2010-04-01',
      beta: false,
      capabilities,
      date_created: date,
      date_updated: date,
      friendly_name: phoneNumber,
      identity_sid: null,
      phone_number: phoneNumber,
      origin: 'twilio',
      sid,
      sms_application_sid: null,
      sms_fallback_method: 'POST',
      sms_fallback_url: null,
      sms_method: 'POST',
      sms_url: null,
      status_callback: null,
      status_callback_method: 'POST',
      trunk_sid: null,
      uri: `/2010-04-01/Accounts/${this.accountSid}/IncomingPhoneNumbers/${sid}.json`,
      voice_receive_mode: 'voice',
      voice_application_sid: null,
      voice_caller_id_lookup: false,
      voice_fallback_method: 'POST',
      voice_fallback_url: null,
      voice_method: 'POST',
      voice_url: null,
      emergency_status: 'Inactive',
      emergency_address_sid: null,
      emergency_address_status: 'unregistered',
      bundle_sid: null,
      status: 'in-use',
    };
  }

  private serviceResource(sid: string, service: MessagingServiceSetup) {
    const url = `https://messaging.twilio.com/v1/Services/${sid}`;
    return {
      sid,
      account_sid: this.accountSid,
      friendly_name: service.friendlyName ?? 'Auth0 codes',
      date_created: isoDate(this.created),
      date_updated: isoDate(this.created),
      inbound_request_url: null,
      inbound_method: 'POST',
      fallback_url: null,
      fallback_method: 'POST',
      status_callback: null,
      sticky_sender: true,
      mms_converter: true,
      smart_encoding: true,
      scan_message_content: 'inherit',
      fallback_to_long_code: true,
      area_code_geomatch: true,
      synchronous_validation: false,
      validity_period: 14400,
      url,
      links: { phone_numbers: `${url}/PhoneNumbers`, short_codes: `${url}/ShortCodes`, alpha_senders: `${url}/AlphaSenders`, channel_senders: `${url}/ChannelSenders` },
      usecase: 'verification',
      us_app_to_person_registered: false,
      use_inbound_webhook_on_number: false,
    };
  }

  /** The list key and the senders of one of a service's pools (ChannelSenders: its WhatsApp sender). */
  private senderPool(serviceSid: string, service: MessagingServiceSetup, pool: string): [string, object[]] {
    const dates = { date_created: isoDate(this.created), date_updated: isoDate(this.created) };
    const sender = (prefix: string, fields: object) => {
      const sid = resourceSid(prefix);
      return { sid, account_sid: this.accountSid, service_sid: serviceSid, ...dates, ...fields, url: `https://messaging.twilio.com/v1/Services/${serviceSid}/${pool}/${sid}` };
    };
    switch (pool) {
      case 'PhoneNumbers':
        return ['phone_numbers', (service.phoneNumbers ?? []).map((phoneNumber) => sender('PN', { phone_number: phoneNumber, country_code: 'US', capabilities: ['SMS', 'MMS', 'Voice'] }))];
      case 'ShortCodes':
        return ['short_codes', (service.shortCodes ?? []).map((shortCode) => sender('SC', { short_code: shortCode, country_code: 'US', capabilities: ['SMS'] }))];
      case 'AlphaSenders':
        return ['alpha_senders', (service.alphaSenders ?? []).map((alphaSender) => sender('AI', { alpha_sender: alphaSender, capabilities: ['SMS'] }))];
      default: {
        const whatsapp = this.whatsapp.serviceSender(serviceSid);
        const channelSender = (address: string) => {
          const { service_sid: messagingServiceSid, ...fields } = sender('XE', { sender: address, sender_type: 'WhatsApp', country_code: 'US' });
          return { ...fields, messaging_service_sid: messagingServiceSid };
        };
        return ['senders', whatsapp === undefined ? [] : [channelSender(whatsapp)]];
      }
    }
  }

  private channelsSenderResource({ address, status, offlineReason }: ReturnType<FakeWhatsApp['allSenders']>[number]) {
    // One SID per sender, the same on every read.
    const sid = `XE${createHash('md5').update(address).digest('hex')}`;
    return {
      sid,
      status,
      sender_id: address,
      configuration: { waba_id: '1234567890', verification_method: 'sms', verification_code: null, voice_application_sid: null },
      webhook: { callback_url: null, callback_method: 'POST', fallback_url: null, fallback_method: 'POST', status_callback_url: null, status_callback_method: 'POST' },
      profile: { name: 'Acme', about: null, address: null, description: null, emails: null, logo_url: null, vertical: null, websites: null },
      properties: { quality_rating: 'HIGH', messaging_limit: '1K Customers/24hr' },
      offline_reasons: offlineReason === undefined ? null : [{ ...offlineReason, more_info: `https://www.twilio.com/docs/errors/${offlineReason.code}` }],
      url: `https://messaging.twilio.com/v2/Channels/Senders/${sid}`,
    };
  }

  private verifyResource(sid: string, service: VerifyServiceSetup) {
    const url = `https://verify.twilio.com/v2/Services/${sid}`;
    const whatsappFrom = this.whatsapp.verifySender(sid) ?? null;
    return {
      sid,
      account_sid: this.accountSid,
      friendly_name: service.friendlyName ?? 'Auth0 MFA',
      code_length: 6,
      lookup_enabled: false,
      psd2_enabled: false,
      skip_sms_to_landlines: false,
      dtmf_input_required: true,
      tts_name: null,
      do_not_share_warning_enabled: false,
      custom_code_enabled: service.customCodeEnabled ?? false,
      push: { include_date: false, apn_credential_sid: null, fcm_credential_sid: null },
      totp: { issuer: null, time_step: 30, code_length: 6, skew: 1 },
      default_template_sid: null,
      whatsapp: { msg_service_sid: null, from: whatsappFrom },
      verify_event_subscription_enabled: false,
      date_created: isoDate(this.created),
      date_updated: isoDate(this.created),
      url,
      links: { verifications: `${url}/Verifications`, verification_checks: `${url}/VerificationCheck` },
    };
  }

  private contentResource(sid: string, content: ContentSetup) {
    const url = `https://content.twilio.com/v1/Content/${sid}`;
    const kind = content.kind ?? 'whatsapp/authentication';
    const body = this.whatsapp.render(sid, {});
    const type = kind === 'whatsapp/authentication' ? { body, add_security_recommendation: true, code_expiration_minutes: 10, actions: [{ type: 'COPY_CODE', copy_code_text: 'Copy code' }] } : { body };
    return {
      date_created: isoDate(this.created),
      date_updated: isoDate(this.created),
      sid,
      account_sid: this.accountSid,
      friendly_name: content.friendlyName ?? 'auth0_code',
      language: 'en',
      variables: { 1: '123456' },
      types: { [kind]: type },
      url,
      links: { approval_fetch: `${url}/ApprovalRequests`, approval_create: `${url}/ApprovalRequests/whatsapp` },
    };
  }

  private approvalResource(sid: string, content: ContentSetup) {
    const status = content.approval ?? 'approved';
    return {
      sid,
      account_sid: this.accountSid,
      whatsapp: {
        type: 'whatsapp',
        name: content.friendlyName ?? 'auth0_code',
        category: content.category ?? 'AUTHENTICATION',
        content_type: content.kind ?? 'whatsapp/authentication',
        status,
        rejection_reason: status === 'rejected' ? (content.rejectionReason ?? 'The template does not follow WhatsApp policies.') : '',
        allow_category_change: false,
      },
      url: `https://content.twilio.com/v1/Content/${sid}/ApprovalRequests`,
    };
  }

  private countryResource(isoCode: string) {
    const url = `https://voice.twilio.com/v1/DialingPermissions/Countries/${isoCode}`;
    return {
      iso_code: isoCode,
      name: new Intl.DisplayNames(['en'], { type: 'region' }).of(isoCode) ?? isoCode,
      continent: null,
      country_codes: [`+${getCountryCallingCode(isoCode as Parameters<typeof getCountryCallingCode>[0])}`],
      low_risk_numbers_enabled: !this.deniedCountries.has(isoCode),
      high_risk_special_numbers_enabled: false,
      high_risk_tollfraud_numbers_enabled: false,
      url,
      links: { highrisk_special_prefixes: `${url}/HighRiskSpecialPrefixes` },
    };
  }
}
