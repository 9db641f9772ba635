import { existsSync, readFileSync } from 'node:fs';
import { SECRET_NAMES } from '../../src/core/config';
import type { MessageStatus, StatusStep, WhatsAppRecipientOptions } from '../fake-twilio/messages';
import type { FakeTwilio } from '../fake-twilio/server';
import { UsageError } from '../command-line';

/**
 * What a sample says of the world the fake Twilio plays, in its optional `fake` section, which the
 * entry never sees: who is on WhatsApp, and what the reads of a message to each show. The account
 * itself (its WhatsApp sender, Messaging Service, Verify service) is the one the secrets name.
 */
export interface FakeSetup {
  /** The numbers (E.164) that are on WhatsApp, each with the fake's options for it; anyone else is not (63003). */
  onWhatsApp?: Readonly<Record<string, WhatsAppRecipientOptions>>;
}

export interface Sample {
  /** What the entry is run with: the file without its `fake` section. */
  payload: unknown;
  fake: FakeSetup | undefined;
}

/** Every status a Twilio message shows, as the fake models them. */
const MESSAGE_STATUSES: ReadonlySet<string> = new Set(
  Object.keys({ accepted: 0, queued: 0, sending: 0, sent: 0, delivered: 0, read: 0, failed: 0, undelivered: 0 } satisfies Record<MessageStatus, 0>),
);
const E164 = /^\+[1-9][0-9]{7,14}$/;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Reads a payload file and takes its `fake` section out; a usage error for a missing file, bad JSON or a bad section. */
export function readSample(path: string): Sample {
  if (!existsSync(path)) throw new UsageError(`The payload file ${path} does not exist; see samples/ for the shape.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`The payload file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed) || !('fake' in parsed)) return { payload: parsed, fake: undefined };
  const { fake, ...payload } = parsed;
  return { payload, fake: fakeSetup(fake, path) };
}

function fakeSetup(section: unknown, path: string): FakeSetup {
  const refuse = (what: string): never => {
    throw new UsageError(
      `${path}: ${what}. The "fake" section reads { "onWhatsApp": { "+5511987654321": { "statuses": ["sent", "delivered"] } } }: ` +
        `the numbers on WhatsApp, with the statuses successive reads of a message to each show (${[...MESSAGE_STATUSES].join(', ')}, or { "status": "failed", "errorCode": 63024 }).`,
    );
  };
  if (!isObject(section)) return refuse('"fake" is not an object');
  const unknown = Object.keys(section).filter((key) => key !== 'onWhatsApp');
  if (unknown.length > 0) return refuse(`"fake" has ${unknown.map((key) => `"${key}"`).join(', ')}, which the runner does not know`);
  const { onWhatsApp } = section;
  if (onWhatsApp === undefined) return {};
  if (!isObject(onWhatsApp)) return refuse('"fake.onWhatsApp" is not an object');
  const recipients: Record<string, WhatsAppRecipientOptions> = {};
  for (const [number, options] of Object.entries(onWhatsApp)) {
    if (!E164.test(number)) return refuse(`"${number}" in "fake.onWhatsApp" is not an E.164 number`);
    if (!isObject(options)) return refuse(`"fake.onWhatsApp" gives "${number}" no options object`);
    const { statuses, session } = options;
    if (session !== undefined && typeof session !== 'boolean') return refuse(`"session" of "${number}" is not true or false`);
    const steps = statuses === undefined ? undefined : statusSteps(statuses);
    if (steps === null) return refuse(`"statuses" of "${number}" is not a list of statuses`);
    recipients[number] = { ...(steps === undefined ? {} : { statuses: steps }), ...(session === undefined ? {} : { session }) };
  }
  return { onWhatsApp: recipients };
}

/** `["sent", { "status": "failed", "errorCode": 63024 }]` as the fake takes it, or null when it is not such a list. */
function statusSteps(value: unknown): StatusStep[] | null {
  if (!Array.isArray(value) || value.length === 0) return null;
  const steps: StatusStep[] = [];
  for (const item of value) {
    const step: unknown = typeof item === 'string' ? { status: item } : item;
    if (!isObject(step) || typeof step.status !== 'string' || !MESSAGE_STATUSES.has(step.status)) return null;
    const { errorCode, afterMs } = step;
    if (errorCode !== undefined && (typeof errorCode !== 'number' || !Number.isInteger(errorCode))) return null;
    if (afterMs !== undefined && typeof afterMs !== 'number') return null;
    steps.push({ status: step.status as MessageStatus, ...(errorCode === undefined ? {} : { errorCode }), ...(afterMs === undefined ? {} : { afterMs }) });
  }
  return steps;
}

/**
 * Gives the fake the account the secrets describe (its WhatsApp sender, alone or in the Messaging
 * Service's pool; its Verify service's WhatsApp channel) and the sample's world (who is on WhatsApp).
 */
export function setUpFake(fake: FakeTwilio, secrets: Readonly<Record<string, string>>, setup: FakeSetup | undefined): void {
  const secret = (name: string): string | undefined => secrets[name]?.trim() || undefined;
  const from = secret(SECRET_NAMES.whatsappFrom);
  const messagingServiceSid = secret(SECRET_NAMES.messagingServiceSid);
  const verifySid = secret(SECRET_NAMES.verifyServiceSid);
  const poolSender = from ?? secret(SECRET_NAMES.phoneNumber);
  if (from !== undefined) fake.whatsapp.sender(from);
  if (messagingServiceSid !== undefined && poolSender !== undefined) fake.whatsapp.sender(poolSender, { messagingServiceSid });
  if (verifySid !== undefined) fake.whatsapp.verify(verifySid, 'enabled');
  for (const [number, options] of Object.entries(setup?.onWhatsApp ?? {})) fake.whatsapp.recipient(number, options);
}

/** The header line that says what WhatsApp the run has, for a sample with a `fake` section. */
export function describeWhatsApp(secrets: Readonly<Record<string, string>>, source: string, setup: FakeSetup): string {
  const countries = secrets[SECRET_NAMES.whatsappCountries]?.trim();
  if (!countries) {
    return `off: ${source} sets no ${SECRET_NAMES.whatsappCountries}, so codes go by SMS; set it, with ${SECRET_NAMES.whatsappFrom} and ${SECRET_NAMES.whatsappContentSid}, to see WhatsApp`;
  }
  const stepText = (step: StatusStep): string => `${step.status}${step.errorCode === undefined ? '' : ` ${step.errorCode}`}`;
  const recipients = Object.entries(setup.onWhatsApp ?? {}).map(([number, options]) =>
    options.statuses === undefined ? number : `${number} (reads show ${options.statuses.map((step) => stepText(typeof step === 'string' ? { status: step } : step)).join(', ')})`,
  );
  return `${SECRET_NAMES.whatsappCountries}=${countries}; on WhatsApp: ${recipients.length > 0 ? recipients.join(', ') : 'nobody'}`;
}
