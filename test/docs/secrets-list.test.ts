import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';
import { join } from 'node:path';
import { ALL_SECRET_NAMES, SECRETS } from '../../src/core/config';
import { SECRET_DOCS } from '../../src/core/secret-docs';

// The secrets are listed once, in SECRETS (src/core/config.ts), and described once, in SECRET_DOCS
// (src/core/secret-docs.ts). Every other place that names them is held to that here: a secret
// added, renamed or dropped in code fails this file until the README and .env.example say the
// same; the three banners are written from them by the build.

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();
const EXPECTED = sorted(ALL_SECRET_NAMES);
/** What a secret's name looks like, so that other capitals in a text (E.164, ISO) are not taken for one. */
const SECRET_NAME = /\b(?:TWILIO|ALLOWED|WHATSAPP|ENROLLMENT)_[A-Z0-9_]+\b/g;
/** Each secret with its format and summary. */
const DESCRIBED = Object.entries(SECRETS).map(([key, { name }]) => ({ name, ...SECRET_DOCS[key as keyof typeof SECRETS] }));

/** The rows of the README's secrets table: `| \`NAME\` | … | format | … |`, under a header whose first cell is "secret". */
function readmeSecretRows(readme: string): Map<string, string[]> {
  const lines = readme.split('\n');
  const header = lines.findIndex((line) => /^\|\s*secret\s*\|/i.test(line));
  if (header < 0) throw new Error('README.md has no table whose first column is "secret"');
  const columns = (line: string): string[] => line.split('|').slice(1, -1).map((cell) => cell.trim());
  const names = columns(lines[header] ?? '').map((cell) => cell.toLowerCase());
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = columns(line);
    rows.set((cells[0] ?? '').replace(/`/g, ''), cells);
  }
  rows.set('(columns)', names);
  return rows;
}

/** `.env.example`: each `NAME=` line with the `# format:` comment above it. */
function envExampleEntries(text: string): Map<string, string | undefined> {
  const entries = new Map<string, string | undefined>();
  let format: string | undefined;
  for (const line of text.split('\n')) {
    const comment = /^#\s*format:\s*(.*)$/.exec(line);
    if (comment) format = comment[1]?.trim();
    const assignment = /^([A-Z][A-Z0-9_]*)=/.exec(line);
    if (assignment?.[1] !== undefined) entries.set(assignment[1], format);
    if (line.trim() === '') format = undefined;
  }
  return entries;
}

describe('the one list of secrets (SECRETS in src/core/config.ts)', () => {
  it('names each secret once', () => {
    expect(ALL_SECRET_NAMES).toHaveLength(EXPECTED.length);
  });

  it.each(DESCRIBED.map((secret) => [secret.name, secret.summary]))('says in a few words of its own what %s is for', (name, summary) => {
    expect(summary.trim().split(/\s+/).length).toBeGreaterThanOrEqual(2);
    expect(DESCRIBED.filter((secret) => secret.summary === summary).map((secret) => secret.name)).toEqual([name]);
  });

  describe('the README secrets table', () => {
    const rows = readmeSecretRows(read('README.md'));
    const formatColumn = (rows.get('(columns)') ?? []).indexOf('format');

    it('has a row for each secret, and no other', () => {
      expect(sorted([...rows.keys()].filter((name) => name !== '(columns)'))).toEqual(EXPECTED);
    });

    it.each(DESCRIBED.map((secret) => [secret.name, secret.format]))('states the format of %s as the code does', (name, format) => {
      expect(formatColumn).toBeGreaterThan(0);
      expect((rows.get(name)?.[formatColumn] ?? '').replace(/`/g, '')).toBe(format);
    });
  });

  describe('.env.example', () => {
    const entries = envExampleEntries(read('.env.example'));

    it('has a line for each secret, and no other besides the AUTH0_ ones of npm run deploy', () => {
      expect(sorted([...entries.keys()].filter((name) => !name.startsWith('AUTH0_')))).toEqual(EXPECTED);
    });

    it.each(DESCRIBED.map((secret) => [secret.name, secret.format]))('states the format of %s as the code does', (name, format) => {
      expect(entries.get(name)).toBe(format);
    });
  });

  describe.each(['src/hook/send-phone-message.ts', 'src/actions/send-phone-message.ts', 'src/actions/custom-phone-provider.ts'])('the banner the build writes for %s', (entry) => {
    const { entryBanner } = require('../../scripts/build.js') as { entryBanner: (entry: string) => string };
    const banner = entryBanner(entry);

    it('names each secret, and no other', () => {
      expect(sorted(banner.match(SECRET_NAME) ?? [])).toEqual(EXPECTED);
    });

    it.each(DESCRIBED.map((secret) => [secret.name, secret.summary]))('says what %s is for, in the words of SECRET_DOCS', (name, summary) => {
      const line = banner.split('\n').findIndex((text) => text.startsWith(` *   ${name} `));
      const words = banner.split('\n').slice(line, line + 3).join(' ').replace(/\s*\*\s+/g, ' ');
      expect(words).toContain(summary);
    });

    it('names no secret in the source banner: the list is the build\'s', () => {
      const source = /^\/\*\*[\s\S]*?\*\//.exec(read(entry))?.[0] ?? '';
      expect(source.match(SECRET_NAME) ?? []).toEqual([]);
    });
  });

  describe('the messages of src/ (its string literals)', () => {
    const literals = (file: string): string[] => {
      const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.ES2022, true);
      const texts: string[] = [];
      const visit = (node: ts.Node): void => {
        if (ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) texts.push(node.text);
        ts.forEachChild(node, visit);
      };
      visit(source);
      return texts;
    };
    const files = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(`${dir}/${entry.name}`) : entry.name.endsWith('.ts') ? [`${dir}/${entry.name}`] : []));

    it('name only secrets of SECRETS, so a renamed secret fails here until every message says the new name', () => {
      const named = files('src').flatMap((file) => literals(file).flatMap((text) => text.match(SECRET_NAME) ?? []));
      expect(named.length).toBeGreaterThan(20);
      expect(sorted(named).filter((name) => !EXPECTED.includes(name))).toEqual([]);
    });
  });

  it('catches a list that differs: a secret missing from a banner fails the comparison', () => {
    const banner = '/** TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN */';
    expect(sorted(banner.match(SECRET_NAME) ?? [])).not.toEqual(EXPECTED);
  });
});
