import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { TWILIO_ERROR_ADVICE } from '../../src/core/classify';
import { MAX_LOG_LINE_LENGTH } from '../../src/core/log-line';
import { INITIAL_RETRY_DELAY_MS, MAX_ATTEMPTS, MAX_RETRY_DELAY_MS, MIN_ATTEMPT_TIME_MS } from '../../src/core/retry';
import { SEND_DEADLINE_MS } from '../../src/core/send';
import { CONFIRM_WINDOW_MS, STATUS_POLL_INTERVAL_MS } from '../../src/core/confirm';
import { FALLBACK_RESERVE_MS } from '../../src/core/deliver';
import { ATTEMPT_TIMEOUT_MS, IDLE_CONNECTION_TIMEOUT_MS, PRECONNECT_WAIT_MS } from '../../src/core/transport';
import { LOOKUP_BUDGET_MS } from '../../src/core/screen/lookup';
import { DEFAULT_ENROLLMENTS_PER_BLOCK, DEFAULT_LOOKUP_MAX_RISK } from '../../src/core/screen/settings';
import { CHECK_LINES } from '../../tools/check/run';
import { MAX_TWILIO_TEXT_LENGTH } from '../../src/core/classify';
import { MAX_IDLE_CONNECTIONS } from '../../src/core/transport';
import { WHATSAPP_MEMORY_MS } from '../../src/core/whatsapp-memory';
import { LOOKUP_MEMORY_MS } from '../../src/core/screen/lookup-memory';
import { MAX_RATE_LIMIT_RETRIES, MAX_RATE_LIMIT_WAIT_MS } from '../../tools/deploy/rate-limit';
import { FIRST_BUILD_POLL_DELAY_MS, MAX_BUILD_POLL_DELAY_MS } from '../../tools/deploy/build-wait';
import { DEFAULT_BUILD_TIMEOUT_SECONDS } from '../../tools/deploy/args';
import { BIND_RETRY_DELAYS_MS } from '../../tools/deploy/tenant-api';

/*
 * The README is the landing page and docs/ holds the depth (issue 16, "One fact, one place").
 * These checks hold the text to the repository: links and anchors resolve, the README stays
 * small, its troubleshooting table lists exactly the Twilio codes the code gives advice for, and
 * the limits the text states are the code's.
 */

const ROOT = join(__dirname, '..', '..');
const README = 'README.md';
/** 15 KB: the README is a landing page. */
const MAX_README_BYTES = 15 * 1024;

const DOC_FILES = readdirSync(join(ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => `docs/${name}`);
const MARKDOWN_FILES = [README, ...DOC_FILES];

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

// ---------------------------------------------------------------------------------------------
// Markdown, as far as these checks need it.

/** The lines of a markdown text, with the lines of fenced code blocks (fences included) blanked. */
function proseLines(markdown: string): string[] {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined) {
      if (marker === undefined) return line;
      fence = marker;
      return '';
    }
    if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
    return '';
  });
}

/** Text outside code, inline code spans removed: what can hold a link. */
const withoutInlineCode = (line: string): string => line.replace(/(`+)[^`]*?\1/g, '');

