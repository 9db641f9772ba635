import { evaluateModule, type RuntimeOptions } from './auth0-hook-runtime';

/**
 * Loads an Action bundle as Auth0's Actions runtime does: a plain CommonJS module, given the
 * `require` that resolves its declared dependencies. `console` receives its log lines.
 */
export function loadAction(script: string, options: RuntimeOptions): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  evaluateModule(script, { module, exports: module.exports, require: options.require, console: options.console ?? console }, options.globals);
  return module.exports;
}

/** What an `api.notification` records: each call, in order. */
export interface NotificationRecorder {
  api: { notification: { retry(reason: string): void; drop(reason: string): void } };
  calls: Array<{ method: 'retry' | 'drop'; reason: string }>;
}

export function recordingNotificationApi(): NotificationRecorder {
  const calls: NotificationRecorder['calls'] = [];
  return {
    calls,
    api: {
      notification: {
        retry: (reason) => calls.push({ method: 'retry', reason }),
        drop: (reason) => calls.push({ method: 'drop', reason }),
      },
    },
  };
}
