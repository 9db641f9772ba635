import { twilioErrorBody, type TwilioErrorAnswer } from './twilio-errors';

/**
 * Verify Fraud Guard, as Twilio reports its blocks: a verification to a number under a prefix it
 * has blocked for SMS pumping is refused at the create, 403 with error 60410, whose message names
 * neither the number nor the code.
 *
 * What the fake assumes: Fraud Guard guards the SMS channel only (SMS pumping is an SMS fraud;
 * calls and WhatsApp are not checked), and a create with `RiskCheck=disable` (a parameter of the
 * Verify create in Twilio's API description) skips it, as Twilio's Verify documents the parameter
 * for overriding its fraud checks.
 */

const PREFIX = /^\+[0-9]{1,15}$/;

export class FakeFraudGuard {
  private readonly prefixes = new Set<string>();

  /** Verifications by SMS to numbers under `prefix` (`+882`, or a whole number) are refused with 60410. */
  blockPrefix(prefix: string): this {
    if (!PREFIX.test(prefix)) throw new Error(`fake.fraudGuard.blockPrefix: ${prefix} is not a + and digits`);
    this.prefixes.add(prefix);
    return this;
  }

  /** Fraud Guard's refusal of this verification create, or undefined when it lets it through. */
  refusal(form: Readonly<Record<string, string>>): TwilioErrorAnswer | undefined {
    const to = form.To ?? '';
    if (form.Channel !== 'sms' || form.RiskCheck === 'disable') return undefined;
    return [...this.prefixes].some((prefix) => to.startsWith(prefix)) ? twilioErrorBody(60410) : undefined;
  }

  clear(): void {
    this.prefixes.clear();
  }
}
