// Your own test of src/customize.ts: whatever you change there, every message that carries a
// code must still carry it, and every message must have text, in every kind of message Auth0
// sends through the hook and both actions. `npm test` runs it; add cases for your own rules.
import type { MessageContext } from '../src/core/customization';
import type { MessagePurpose } from '../src/core/message';
import { customizeMessage } from '../src/customize';

const CODE = '730164';
const PURPOSES: ReadonlyArray<[MessagePurpose, string]> = [
  ['enrollment', `Your Acme enrollment code is ${CODE}`],
  ['verification', `Your Acme verification code is ${CODE}`],
  ['blocked-account', 'Your Acme account was blocked after too many attempts.'],
  ['password-change', 'Your Acme password was changed.'],
  ['password-breach', 'Your Acme password was found in a breach; change it.'],
];
const TRIGGERS: ReadonlyArray<MessageContext['auth0']['trigger']> = ['send-phone-message-hook', 'send-phone-message', 'custom-phone-provider'];

const contexts: MessageContext[] = TRIGGERS.flatMap((trigger) =>
  PURPOSES.filter(([purpose]) => trigger === 'custom-phone-provider' || purpose === 'enrollment' || purpose === 'verification').flatMap(([purpose, text]) =>
    (['sms', 'voice'] as const).flatMap((channel) =>
      ['en', 'fr-CA', undefined].map(
        (language): MessageContext => ({
          purpose,
          text,
          code: text.includes(CODE) ? CODE : undefined,
          channel,
          language,
          client: { id: 'client-1', name: 'Acme Portal', metadata: { brand: 'Acme' } },
          user: { user_id: 'auth0|1' },
          auth0: { trigger, messageType: purpose },
        }),
      ),
    ),
  ),
);

describe('your customizeMessage (src/customize.ts)', () => {
  it.each(contexts.map((context) => [`${context.auth0.trigger} ${context.purpose} ${context.channel} ${context.language ?? '-'}`, context]))(
    'keeps the code and returns text: %s',
    (_name, context) => {
      const text = customizeMessage(context);
      expect(typeof text).toBe('string');
      expect(text.trim()).not.toBe('');
      if (context.code !== undefined) expect(text).toContain(context.code);
    },
  );
});
