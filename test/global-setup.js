// Builds the bundles the tests run, from the current sources, with the tests' own customization
// (and one set per customization example of the README), so that an adopter's edits to
// src/customize.ts never change what the project's tests check. The committed dist/ is tested
// separately, for what holds whatever the customization (test/bundle/shipped-dist.test.ts).
'use strict';

const path = require('node:path');
const { readdirSync } = require('node:fs');
const { bundleEntries, emitJavaScript } = require('../scripts/build');

const root = path.resolve(__dirname, '..');
const CUSTOMIZATIONS = path.join(root, 'test', 'fixtures', 'customizations');

module.exports = async function globalSetup() {
  emitJavaScript();
  await Promise.all(
    readdirSync(CUSTOMIZATIONS)
      .filter((file) => file.endsWith('.ts'))
      .map((file) =>
        bundleEntries({
          outDir: path.join(root, 'build', 'test-dist', path.basename(file, '.ts')),
          customization: path.join(CUSTOMIZATIONS, file),
        }),
      ),
  );
};
