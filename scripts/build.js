#!/usr/bin/env node
// Bundles each entry into one self-contained CommonJS file under dist/. The runtime provides
// `twilio` (the tenant declares it), so it stays a plain require(); everything else is inlined.
// Type checking is `tsc --noEmit` (npm run build runs it first); esbuild only emits.
'use strict';

const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

/** Pasted or deployed by tenant admins: readable, not minified, one file each. */
const DEPLOYABLE_ENTRIES = {
  'hook/send-phone-message': 'src/hook/send-phone-message.ts',
  'actions/send-phone-message': 'src/actions/send-phone-message.ts',
  'actions/custom-phone-provider': 'src/actions/custom-phone-provider.ts',
};

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
        charset: 'utf8',
        logLevel: 'warning',
        banner: {
          js: `// Built from src/${entry.replace(/^src\//, '')} by \`npm run build\`; edit the TypeScript source, not this file.`,
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
