/**
 * A tool for the launcher's tests (launcher.test.ts), run as `node scripts/run-ts.js
 * test/deploy/fixture-tool.ts WHAT [CODE]`: `exit CODE` prints the io it was given and resolves to
 * CODE; `throw` throws an error whose message must never be printed; `flood CODE` writes 64 MB,
 * far more than a pipe holds, then resolves to CODE.
 */
export async function runCli(argv: readonly string[], io: { write(text: string): void; writeError(text: string): void; root: string; cwd: string; colour: boolean }): Promise<number> {
  const [what, code] = argv;
  if (what === 'throw') throw new RangeError('a message that quotes a request: secret-never-printed-0042');
  if (what === 'flood') {
    const chunk = `${'x'.repeat(1023)}\n`.repeat(64);
    for (let written = 0; written < 1_000; written += 1) {
      io.write(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return Number(code);
  }
  io.write(JSON.stringify({ argv, root: io.root, cwd: io.cwd, colour: io.colour }));
  return Number(code);
}
