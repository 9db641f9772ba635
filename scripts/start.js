#!/usr/bin/env node
// `npm start`: builds the entries when dist/ lacks them or was built from other sources, then
// runs the runner (tools/runner/cli.ts) as every tool runs (scripts/run-ts.js), with the
// arguments given after `npm start --`.
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { distIsFresh } = require('./build');
const { launch } = require('./run-ts');

process.chdir(path.resolve(__dirname, '..'));

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

launch('tools/runner/cli.ts', process.argv.slice(2));
