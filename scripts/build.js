#!/usr/bin/env node
// Bundles each entry into one self-contained CommonJS file under dist/. The runtime provides
// `twilio` (the tenant declares it), so it stays a plain require(); everything else is inlined.
// Type checking is `tsc --noEmit` (npm run build runs it first); esbuild only emits.
'use strict';

const { readFileSync } = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

/**
 * Pasted or deployed by tenant admins, one file each. Whitespace and syntax are minified to keep
 * the hook small (a tenant's editor and compiler load it on every cold start), but identifiers
 * keep their names: formatted in any editor, the file reads like its TypeScript source.
 */
const DEPLOYABLE_ENTRIES = {
  'hook/send-phone-message': 'src/hook/send-phone-message.ts',
  'actions/send-phone-message': 'src/actions/send-phone-message.ts',
  'actions/custom-phone-provider': 'src/actions/custom-phone-provider.ts',
};

/** The entry's opening doc comment (what it does, its secrets, what it answers), for the file's top. */
function entryBanner(entry) {
  const match = /^\/\*\*[\s\S]*?\*\//.exec(readFileSync(path.join(root, entry), 'utf8'));
  return match ? `${match[0]}\n` : '';
}

async function buildDeployables() {
  await Promise.all(
    Object.entries(DEPLOYABLE_ENTRIES).map(([out, entry]) =>
      esbuild.build({
        absWorkingDir: root,
        entryPoints: [entry],
        outfile: path.join('dist', `${out}.js`),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node18',
        external: ['twilio'],
        legalComments: 'none',
        minifyWhitespace: true,
        minifySyntax: true,
        charset: 'utf8',
        logLevel: 'warning',
        banner: {
          js: `${entryBanner(entry)}// Built from ${entry} by \`npm run build\` (esbuild, identifiers kept); edit the TypeScript source, not this file.`,
        },
      }),
    ),
  );
}

module.exports = { buildDeployables, DEPLOYABLE_ENTRIES };

if (require.main === module) {
  buildDeployables().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