/** GitHub's anchor for a heading: lowercase, punctuation other than '-' and '_' removed, each space a '-'. */
function slug(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a markdown text's headings, a repeated one numbered as GitHub does (-1, -2). */
function anchors(markdown: string): string[] {
  const seen = new Map<string, number>();
  const result: string[] = [];
  for (const line of proseLines(markdown)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.push(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

/** The targets of the inline links and images of a markdown text, outside code. */
function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(markdown)) {
    for (const match of withoutInlineCode(line).matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) {
      targets.push(match[1] ?? '');
    }
  }
  return targets;
}

/** A link with a scheme (https:, mailto:, …) leaves the repository: not checked. */
const isExternal = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target);

/**
 * The links of `markdown` (the file at `source`, relative to the repository root) that do not
 * resolve: a file that does not exist, or an anchor that no heading of the target makes.
 * `load` returns a file's text ('' for a directory or a file that is not markdown), or undefined
 * when there is no such file.
 */
function brokenLinks(source: string, markdown: string, load: (path: string) => string | undefined): string[] {
  const broken: string[] = [];
  for (const target of linkTargets(markdown)) {
    if (isExternal(target)) continue;
    const hash = target.indexOf('#');
    const pathPart = decodeURI(hash === -1 ? target : target.slice(0, hash));
    const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
    const path = pathPart === '' ? source : posix.normalize(posix.join(posix.dirname(source), pathPart));
    const text = path === source ? markdown : path.startsWith('..') ? undefined : load(path);
    if (text === undefined) {
      broken.push(`${source}: ${target} (no file ${path})`);
    } else if (anchor !== undefined && path.endsWith('.md') && !anchors(text).includes(anchor)) {
      broken.push(`${source}: ${target} (no heading of ${path} makes #${anchor})`);
    }
  }
  return broken;
}

function loadFromRepository(path: string): string | undefined {
  const absolute = join(ROOT, path);
  if (!existsSync(absolute)) return undefined;
  return statSync(absolute).isFile() && path.endsWith('.md') ? readFileSync(absolute, 'utf8') : '';
}

/**
 * The blocks of a markdown text, outside code, whitespace collapsed and emphasis markers removed:
 * paragraphs, and each list item, table row, heading and quote line on its own.
 */
function blocks(markdown: string): string[] {
  const result: string[][] = [];
  let current: string[] = [];
  for (const line of proseLines(markdown)) {
    if (line.trim() === '' || /^\s*(\||[-*] |\d+\. |#|>)/.test(line)) {
      if (current.length > 0) result.push(current);
      current = [];
    }
    if (line.trim() !== '') current.push(line.trim());
  }
  if (current.length > 0) result.push(current);
  return result.map((lines) => lines.join(' ').replace(/\*\*/g, ''));
}

/** The part of a markdown text under the `## title` heading, up to the next heading of level 1 or 2. */
function section(markdown: string, title: string): string {
  const lines = markdown.split('\n');
  const prose = proseLines(markdown);
  const start = prose.findIndex((line) => line.trim() === `## ${title}`);
  if (start === -1) throw new Error(`no "## ${title}" heading`);
  const end = prose.findIndex((line, index) => index > start && /^#{1,2}\s/.test(line));
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

/** The body rows of the tables of a markdown text (separator rows left out). */
const tableRows = (markdown: string): string[] =>
  proseLines(markdown).filter((line) => line.startsWith('|') && !/^\|[\s:|-]+$/.test(line.trim()));

const firstCell = (row: string): string => row.split('|')[1] ?? '';

const TWILIO_CODES = [...TWILIO_ERROR_ADVICE.keys()].sort((a, b) => a - b);

/** The codes of TWILIO_ERROR_ADVICE that a text names. */
const adviceCodesIn = (text: string): number[] => TWILIO_CODES.filter((code) => new RegExp(`\\b${code}\\b`).test(text));

// ---------------------------------------------------------------------------------------------
// Limits the text states, against the constants that define them.

interface Limit {
  name: string;
  /** How the text writes the value, e.g. `10 s`. */
  text: string;
}

const seconds = (ms: number): string => `${ms / 1000} s`;
const DAY_MS = 24 * 60 * 60 * 1000;
const days = (ms: number): string => (ms === DAY_MS ? 'a day' : `${ms / DAY_MS} days`);
/** `1, 2 and 4 s`. */
const secondsList = (list: readonly number[]): string => `${list.slice(0, -1).map((ms) => ms / 1000).join(', ')} and ${seconds(list[list.length - 1] ?? 0)}`;

const LIMITS: readonly Limit[] = [
  { name: 'SEND_DEADLINE_MS', text: seconds(SEND_DEADLINE_MS) },
  { name: 'ATTEMPT_TIMEOUT_MS', text: seconds(ATTEMPT_TIMEOUT_MS) },
  { name: 'MAX_ATTEMPTS', text: `${MAX_ATTEMPTS} attempts` },
  { name: 'MAX_LOG_LINE_LENGTH', text: `${MAX_LOG_LINE_LENGTH} characters` },
  { name: 'INITIAL_RETRY_DELAY_MS', text: `= ${INITIAL_RETRY_DELAY_MS}` },
  { name: 'MAX_RETRY_DELAY_MS', text: seconds(MAX_RETRY_DELAY_MS) },
  { name: 'MIN_ATTEMPT_TIME_MS', text: seconds(MIN_ATTEMPT_TIME_MS) },
  { name: 'IDLE_CONNECTION_TIMEOUT_MS', text: seconds(IDLE_CONNECTION_TIMEOUT_MS) },
  { name: 'STATUS_POLL_INTERVAL_MS', text: seconds(STATUS_POLL_INTERVAL_MS) },
  { name: 'CONFIRM_WINDOW_MS', text: seconds(CONFIRM_WINDOW_MS) },
  { name: 'FALLBACK_RESERVE_MS', text: seconds(FALLBACK_RESERVE_MS) },
  { name: 'PRECONNECT_WAIT_MS', text: `${PRECONNECT_WAIT_MS} ms` },
  { name: 'LOOKUP_BUDGET_MS', text: `= ${seconds(LOOKUP_BUDGET_MS)}` },
  { name: 'DEFAULT_ENROLLMENTS_PER_BLOCK', text: `= ${DEFAULT_ENROLLMENTS_PER_BLOCK}` },
  { name: 'DEFAULT_LOOKUP_MAX_RISK', text: `= ${DEFAULT_LOOKUP_MAX_RISK}` },
  { name: 'WHATSAPP_MEMORY_MS', text: days(WHATSAPP_MEMORY_MS) },
  { name: 'LOOKUP_MEMORY_MS', text: days(LOOKUP_MEMORY_MS) },
  { name: 'MAX_IDLE_CONNECTIONS', text: `at most ${MAX_IDLE_CONNECTIONS} idle` },
  { name: 'MAX_TWILIO_TEXT_LENGTH', text: `${MAX_TWILIO_TEXT_LENGTH} characters` },
  { name: 'MAX_RATE_LIMIT_RETRIES', text: `${MAX_RATE_LIMIT_RETRIES} retries` },
  { name: 'MAX_RATE_LIMIT_WAIT_MS', text: `at most ${seconds(MAX_RATE_LIMIT_WAIT_MS)}` },
  { name: 'FIRST_BUILD_POLL_DELAY_MS', text: seconds(FIRST_BUILD_POLL_DELAY_MS) },
  { name: 'MAX_BUILD_POLL_DELAY_MS', text: `to ${seconds(MAX_BUILD_POLL_DELAY_MS)}` },
  { name: 'DEFAULT_BUILD_TIMEOUT_SECONDS', text: `${DEFAULT_BUILD_TIMEOUT_SECONDS}` },
  { name: 'BIND_RETRY_DELAYS_MS', text: secondsList(BIND_RETRY_DELAYS_MS) },
];

/** The limits the README must state, each naming its constant. */
const README_LIMITS = ['SEND_DEADLINE_MS', 'MAX_ATTEMPTS', 'MAX_LOG_LINE_LENGTH'];

/**
 * Where a text names a limit's constant, the clause that names it (the 40 characters before the
 * name, the 20 after) must state the value as the code defines it: `a deadline of 10 s
 * (SEND_DEADLINE_MS)`. Returns the mentions that do not.
 */
function limitMismatches(source: string, markdown: string, limits: readonly Limit[]): string[] {
  const mismatches: string[] = [];
  for (const block of blocks(markdown)) {
    for (const limit of limits) {
      for (const match of block.matchAll(new RegExp(`\\b${limit.name}\\b`, 'g'))) {
        const clause = block.slice(Math.max(0, match.index - 40), match.index + limit.name.length + 20);
        if (!clause.includes(limit.text)) mismatches.push(`${source}: "…${clause}…" names ${limit.name} but not ${limit.text}`);
      }
    }
  }
  return mismatches;
}

/** Phrasings that state a limit without naming its constant, each with the value it must have. */
const UNNAMED_LIMITS: ReadonlyArray<{ pattern: RegExp; value: number; name: string }> = [
  { pattern: /\b(\d+(?:\.\d+)?) s deadline\b|\bdeadline of (\d+(?:\.\d+)?) s\b/g, value: SEND_DEADLINE_MS / 1000, name: 'SEND_DEADLINE_MS' },
  { pattern: /\battempt has (\d+(?:\.\d+)?) s\b|\bclosed after (\d+(?:\.\d+)?) s, retried\b/g, value: ATTEMPT_TIMEOUT_MS / 1000, name: 'ATTEMPT_TIMEOUT_MS' },
  { pattern: /\bup to (\d+) attempts\b/g, value: MAX_ATTEMPTS, name: 'MAX_ATTEMPTS' },
  { pattern: /\blines? of at most (\d+) characters\b/g, value: MAX_LOG_LINE_LENGTH, name: 'MAX_LOG_LINE_LENGTH' },
];

function unnamedLimitMismatches(source: string, markdown: string): string[] {
  const mismatches: string[] = [];
  for (const block of blocks(markdown)) {
    for (const { pattern, value, name } of UNNAMED_LIMITS) {
      for (const match of block.matchAll(pattern)) {
        const stated = Number(match.slice(1).find((group) => group !== undefined));
        if (stated !== value) mismatches.push(`${source}: "${match[0]}" says ${stated}, ${name} is ${value}`);
      }
    }
  }
  return mismatches;
}

// ---------------------------------------------------------------------------------------------

describe('links in the README and docs/', () => {
  it('checks what it claims: a missing file and a missing anchor are reported; code, external links and good anchors are not', () => {
    const files = new Map<string, string>([
      ['docs/guide.md', '# Guide\n\n## Rolling back\n\n## Notes\n\n## Notes\n'],
      ['src/customize.ts', 'export {};'],
    ]);
    const markdown = [
      '# Readme',
      '## Troubleshooting: where to look',
      'See [the guide](docs/guide.md), [rolling back](docs/guide.md#rolling-back), [notes](docs/guide.md#notes-1),',
      '[here](#troubleshooting-where-to-look), [the file](src/customize.ts), [Twilio](https://www.twilio.com/docs) and',
      '[mail](mailto:ops@example.com).',
      'Broken: [gone](docs/missing.md), [no such part](docs/guide.md#rolling-forward), [up](../outside.md).',
      'In code, not links: `[x](docs/nothing.md)`',
      '```md',
      '[y](docs/nothing-either.md)',
      '```',
    ].join('\n');
    expect(brokenLinks('README.md', markdown, (path) => files.get(path))).toEqual([
      'README.md: docs/missing.md (no file docs/missing.md)',
      'README.md: docs/guide.md#rolling-forward (no heading of docs/guide.md makes #rolling-forward)',
      'README.md: ../outside.md (no file ../outside.md)',
    ]);
  });

  it("makes GitHub's anchors: lowercase, spaces to dashes, punctuation other than - and _ dropped, repeats numbered", () => {
    const markdown = '# Deploying\n## Idempotence: how secrets are compared\n### `npm start` & its_options\n## Notes\n## Notes\n```\n# not a heading\n```\n## Notes\n';
    expect(anchors(markdown)).toEqual(['deploying', 'idempotence-how-secrets-are-compared', 'npm-start--its_options', 'notes', 'notes-1', 'notes-2']);
  });

  it.each(MARKDOWN_FILES)('%s: every relative link reaches a file, every anchor a heading', (file) => {
    const text = read(file);
    expect(linkTargets(text).length).toBeGreaterThan(0);
    expect(brokenLinks(file, text, loadFromRepository)).toEqual([]);
  });

  it('the README links every file of docs/', () => {
    const linked = new Set(linkTargets(read(README)).map((target) => target.split('#')[0]));
    expect(DOC_FILES.filter((file) => !linked.has(file))).toEqual([]);
  });

  it.each(DOC_FILES)('%s opens by saying whom it is for', (file) => {
    const [title, firstLine] = blocks(read(file));
    expect(title).toMatch(/^# /);
    expect(firstLine).toMatch(/^For /);
  });
});

describe('the places of docs/ that code and banners point to in words', () => {
  /** Every file of `dir` (relative to the repository) whose name ends with one of `endings`. */
  const filesUnder = (dir: string, endings: readonly string[]): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? filesUnder(`${dir}/${entry.name}`, endings) : endings.some((ending) => entry.name.endsWith(ending)) ? [`${dir}/${entry.name}`] : [],
    );
  /** `docs/deploy.md, "The dependencies"` in a text, comment markers and line breaks between its words taken out. */
  const pointers = (text: string): Array<{ file: string; heading: string }> =>
    [...text.replace(/\n\s*(?:\*|\/\/|#)?\s*/g, ' ').matchAll(/\b(docs\/[\w-]+\.md), "([^"]+)"/g)].map((match) => ({ file: match[1] ?? '', heading: match[2] ?? '' }));

  it('finds a pointer however its comment wraps', () => {
    expect(pointers(' * declare them (docs/deploy.md, "The\n * dependencies") and')).toEqual([{ file: 'docs/deploy.md', heading: 'The dependencies' }]);
  });

  it('each names a heading the file has', () => {
    const sources = [...filesUnder('src', ['.ts']), ...filesUnder('tools', ['.ts']), '.env.example'];
    const found = sources.flatMap((source) => pointers(read(source)).map((pointer) => ({ source, ...pointer })));
    expect(found.length).toBeGreaterThanOrEqual(5);
    const headings = (file: string): string[] => proseLines(read(file)).flatMap((line) => /^#{1,6}\s+(.*?)\s*$/.exec(line)?.[1] ?? []);
    expect(found.filter(({ file, heading }) => !headings(file).includes(heading))).toEqual([]);
  });
});

describe('the README', () => {
  it(`is a landing page: at most ${MAX_README_BYTES} bytes`, () => {
    expect(statSync(join(ROOT, README)).size).toBeLessThanOrEqual(MAX_README_BYTES);
  });

  it('lists in its troubleshooting table each Twilio code of TWILIO_ERROR_ADVICE, each in one row of its own', () => {
    const rows = tableRows(section(read(README), 'Troubleshooting'));
    const listed = rows.flatMap((row) => firstCell(row).match(/\b\d{5}\b/g) ?? []).map(Number);
    expect([...listed].sort((a, b) => a - b)).toEqual(TWILIO_CODES);
    expect(rows.filter((row) => adviceCodesIn(row).length > 1)).toEqual([]);
  });

  it('lists the Twilio codes nowhere else, and docs/ link to it rather than repeat them', () => {
    const readme = read(README);
    const troubleshootingRows = new Set(blocks(tableRows(section(readme, 'Troubleshooting')).join('\n')));
    const lists = MARKDOWN_FILES.flatMap((file) =>
      blocks(read(file))
        .filter((block) => !(file === README && troubleshootingRows.has(block)))
        .filter((block) => adviceCodesIn(block).length > 1)
        .map((block) => `${file}: ${block}`),
    );
    expect(lists).toEqual([]);
  });
});

describe('limits stated in the README and docs/', () => {
  it('are checked as claimed: a wrong value beside a constant, or in the prose, is reported', () => {
    const markdown = 'A deadline of 9 s (`SEND_DEADLINE_MS`), up to 4 attempts (`MAX_ATTEMPTS`).\n\nIt answers at the 12 s deadline.\n';
    expect(limitMismatches('x.md', markdown, LIMITS)).toHaveLength(1);
    expect(limitMismatches('x.md', markdown, LIMITS)[0]).toContain('names SEND_DEADLINE_MS but not 10 s');
    expect(unnamedLimitMismatches('x.md', markdown)).toEqual([
      'x.md: "deadline of 9 s" says 9, SEND_DEADLINE_MS is 10',
      'x.md: "12 s deadline" says 12, SEND_DEADLINE_MS is 10',
    ]);
  });

  it(`name ${README_LIMITS.join(', ')} in the README`, () => {
    const readme = read(README);
    expect(README_LIMITS.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });

  it('name every limit somewhere, deadline and attempt timeout included', () => {
    const all = MARKDOWN_FILES.map(read).join('\n');
    expect(LIMITS.filter((limit) => !all.includes(`\`${limit.name}\``)).map((limit) => limit.name)).toEqual([]);
  });

  it.each(MARKDOWN_FILES)('%s: each limit it names has the value the code defines', (file) => {
    expect(limitMismatches(file, read(file), LIMITS)).toEqual([]);
  });

  it.each(MARKDOWN_FILES)('%s: the deadline, attempt timeout, attempts and log line length it states without the name are the code\'s', (file) => {
    expect(unnamedLimitMismatches(file, read(file))).toEqual([]);
  });
});

describe("the dependencies' versions docs/deploy.md states", () => {
  const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { version?: string }> };
  const locked = (name: string): string | undefined => lock.packages[`node_modules/${name}`]?.version;

  it("are the ones package-lock.json installs, which the deploy pins and the tests ran against, wherever the page writes them", () => {
    const text = read('docs/deploy.md');
    const twilio = [...text.matchAll(/\btwilio@(\d+\.\d+\.\d+)|\btwilio (\d+\.\d+\.\d+)|version(?: =|:) "?(\d+\.\d+\.\d+)/g)].map((match) => match.slice(1).find((group) => group !== undefined));
    const library = [...text.matchAll(/\blibphonenumber-js@(\d+\.\d+\.\d+)/g)].map((match) => match[1]);
    expect(twilio.length).toBeGreaterThanOrEqual(4);
    expect(library.length).toBeGreaterThanOrEqual(1);
    expect({ twilio: twilio.filter((version) => version !== locked('twilio')), library: library.filter((version) => version !== locked('libphonenumber-js')) }).toEqual({ twilio: [], library: [] });
  });
});

describe("docs/deploy.md's table of the check's lines", () => {
  it('names each line `npm run check` prints, in its order', () => {
    const rows = tableRows(section(read('docs/deploy.md'), 'Checking the Twilio account first'));
    const lines = rows.map((row) => firstCell(row).trim()).filter((cell) => cell !== 'line');
    expect(lines).toEqual(CHECK_LINES);
  });
});

describe("docs/development.md's jest projects", () => {
  it('are the projects of jest.config.js, by name, and the npm script that runs the one without bundles selects it', () => {
    const config = require(join(ROOT, 'jest.config.js')) as { projects: Array<{ displayName: string }> };
    const names = config.projects.map((project) => project.displayName);
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const text = section(read('docs/development.md'), 'Tests');
    expect(names).toEqual(['no-bundles', 'bundles']);
    for (const name of names) expect(text).toContain(`\`${name}\``);
    expect(scripts['test:no-bundles']).toBe('jest --selectProjects no-bundles');
    expect(text).toContain('`npm run test:no-bundles`');
  });
});
