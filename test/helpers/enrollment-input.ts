import { CUSTOM_PHONE_PROVIDER_FIELDS } from '../../src/auth0/vocabulary';
import type { PhoneMessageInput } from '../../src/core/message';
import { CODE } from '../fixtures/values';

/** An enrollment code by text, as the Custom Phone Provider hands it to the core: what the pumping shield screens. */
export function enrollmentInput(recipient: string, overrides: Partial<PhoneMessageInput> = {}): PhoneMessageInput {
  return {
    recipient,
    text: `Your code is ${CODE}`,
    code: CODE,
    channel: 'text',
    fields: CUSTOM_PHONE_PROVIDER_FIELDS,
    purpose: 'enrollment',
    auth0: { trigger: 'custom-phone-provider', messageType: 'otp_enroll' },
    language: 'en',
    from: undefined,
    client: undefined,
    user: {},
    ...overrides,
  };
}
