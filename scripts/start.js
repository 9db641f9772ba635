#!/usr/bin/env node
// `npm start`: builds the entries if dist/ lacks them, then runs the runner (TypeScript, bundled
// into build/) with the arguments given after `npm start --`.
'use strict';

const { existsSync } = require('node:fs');
const { execSync } = require('node:child_process');
const path = require('node:path');
const { DEPLOYABLE_ENTRIES } = require('./build');
const { bundleTool } = require('./run-ts');

const root = path.resolve(__dirname, '..');
process.chdir(root);

const missing = Object.keys(DEPLOYABLE_ENTRIES).some((out) => !existsSync(path.join('dist', `${out}.js`)));
if (missing) execSync('npm run -s build', { stdio: 'inherit' });

const runner = bundleTool('src/runner/cli.ts');

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
