import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * What `npm start`, `npm run check` and `npm run deploy` do with a command line that is wrong or
 * asks for help, so that the three answer the same way, and the secrets file they read. The
 * benchmarks (`npm run bench`, `npm run load`) read their few options themselves: they are run by
 * whoever works on the sender, not by an admin.
 */

/** The dotenv file each command reads the secrets from unless `--secrets` names another (git ignores it). */
export const DEFAULT_SECRETS_FILE = '.env';
/** The repository's template of that file: each secret with its format, placeholders for the required ones. */
export const EXAMPLE_SECRETS_FILE = '.env.example';

/** A mistake in how a command was called: printed without a stack, with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * node:util's parseArgs, its refusals (an unknown option, a missing value) turned into usage
 * errors in its own words. An unknown option is named alone: the advice Node adds when
 * positionals are allowed (`place it … after '--', as in '-- "--bogus"`) fits no npm script,
 * whose own `--` has already been spent on npm.
 */
export function parseCommandLine<Config extends ParseArgsConfig>(config: Config): ReturnType<typeof parseArgs<Config>> {
  try {
    return parseArgs(config);
  } catch (error) {
    // By code, not by class: Node makes these TypeErrors in its own realm, which a jest test is not in.
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_') || typeof message !== 'string') throw error;
    throw new UsageError(code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? message.replace(/\. To specify a positional argument[\s\S]*$/, '') : message);
  }
}

/** Where a command writes. */
export interface CommandOutput {
  write(text: string): void;
  writeError(text: string): void;
}

/**
 * Reads the command line with `parse`: its options, or the exit code when there is nothing more
 * to do: 0 once the usage is printed for `--help`, 2 once what is wrong is printed with it.
 */
export function readCommandLine<Options extends { help: boolean }>(
  argv: readonly string[],
  parse: (argv: readonly string[]) => Options,
  usage: string,
  io: CommandOutput,
): Options | number {
  let options: Options;
  try {
    options = parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.writeError(`${error.message}\n\n${usage}\n`);
    return 2;
  }
  if (options.help) {
    io.write(`${usage}\n`);
    return 0;
  }
  return options;
}

/**
 * The secrets file given to `npm run check` or `npm run deploy`, from the directory the command
 * was typed in, and how to show it; when it is not there, that is said (what it must hold, and
 * where it comes from) and the exit code of wrong usage, 2, is returned.
 */
export function secretsFileGiven(given: string, io: CommandOutput & { cwd: string }, holds: string): { path: string; shown: string } | number {
  const file = resolve(io.cwd, given);
  const shown = relative(io.cwd, file) || file;
  if (existsSync(file)) return { path: file, shown };
  io.writeError(`The secrets file ${shown} does not exist: copy ${EXAMPLE_SECRETS_FILE} to ${shown} and fill in ${holds}, or pass --secrets with the file that holds them.\n`);
  return 2;
}
