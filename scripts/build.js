#!/usr/bin/env node
// Builds each entry into one self-contained, readable CommonJS file under dist/: `tsc` turns the
// TypeScript into JavaScript without its comments (they stay in src/, where contributors read
// them; the bundles keep their names and line breaks), then rollup joins the modules into one
// file under the entry's banner, whose list of secrets is made from SECRETS.
// The runtime provides `twilio` (and `libphonenumber-js`, when used), so those stay plain
// require() calls. Type checking is `tsc --noEmit` (npm run build runs it first); this only emits.
'use strict';

const { execFileSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { rollup } = require('rollup');
const ts = require('typescript');
const { AUTH0_CODE_LIMIT_BYTES } = require('./auth0-limits');

const root = path.resolve(__dirname, '..');
const EMIT = path.join(root, 'build', 'emit');

/** Pasted or deployed by tenant admins, one file each, read before they paste it. */
const DEPLOYABLE_ENTRIES = {
  'hook/send-phone-message': 'src/hook/send-phone-message.ts',
  'actions/send-phone-message': 'src/actions/send-phone-message.ts',
  'actions/custom-phone-provider': 'src/actions/custom-phone-provider.ts',
};

/** What the tenant declares as dependencies, and Node's own modules: never bundled. */
const isRuntimeModule = (id) => /^(twilio|libphonenumber-js)(\/|$)/.test(id) || require('node:module').builtinModules.includes(id);

/** Where an entry's banner lists the secrets: the build writes them there. */
const SECRETS_MARKER = ' *   (the secrets: generated from SECRETS in src/core/config.ts when the bundle is built)';
/** The column where a secret's summary starts, and the width of a banner line. */
const SUMMARY_COLUMN = 35;
const BANNER_WIDTH = 100;

/** SECRETS of src/core/config.ts with what each is for (SECRET_DOCS), read from the source itself (esbuild turns it into a module). */
function secretsList() {
  const [output] = require('esbuild').buildSync({
    absWorkingDir: root,
    stdin: { contents: "export { SECRETS } from './src/core/config'; export { SECRET_DOCS } from './src/core/secret-docs';", resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'warning',
  }).outputFiles;
  const module = { exports: {} };
  new Function('module', 'exports', 'require', output.text)(module, module.exports, require);
  const { SECRETS, SECRET_DOCS } = module.exports;
  return Object.entries(SECRETS).map(([key, { name }]) => ({ name, ...SECRET_DOCS[key] }));
}

/** One line a secret, `NAME` then what it is for, wrapped under the summary column. */
function secretLines(secrets) {
  return secrets.flatMap(({ name, summary }) => {
    const lines = [];
    let line = ` *   ${name.padEnd(SUMMARY_COLUMN - 5)}`;
    for (const word of summary.split(' ')) {
      if (line.length + word.length + 1 > BANNER_WIDTH && line.trim() !== '*') {
        lines.push(line.trimEnd());
        line = ` *${' '.repeat(SUMMARY_COLUMN - 2)}`;
      }
      line += line.endsWith(' ') ? word : ` ${word}`;
    }
    lines.push(line.trimEnd());
    return lines;
  });
}

/** The entry's opening doc comment (what it does, its secrets, what it answers), its secrets listed. */
function entryBanner(entry, secrets = secretsList()) {
  const match = /^\/\*\*[\s\S]*?\*\//.exec(readFileSync(path.join(root, entry), 'utf8'));
  if (!match) throw new Error(`${entry} must open with a doc comment: it is the banner of its bundle`);
  if (!match[0].includes(SECRETS_MARKER)) throw new Error(`The banner of ${entry} must hold the line "${SECRETS_MARKER.trim()}": the build lists the secrets there`);
  return match[0].replace(SECRETS_MARKER, secretLines(secrets).join('\n'));
}

/** Emits src/ as JavaScript modules, comments kept, into build/emit/, unless it holds them already. */
function emitJavaScript() {
  const stamp = path.join(EMIT, '.source-hash');
  const hash = sourceHash();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  rmSync(EMIT, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  writeFileSync(stamp, hash);
}

/**
 * Puts another customization in place of src/customize.ts (the tests build with their own, so
 * that an adopter's edits never change what the project's tests check).
 */
function customizationPlugin(customizationPath) {
  const emitted = path.join(EMIT, 'customize.js');
  return {
    name: 'customization',
    async resolveId(source, importer, options) {
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === emitted ? customizationPath : null;
    },
    load(id) {
      if (id !== customizationPath) return null;
      const source = readFileSync(id, 'utf8');
      return ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, removeComments: false } }).outputText;
    },
  };
}

/**
 * A tab a level where tsc writes four spaces: an editor shows it as wide as its reader likes
 * (Auth0's editor four columns, GitHub the two of .editorconfig), and the bundle is a tenth
 * lighter against Auth0's 100 kB, room left for the adopter's customization. Only the indentation
 * of lines that start outside a string or template changes (TypeScript's own scanner says where
 * those are), so no text moves.
 */
