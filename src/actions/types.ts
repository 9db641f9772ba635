import type { ClientInfo } from '../core/message';
import type { KeyValueCache } from '../core/cache-budget';

/**
 * The parts of Auth0's Action `event` and `api` objects these actions read. Auth0 publishes no
 * npm types for them; fields are optional where Auth0 may leave them out.
 */
export interface ActionClient {
  client_id?: string;
  name?: string;
  metadata?: Record<string, unknown>;
}

export interface ActionRequest {
  ip?: string;
  language?: string;
  user_agent?: string;
}

/** What both triggers' events carry besides the message itself. */
interface ActionEventBase {
  secrets?: Record<string, string>;
  client?: ActionClient;
  request?: ActionRequest;
  user?: unknown;
  tenant?: { id?: string };
  /** What joins Auth0's logs to Twilio's. */
  transaction?: { correlation_id?: string };
}

export interface SendPhoneMessageEvent extends ActionEventBase {
  message_options: {
    action?: string;
    code?: string;
    message_type?: string;
    recipient?: string;
    text?: string;
  };
}

export interface CustomPhoneProviderEvent extends ActionEventBase {
  notification: {
    recipient?: string;
    as_text?: string;
    as_voice?: string;
    code?: string;
    delivery_method?: 'text' | 'voice' | string;
    message_type?: 'otp_verify' | 'otp_enroll' | 'blocked_account' | 'change_password' | 'password_breach' | string;
    locale?: string;
    from?: string;
  };
}

/** The part of Auth0's `api` both action triggers share: a small cache kept across executions. */
export interface ActionApi {
  cache?: KeyValueCache;
}

export interface CustomPhoneProviderApi extends ActionApi {
  notification: {
    /** Auth0 tries the notification again later (up to 5 times). */
    retry(reason: string): void;
    /** Auth0 gives the notification up. */
    drop(reason: string): void;
  };
}

export function actionClient(client: ActionClient | undefined): ClientInfo {
  return {
    id: client?.client_id,
    name: client?.name,
    metadata: typeof client?.metadata === 'object' && client.metadata !== null ? client.metadata : {},
  };
}
