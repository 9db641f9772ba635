#!/usr/bin/env node
// `npm start`: builds the entries when dist/ lacks them or was built from other sources, then
// runs the runner (TypeScript, bundled into build/) with the arguments given after `npm start --`.
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { distIsFresh } = require('./build');
const { bundleTool } = require('./run-ts');

const root = path.resolve(__dirname, '..');
process.chdir(root);

// The runner must run what the tenant would paste after `npm run build`: an edited
// src/customize.ts is built first. Compared by content, so a fresh clone never rebuilds.
if (!distIsFresh()) {
  process.stderr.write('src/ has changed since dist/ was built: rebuilding (npm run build)…\n');
  const build = spawnSync('npm', ['run', '-s', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) {
    process.stderr.write('\nThe build failed (see above): fix what it names, such as a type error in src/customize.ts, then run npm start again.\n');
    process.exit(1);
  }
}

const runner = bundleTool('tools/runner/cli.ts');

// `npm start | head` closes the pipe early; that is the reader's choice, not a failure.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const { runCli } = require(runner);
runCli(process.argv.slice(2), {
  write: (text) => process.stdout.write(text),
  colour: process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
