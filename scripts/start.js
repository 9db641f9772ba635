#!/usr/bin/env node
// `npm start`: builds the entries if dist/ lacks them, then runs the runner (TypeScript, bundled
// into build/) with the arguments given after `npm start --`.
'use strict';

const { existsSync, readdirSync, statSync } = require('node:fs');
const { execSync } = require('node:child_process');
const path = require('node:path');
const { DEPLOYABLE_ENTRIES } = require('./build');
const { bundleTool } = require('./run-ts');

const root = path.resolve(__dirname, '..');
process.chdir(root);

/** The newest modification time of the files under `dir`. */
function newestChange(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const file = path.join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestChange(file) : statSync(file).mtimeMs);
  }, 0);
}

// Build when dist/ lacks an entry or is older than a source, such as an edited src/customize.ts:
// the runner must run what the tenant would paste after `npm run build`.
const bundles = Object.keys(DEPLOYABLE_ENTRIES).map((out) => path.join('dist', `${out}.js`));
const stale =
  bundles.some((bundle) => !existsSync(bundle)) ||
  Math.min(...bundles.map((bundle) => statSync(bundle).mtimeMs)) < newestChange('src');
if (stale) execSync('npm run -s build', { stdio: 'inherit' });

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
