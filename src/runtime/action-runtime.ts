import type { HookConsole, ModuleLoader } from './auth0-hook-runtime';

/**
 * Loads an Action bundle as Auth0's Actions runtime does: a plain CommonJS module, given the
 * `require` that resolves its declared dependencies. `console` receives its log lines.
 */
export function loadAction(script: string, options: { require: ModuleLoader; console?: HookConsole }): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  const factory = new Function('module', 'exports', 'require', 'console', script) as (
    module: { exports: Record<string, unknown> },
    exports: Record<string, unknown>,
    require: ModuleLoader,
    console: HookConsole,
  ) => void;
  factory(module, module.exports, options.require, options.console ?? console);
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
