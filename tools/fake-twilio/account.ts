import { rfc2822 } from './messages';
import { twilioErrorBody, type TwilioErrorAnswer } from './twilio-errors';

/**
 * The fake's account: its status and type as the Account resource shows them, and who may use
 * it. The auth token reaches everything. An API key is Standard unless declared Main: a
 * Standard key reaches everything but the Account resource itself, which answers it 401 20003
 * "Authentication Error - invalid username", as Twilio does. A key may be bound to a region
 * (Twilio's API credentials are regional): through another region's host it is refused with
 * 20003. A key of another account authenticates, but not for this one: what names this account
 * in its path (the v2010 API) is refused with 20003, and what the other products look up in the
 * key's own account (a Messaging or Verify service, a template) is not found there, 20404.
 *
 * A suspended or closed account shows its status on the Account resource and is refused
 * everything else with 20003, as Twilio refuses a suspended account's requests. (Twilio may
 * refuse the Account resource too, to the account's own credentials; the fake lets it be read.)
 */

export type AccountStatus = 'active' | 'suspended' | 'closed';
export type AccountType = 'Full' | 'Trial';
export type ApiKeyType = 'standard' | 'main';

export interface ApiKeyOptions {
  /** Default `standard`. */
  type?: ApiKeyType;
  /** A key of another account: it authenticates, but not for this one. */
  ofAnotherAccount?: boolean;
  /** The region the key was created in (`us1`, `ie1`); by default it works through any. */
  region?: string;
}

interface ApiKey extends ApiKeyOptions {
  secret: string;
}

/** Who a request authenticated as. */
export type Principal = { kind: 'auth-token' } | ({ kind: 'api-key' } & ApiKeyOptions);

/** The Account resource as Twilio's v2010 API shows it (auth token included, as Twilio's does). */
export interface AccountResource {
  auth_token: string;
  date_created: string;
  date_updated: string;
  friendly_name: string;
  owner_account_sid: string;
  sid: string;
  status: AccountStatus;
  subresource_uris: Record<string, string>;
  type: AccountType;
  uri: string;
}

const INVALID_USERNAME = 'Authentication Error - invalid username';

/** `api.twilio.com` → us1, `api.ie1.twilio.com` and `api.dublin.ie1.twilio.com` → ie1. */
export function regionOfHost(host: string): string {
  const labels = host.replace(/:\d+$/, '').toLowerCase().split('.');
  return labels.length > 3 ? (labels[labels.length - 3] ?? 'us1') : 'us1';
}

/** A new account, as the fake starts: active, upgraded. */
const NEW_ACCOUNT = { status: 'active', type: 'Full', friendlyName: 'My first Twilio account' } as const;

export class FakeAccount {
  status: AccountStatus = NEW_ACCOUNT.status;
  type: AccountType = NEW_ACCOUNT.type;
  friendlyName: string = NEW_ACCOUNT.friendlyName;
  private readonly declaredKeys = new Map<string, ApiKey>();
  private readonly created = new Date();

  constructor(
    readonly sid: string,
    private readonly authToken: string,
    /** The keys the fake was started with: Standard keys of this account, in any region. */
    private readonly startingKeys: Readonly<Record<string, string>> = {},
  ) {}

  /** Sets the account's status, type or name: `fake.account.set({ type: 'Trial' })`. */
  set(settings: { status?: AccountStatus; type?: AccountType; friendlyName?: string }): this {
    Object.assign(this, settings);
    return this;
  }

  /** An API key (`SK…`) and its secret: of this account unless said otherwise, Standard unless Main. */
  apiKey(sid: string, secret: string, options: ApiKeyOptions = {}): this {
    this.declaredKeys.set(sid, { secret, ...options });
    return this;
  }

  /** Who the Basic credentials of `header` are, or undefined when they are nobody's. */
  principal(header: string | undefined): Principal | undefined {
    if (header === undefined || !header.startsWith('Basic ')) return undefined;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    const [user, secret] = [decoded.slice(0, separator), decoded.slice(separator + 1)];
    if (user === this.sid) return secret === this.authToken ? { kind: 'auth-token' } : undefined;
    const declared = this.declaredKeys.get(user);
    if (declared !== undefined) {
      const { secret: expected, ...options } = declared;
      return secret === expected ? { kind: 'api-key', ...options } : undefined;
    }
    return this.startingKeys[user] !== undefined && this.startingKeys[user] === secret ? { kind: 'api-key' } : undefined;
  }

  /**
   * Twilio's refusal of this request by `principal`, through `host` (the Host header), before any
   * resource is looked at; undefined when it may go on.
   */
  refusal(principal: Principal, path: string, host: string): TwilioErrorAnswer | undefined {
    const accountPath = `/2010-04-01/Accounts/${this.sid}`;
    const isAccountResource = path === `${accountPath}.json`;
    if (principal.kind === 'api-key') {
      if (principal.region !== undefined && regionOfHost(host) !== principal.region) return twilioErrorBody(20003);
      if (principal.ofAnotherAccount === true) {
        return path.startsWith(`${accountPath}/`) || isAccountResource ? twilioErrorBody(20003) : twilioErrorBody(20404, '', { message: `The requested resource ${path} was not found` });
      }
      if (isAccountResource && principal.type !== 'main') return twilioErrorBody(20003, '', { message: INVALID_USERNAME });
    }
    if (this.status !== 'active' && !isAccountResource) return twilioErrorBody(20003);
    return undefined;
  }

  /** GET /2010-04-01/Accounts/{Sid}.json */
  resource(): AccountResource {
    const uri = `/2010-04-01/Accounts/${this.sid}`;
    return {
      auth_token: this.authToken,
      date_created: rfc2822(this.created),
      date_updated: rfc2822(this.created),
      friendly_name: this.friendlyName,
      owner_account_sid: this.sid,
      sid: this.sid,
      status: this.status,
      subresource_uris: Object.fromEntries(['incoming_phone_numbers', 'messages', 'calls', 'keys', 'balance'].map((name) => [name, `${uri}/${subresourceName(name)}.json`])),
      type: this.type,
      uri: `${uri}.json`,
    };
  }

  /** Back to an active Full account with only the keys it was started with. */
  clear(): void {
    this.set(NEW_ACCOUNT);
    this.declaredKeys.clear();
  }
}

/** `incoming_phone_numbers` → `IncomingPhoneNumbers`. */
function subresourceName(name: string): string {
  return name.split('_').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}
