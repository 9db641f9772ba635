#!/usr/bin/env node
// Runs a TypeScript tool of this project (the runner, the load test, the benchmark): bundles it
// with esbuild into build/ (ignored by git), its packages left to node_modules, then runs it.
// Usage: node scripts/run-ts.js ENTRY.ts [ARGS…]
'use strict';

const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

function bundleTool(entry) {
  // Named after the whole path, so that two tools with the same file name never share an output.
  const outfile = path.join(root, 'build', 'tools', `${path.relative(root, path.resolve(root, entry)).replace(/\.ts$/, '').split(path.sep).join('-')}.js`);
  esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  return outfile;
}

module.exports = { bundleTool };

if (require.main === module) {
  const [entry, ...args] = process.argv.slice(2);
  if (!entry) {
    console.error('usage: node scripts/run-ts.js ENTRY.ts [ARGS…]');
    process.exit(2);
  }
  process.argv = [process.argv[0], bundleTool(entry), ...args];
  require(process.argv[1]);
}
