#!/usr/bin/env node
// Runs a TypeScript tool of this project (the runner, deploy, the load test, the benchmark): bundles
// it with esbuild into build/tools/ (ignored by git), its packages left to node_modules, then calls
// the `runCli(argv, io)` it exports and exits with the code that resolves to. Importing a tool has
// no effect of its own, so a test can call the same runCli with its own io.
// Usage: node scripts/run-ts.js ENTRY.ts [ARGS…]
'use strict';

const { renameSync, mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

/** Bundles `entry` and returns the bundle's path. */
function bundleTool(entry) {
  // Named after the whole path, so that two tools with the same file name never share an output.
  const outfile = path.join(root, 'build', 'tools', `${path.relative(root, path.resolve(root, entry)).replace(/\.ts$/, '').split(path.sep).join('-')}.js`);
  const [bundle] = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    write: false,
  }).outputFiles;
  // Written beside, then renamed over: two runs of one tool at once (tests do) never load half a file.
  mkdirSync(path.dirname(outfile), { recursive: true });
  const temporary = `${outfile}.${process.pid}.tmp`;
  writeFileSync(temporary, bundle.contents);
  renameSync(temporary, outfile);
  return outfile;
}

/**
 * Runs the tool `entry` with `argv`. It gets, as `io`: `write` and `writeError` (stdout and
 * stderr), `colour` (stdout is a terminal and NO_COLOR is unset), `root` (the repository) and
 * `cwd` (where the user typed the command: npm runs scripts from the root and says where in
 * INIT_CWD). The tool reports its own failures and resolves to the exit code; what it throws is a
 * bug, reported by its kind and stack frames only: a message (an SDK's embeds the response body)
 * could quote a request or a secret.
 */
function launch(entry, argv) {
  // A tool that does not build is not a bug of the tool's: esbuild has printed why, and throws.
  const bundle = bundleTool(entry);
  // `… | head` closes the pipe early; that is the reader's choice, not a failure: the tool runs
  // on, writing nowhere, and exits with its own code (`npm start -- --fail gateway | head` is 1).
  let readerGone = false;
  process.stdout.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    readerGone = true;
  });
  const io = {
    write: (text) => {
      if (!readerGone) process.stdout.write(text);
    },
    writeError: (text) => process.stderr.write(text),
    colour: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
    root,
    cwd: process.env.INIT_CWD ?? process.cwd(),
  };
  Promise.resolve()
    .then(() => require(bundle).runCli(argv, io))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error) => {
        process.stderr.write(`${entry} failed unexpectedly (${error instanceof Error ? error.name : typeof error}); this is a bug, please report it.\n`);
        const frames = error instanceof Error ? (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)) : [];
        if (frames.length > 0) process.stderr.write(`${frames.join('\n')}\n`);
        process.exitCode = 1;
      },
    );
}

module.exports = { bundleTool, launch };

if (require.main === module) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    console.error('usage: node scripts/run-ts.js ENTRY.ts [ARGS…]');
    process.exit(2);
  }
  launch(entry, args);
}
