import { setTimeout as pause } from 'node:timers/promises';
import type { Management } from 'auth0';
import { DeployError } from './errors';

/**
 * Auth0 builds an action (installs its dependencies, packages it) after every change to its
 * draft, and deploys only a built draft. The wait reads the action with growing pauses and is
 * bounded by --build-timeout.
 */

/** The pause before the second read, in milliseconds; the first read is immediate. */
export const FIRST_BUILD_POLL_DELAY_MS = 250;
/** Pauses double up to this, in milliseconds, so a long build costs few requests. */
export const MAX_BUILD_POLL_DELAY_MS = 5_000;

export interface BuildWaitHooks {
  /** Told each time the status changes, to print it. */
  onStatus: (status: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export interface BuildOutcome {
  /** The statuses seen, in order, without repeats: e.g. pending, building, built. */
  statuses: string[];
  elapsedMs: number;
}

export async function waitForBuild(readAction: () => Promise<Management.Action>, name: string, timeoutMs: number, hooks: BuildWaitHooks): Promise<BuildOutcome> {
  const sleep = hooks.sleep ?? pause;
  const now = hooks.now ?? Date.now;
  const started = now();
  const statuses: string[] = [];
  for (let delay = FIRST_BUILD_POLL_DELAY_MS; ; delay = Math.min(delay * 2, MAX_BUILD_POLL_DELAY_MS)) {
    const action = await readAction();
    const status = action.status ?? 'unknown';
    if (statuses[statuses.length - 1] !== status) {
      statuses.push(status);
      hooks.onStatus(status);
    }
    const elapsedMs = now() - started;
    if (status === 'built') return { statuses, elapsedMs };
    if (status === 'failed') {
      const detail = buildErrors(action);
      throw new DeployError(
        `Auth0 could not build ${name}${detail ? `: ${detail}` : ' and gave no detail'}.`,
        'Fix the cause (a dependency version that does not exist, code that does not load), then run the command again. The flows keep running the version deployed before; the failed draft is not deployed.',
      );
    }
    if (elapsedMs + delay > timeoutMs) {
      throw new DeployError(
        `${name} is still ${status} after ${(elapsedMs / 1000).toFixed(1)} s; --build-timeout is ${timeoutMs / 1000} s.`,
        'Auth0 may be slow to build; run the command again (it waits for the same draft and deploys it), with a larger --build-timeout if needed.',
      );
    }
    await sleep(delay);
  }
}

/**
 * Auth0's words on a failed build. The SDK's Action type has no `errors` (versions do); when the
 * response carries them anyway they are read, as strings only.
 */
function buildErrors(action: Management.Action): string | undefined {
  const errors: unknown = (action as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return undefined;
  const messages = errors
    .map((error: unknown) => (typeof error === 'object' && error !== null ? (error as { msg?: unknown }).msg : undefined))
    .filter((message): message is string => typeof message === 'string' && message.trim() !== '')
    .map((message) => message.replace(/\s+/g, ' ').trim().slice(0, 500));
  return messages.length === 0 ? undefined : messages.join('; ');
}