function indentWithTabs(code) {
  const source = ts.createSourceFile('bundle.js', code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  /** [start, end) of every literal whose text may hold a line break that is its content. */
  const verbatim = [];
  const literal = new Set([ts.SyntaxKind.StringLiteral, ts.SyntaxKind.NoSubstitutionTemplateLiteral, ts.SyntaxKind.TemplateHead, ts.SyntaxKind.TemplateMiddle, ts.SyntaxKind.TemplateTail]);
  const visit = (node) => {
    if (literal.has(node.kind)) verbatim.push([node.getStart(source), node.end]);
    ts.forEachChild(node, visit);
  };
  visit(source);
  const inside = (offset) => verbatim.some(([start, end]) => offset > start && offset < end);
  let offset = 0;
  return code
    .split('\n')
    .map((line) => {
      const start = offset;
      offset += line.length + 1;
      const indent = /^ */.exec(line)[0].length;
      // Four spaces a level become a tab; what is left over stays.
      return inside(start) ? line : '\t'.repeat(Math.floor(indent / 4)) + ' '.repeat(indent % 4) + line.slice(indent);
    })
    .join('\n');
}

/**
 * Fails the build, before the file is written, when a bundle would not fit Auth0's limit on an
 * action's code: Auth0 would refuse it only when the tenant admin pastes or deploys it.
 */
class OversizedBundleError extends Error {
  name = 'OversizedBundleError';
}

function refuseOversized(file, code, customization) {
  const bytes = Buffer.byteLength(code);
  if (bytes <= AUTH0_CODE_LIMIT_BYTES) return;
  const customizedBy = path.relative(root, customization ?? path.join(root, 'src', 'customize.ts'));
  throw new OversizedBundleError(
    `${file} would be ${bytes.toLocaleString('en-US')} bytes, over Auth0's limit of ${AUTH0_CODE_LIMIT_BYTES.toLocaleString('en-US')} bytes for an action's code. ` +
      `Shorten what ${customizedBy} adds (its comments count too), then build again; nothing was written.`,
  );
}

/** Bundles the emitted entries into `outDir` (dist/ by default), with an optional other customization. */
async function bundleEntries({ outDir = path.join(root, 'dist'), customization } = {}) {
  const secrets = secretsList();
  await Promise.all(
    Object.entries(DEPLOYABLE_ENTRIES).map(async ([out, entry]) => {
      const bundle = await rollup({
        input: path.join(EMIT, entry.replace(/^src\//, '').replace(/\.ts$/, '.js')),
        external: isRuntimeModule,
        plugins: customization ? [customizationPlugin(path.resolve(customization))] : [],
        onwarn(warning) {
          throw new Error(`rollup: ${warning.message}`);
        },
      });
      const { output } = await bundle.generate({ format: 'cjs', exports: 'auto', generatedCode: { preset: 'es2015', symbols: false }, interop: 'default' });
      await bundle.close();
      const banner = entryBanner(entry, secrets);
      const body = indentWithTabs(output[0].code);
      const file = path.join(outDir, `${out}.js`);
      const code = `${banner}\n// Built from ${entry} by \`npm run build\`: edit the TypeScript source, not this file.\n${body}`;
      refuseOversized(path.relative(root, file), code, customization);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, code);
    }),
  );
}

/** Where dist/ records the sources it was built from, so `npm start` can tell whether to rebuild. */
const SOURCE_HASH_FILE = path.join(root, 'dist', '.source-hash');

/**
 * A hash of everything the bundles are made from. By content, not by modification time: a fresh
 * clone writes dist/ and src/ in any order.
 */
function sourceHash() {
  const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
  const hash = createHash('sha256');
  for (const file of [...files(path.join(root, 'src')), __filename, path.join(root, 'tsconfig.json'), path.join(root, 'tsconfig.build.json')].sort()) {
    hash.update(`${path.relative(root, file).split(path.sep).join('/')}\0`).update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Whether dist/ holds every deployable bundle, built from the sources as they are now. */
function distIsFresh() {
  const bundles = Object.keys(DEPLOYABLE_ENTRIES).map((out) => path.join(root, 'dist', `${out}.js`));
  const builtFrom = existsSync(SOURCE_HASH_FILE) ? readFileSync(SOURCE_HASH_FILE, 'utf8').trim() : undefined;
  return bundles.every((bundle) => existsSync(bundle)) && builtFrom === sourceHash();
}

/** `npm run build`: emits, then bundles into dist/. */
async function buildDeployables() {
  emitJavaScript();
  await bundleEntries();
  writeFileSync(SOURCE_HASH_FILE, `${sourceHash()}\n`);
}

module.exports = { buildDeployables, bundleEntries, OversizedBundleError, distIsFresh, emitJavaScript, entryBanner, sourceHash, DEPLOYABLE_ENTRIES, SOURCE_HASH_FILE };

if (require.main === module) {
  buildDeployables().catch((error) => {
    // A bundle too large is the adopter's to fix, and the message says how: no stack trace.
    console.error(error instanceof OversizedBundleError ? `npm run build: ${error.message}` : error);
    process.exitCode = 1;
  });
}
