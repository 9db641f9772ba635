#!/usr/bin/env node
// `npm test`: type-checks (tsc --noEmit: src and tools, and the tests) while it builds dist/ and
// runs jest, and fails when either fails. The two are independent (the bundles are emitted without type checking), and
// most of jest's time is spent waiting on sockets and timers, so running them side by side
// keeps the suite short on a busy machine. Arguments after `npm test --` go to jest.
'use strict';

const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function run(command, args, { capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (capture) {
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
    }
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function main() {
  // tsconfig.json holds what ships and the tools, without jest's globals; test/tsconfig.json adds the tests.
  const tsc = require.resolve('typescript/bin/tsc');
  const typecheck = Promise.all(['tsconfig.json', 'test/tsconfig.json'].map((project) => run(process.execPath, [tsc, '--noEmit', '-p', project], { capture: true }))).then(
    (results) => ({ code: results.find((result) => result.code !== 0)?.code ?? 0, output: results.map((result) => result.output).join('') }),
  );
  const build = await run(process.execPath, ['scripts/build.js']);
  const tests = build.code === 0 ? await run(process.execPath, [require.resolve('jest/bin/jest'), ...process.argv.slice(2)]) : build;
  const types = await typecheck;
  if (types.code !== 0) process.stderr.write(`\nType check (tsc --noEmit) failed:\n${types.output}`);
  process.exitCode = build.code || tests.code || types.code;
}

main();
