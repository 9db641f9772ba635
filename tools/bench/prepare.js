#!/usr/bin/env node
// Runs before `npm run bench` and `npm run load`, and never writes a tracked file. When dist/ was
// built from the current src/ (its source hash matches), they measure dist/ itself; otherwise
// they measure a fresh build of src/ made in build/bench/dist/, and dist/ stays as it is (it is
// `npm run build` that updates dist/). Records which in build/bench/bundles.json, then bundles
// the tools named as arguments (the benchmark's cold-start child).
'use strict';

const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { bundleEntries, distIsFresh, emitJavaScript } = require('../../scripts/build');
const { bundleTool } = require('../../scripts/run-ts');

const root = path.resolve(__dirname, '..', '..');

async function main() {
  process.chdir(root);
  const fresh = distIsFresh();
  let dir = 'dist';
  if (!fresh) {
    dir = path.join('build', 'bench', 'dist');
    process.stderr.write(`dist/ was not built from the current src/: measuring a fresh build in ${dir}/ (dist/ is left as it is)\n`);
    emitJavaScript();
    await bundleEntries({ outDir: path.join(root, dir) });
  }
  mkdirSync(path.join('build', 'bench'), { recursive: true });
  writeFileSync(path.join('build', 'bench', 'bundles.json'), `${JSON.stringify({ dir: dir.split(path.sep).join('/'), distIsFresh: fresh })}\n`);
  for (const tool of process.argv.slice(2)) bundleTool(tool);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
