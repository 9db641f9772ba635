import type { LookupRecords } from './screen/lookup-memory';
import type { VelocityRecords } from './screen/velocity-counts';
import type { WhatsAppRecords } from './whatsapp-memory';

/**
 * What a container remembers between the sends it runs (a warm container runs many): numbers
 * whose WhatsApp failed, Lookup's answers, the velocity counts. Each is bounded by its owner, and
 * holds keyed hashes only.
 */
export interface ContainerState {
  whatsapp: WhatsAppRecords;
  lookups: LookupRecords;
  velocity: VelocityRecords;
}

export function emptyContainerState(): ContainerState {
  return { whatsapp: new Map(), lookups: new Map(), velocity: new Map() };
}

let container: ContainerState | undefined;

/** The container's own state, for the life of the container. */
export function containerState(): ContainerState {
  container ??= emptyContainerState();
  return container;
}
