import type { SendRequest } from '../core/send';
import { HOOK_FIELDS, SEND_PHONE_MESSAGE_PURPOSES } from '../auth0/vocabulary';

/** What Auth0's compiler passes as `context` (older documentation put the client fields flat). */
export interface HookContext {
  message_type?: unknown;
  action?: unknown;
  language?: unknown;
  code?: unknown;
  ip?: unknown;
  user_agent?: unknown;
  user?: unknown;
  client?: { client_id?: unknown; name?: unknown; client_metadata?: unknown };
  client_id?: unknown;
  name?: unknown;
  client_metadata?: unknown;
  webtask?: { secrets?: unknown };
}

export interface HookResponse {
  api: string;
  /** What carried the code: `sms`, `voice` or `whatsapp`. */
  channel: string;
  sid: string | undefined;
  /** Why SMS carried a code meant for WhatsApp ("not on WhatsApp (63003)"), when it did. */
  fallbackReason?: string;
}

export type HookCallback = (error: Error | null, response?: HookResponse) => void;

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The secrets come from `context.webtask`, the message from the rest. */
export function hookRequest(recipient: unknown, text: unknown, hookContext: unknown): SendRequest {
  const context: HookContext = typeof hookContext === 'object' && hookContext !== null ? hookContext : {};
  const client = context.client ?? context;
  const metadata = client.client_metadata;
  return {
    secrets: context.webtask?.secrets,
    message: {
      recipient,
      text,
      code: context.code,
      channel: context.message_type,
      fields: HOOK_FIELDS,
      purpose: SEND_PHONE_MESSAGE_PURPOSES.get(context.action),
      auth0: { trigger: 'send-phone-message-hook', messageType: optionalString(context.action) },
      language: context.language,
      from: undefined,
      client: {
        id: optionalString(client.client_id),
        name: optionalString(client.name),
        metadata: typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>) : {},
      },
      user: context.user,
    },
  };
}
