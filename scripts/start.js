#!/usr/bin/env node
// `npm start`: builds the entries if dist/ lacks them, bundles the runner (TypeScript) into
// build/, and runs it with the arguments given after `npm start --`.
'use strict';

const { existsSync } = require('node:fs');
const { execSync } = require('node:child_process');
const path = require('node:path');
const esbuild = require('esbuild');
const { DEPLOYABLE_ENTRIES } = require('./build');

const root = path.resolve(__dirname, '..');
process.chdir(root);

const missing = Object.keys(DEPLOYABLE_ENTRIES).some((out) => !existsSync(path.join('dist', `${out}.js`)));
if (missing) execSync('npm run -s build', { stdio: 'inherit' });

esbuild.buildSync({
  entryPoints: ['src/runner/cli.ts'],
  outfile: 'build/runner.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});

// `npm start | head` closes the pipe early; that is the reader's choice, not a failure.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const { runCli } = require(path.join(root, 'build', 'runner.js'));
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
