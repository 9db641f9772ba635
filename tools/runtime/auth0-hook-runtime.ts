import compilers = require('auth0-ext-compilers');
import type { WebtaskFunction } from 'auth0-ext-compilers';

/** What Auth0 answers for a hook invocation, as its Run button shows it. */
export interface HookEnvelope {
  status: 'success' | 'error';
  data: Record<string, unknown>;
}

/** The request body Auth0 sends to a Send Phone Message hook. */
export interface HookPayload {
  recipient: string;
  text: string;
  context: Record<string, unknown>;
}

export type ModuleLoader = (id: string) => unknown;
export type HookConsole = Pick<Console, 'log' | 'info' | 'warn' | 'error'>;

export interface RuntimeOptions {
  /** Resolves the modules the code may require: its declared dependencies and Node's built-ins. */
  require: ModuleLoader;
  /** Receives the code's log lines. */
  console?: HookConsole;
  /**
   * Globals to shadow, such as `setTimeout` and `Date` of a faster clock in property tests.
   * Auth0 passes none; the code cannot tell a shadowed global from the real one.
   */
  globals?: Readonly<Record<string, unknown>>;
}

/**
 * A `require` as Auth0's runtimes hand it to the code: `twilio` is the declared dependency (here
 * the given module: the real twilio of some version, whose requests the network takes to the fake
 * in tests and `npm start`), anything else resolves as usual.
 */
export function runtimeRequire(twilio: unknown): ModuleLoader {
  return (id) => (id === 'twilio' ? twilio : require(id));
}

/** Evaluates CommonJS code the way a Node runtime wraps a module, with the given bindings. */
export function evaluateModule(code: string, bindings: Readonly<Record<string, unknown>>, globals: Readonly<Record<string, unknown>> = {}): void {
  const all = { ...globals, ...bindings };
  const names = Object.keys(all);
  new Function(...names, code)(...names.map((name) => all[name]));
}

export interface InvokeOptions {
  /** The runtime's `res.end` throws this after taking the answer, as a broken runtime could. */
  endThrows?: Error;
}

export interface CompiledHook {
  invoke(payload: unknown, secrets: Record<string, string>, options?: InvokeOptions): Promise<HookEnvelope>;
  /** How many times any invocation answered more than once: a correct hook keeps it at 0. */
  readonly extraAnswers: number;
}

/**
 * Compiles a Send Phone Message hook with Auth0's own compiler (auth0-ext-compilers), the way
 * Auth0's hook runtime does: the script becomes the body of a function that receives `module`
 * and `require`, after the compiler's prelude (its error classes). `require` here is the one
 * the runtime hands the hook for its declared NPM modules; `console` receives its log lines.
 */
export function compileHook(script: string, options: RuntimeOptions): Promise<CompiledHook> {
  const compile = compilers['send-phone-message'];
  if (compile === undefined) throw new Error('auth0-ext-compilers has no send-phone-message compiler');
  const hookConsole = options.console ?? console;

  return new Promise((resolve, reject) => {
    compile(
      {
        script,
        nodejsCompiler: (code, callback) => {
          let exported: unknown;
          try {
            const module = { exports: {} as unknown };
            evaluateModule(code, { module, require: options.require, console: hookConsole }, options.globals);
            exported = module.exports;
          } catch (error) {
            return callback(error instanceof Error ? error : new Error(String(error)));
          }
          return callback(null, exported);
        },
      },
      (error, webtaskFunction) => (error ? reject(error) : resolve(new RuntimeHook(webtaskFunction))),
    );
  });
}

class RuntimeHook implements CompiledHook {
  extraAnswers = 0;

  constructor(private readonly webtaskFunction: WebtaskFunction) {}

  invoke(payload: unknown, secrets: Record<string, string>, options: InvokeOptions = {}): Promise<HookEnvelope> {
    return new Promise((resolve, reject) => {
      let answered = false;
      try {
        this.webtaskFunction(
          { body: payload, secrets, headers: {} },
          { method: 'POST' },
          {
            writeHead: () => undefined,
            end: (json) => {
              if (answered) {
                this.extraAnswers++;
                return;
              }
              answered = true;
              // The wire also carries statusCode and headers; Auth0 reads the envelope.
              const { status, data } = JSON.parse(json) as HookEnvelope;
              resolve({ status, data });
              if (options.endThrows) throw options.endThrows;
            },
          },
        );
      } catch (error) {
        // The runtime would report this as a crash of the hook: nothing a hook should ever cause.
        reject(error);
      }
    });
  }
}
