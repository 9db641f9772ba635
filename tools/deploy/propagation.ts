import { ManagementError } from 'auth0';

/**
 * Right after a deploy, Auth0's trigger bindings may not see the new version yet: Auth0's own
 * Deploy CLI sleeps 4 s before binding because "this service is slow to pick up newly deployed
 * actions". Binding a freshly deployed action is therefore tried again, on a refusal of the
 * request itself (400, 404, 409), after these waits, in milliseconds: 7 s at most in all, after
 * which the refusal is reported as it is.
 */
export const BIND_RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000];

export async function retryWhileDeployPropagates<T>(
  request: () => Promise<T>,
  onRetry: (waitMs: number) => void,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await request();
    } catch (error) {
      const waitMs = BIND_RETRY_DELAYS_MS[attempt];
      const refused = error instanceof ManagementError && [400, 404, 409].includes(error.statusCode ?? 0);
      if (!refused || waitMs === undefined) throw error;
      onRetry(waitMs);
      await sleep(waitMs);
    }
  }
}
