import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';

/**
 * What every command of the project (npm start, deploy, check, bench) does with a command line
 * that is wrong or asks for help, so that they all answer the same way.
 */

/** A mistake in how a command was called: printed without a stack, with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
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
  io.writeError(`The secrets file ${shown} does not exist: copy .env.example to ${shown} and fill in ${holds}, or pass --secrets with the file that holds them.\n`);
  return 2;
}
