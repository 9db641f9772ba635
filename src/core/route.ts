import type { Deadline } from './deadline';
import type { Delivery, DeliveryChannel } from './message';
import type { CreatedResource, TwilioClient, TwilioModule } from './twilio-module';

/** One way to deliver the message: one Twilio request, chosen and built. */
export interface Route {
  api: Delivery['api'];
  channel: DeliveryChannel;
  send: (client: TwilioClient, twilio: TwilioModule) => Promise<CreatedResource>;
  /**
   * Twilio accepts a WhatsApp message before WhatsApp does, and reports a failure only in the
   * message's status: such a route counts as delivered once its status has been read back.
   */
  confirm: boolean;
}

/** One request to Twilio, on a client of its own, within a time limit. */
export type Call = <T>(request: (client: TwilioClient, twilio: TwilioModule) => Promise<T>, within: Deadline, attemptNumber: number) => Promise<T>;
