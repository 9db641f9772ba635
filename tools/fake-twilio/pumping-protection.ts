/**
 * SMS Pumping Protection of Programmable Messaging, as Twilio reports its blocks: it never
 * refuses the create. The message is accepted (201, `queued`, or `accepted` through a Messaging
 * Service) and the block shows only in its status, on a later read: `failed` with error 30450
 * (Message delivery blocked) or 30453 (Message couldn't be delivered). The fake applies it
 * through the messages' status scripts (messages.ts): a blocked number's message fails on its
 * next fetch, whatever script its recipient had.
 *
 * A create that carries `RiskCheck=disable` (a parameter of the Messages create in Twilio's API
 * description: `enable` or `disable`) skips the check, as Twilio lets a sender do for traffic it
 * trusts. The block is SMS's: a WhatsApp message is not checked.
 */

/** The error codes a block shows in the message's status. */
export type PumpingBlockCode = 30450 | 30453;

const PREFIX = /^\+[0-9]{1,15}$/;

export class FakePumpingProtection {
  private readonly blocks = new Map<string, PumpingBlockCode>();

  /**
   * Messages to numbers under `prefix` (`+882`, or a whole number) are accepted, then read back
   * `failed` with `code`: `fake.pumpingProtection.block('+88234567890', 30450)`.
   */
  block(prefix: string, code: PumpingBlockCode = 30450): this {
    if (!PREFIX.test(prefix)) throw new Error(`fake.pumpingProtection.block: ${prefix} is not a + and digits`);
    this.blocks.set(prefix, code);
    return this;
  }

  /** The error code a message to `to` fails with, or undefined when it is not blocked (or its create said `RiskCheck=disable`). */
  blockOf(to: string, riskCheck: string | undefined): PumpingBlockCode | undefined {
    if (riskCheck === 'disable') return undefined;
    // The longest prefix decides: a number blocked with its own code within a blocked range.
    let found: { length: number; code: PumpingBlockCode } | undefined;
    for (const [prefix, code] of this.blocks) {
      if (to.startsWith(prefix) && prefix.length > (found?.length ?? 0)) found = { length: prefix.length, code };
    }
    return found?.code;
  }

  clear(): void {
    this.blocks.clear();
  }
}
