import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * docs/development.md's layout names every file of src/core/, read from the directory as it is
 * (files come and go): a file the layout leaves out, or one it names that is not there, fails here.
 */

const ROOT = join(__dirname, '..', '..');
const CORE = 'src/core';

/** The files under `dir` (relative to the repository), as paths relative to it: `send.ts`, `channels/voice.ts`. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(ROOT, dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(dir, `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

/**
 * The paths the layout names under `core/`: the lines of its block indented deeper than `core/`
 * that start with a file (`send.ts`) or a folder (`screen/`), a folder holding the lines indented
 * deeper than it. A wrapped description starts with neither.
 */
function layoutCorePaths(markdown: string): string[] {
  const block = /## Layout\n[\s\S]*?```\n([\s\S]*?)```/.exec(markdown)?.[1];
  if (block === undefined) throw new Error('no code block under "## Layout"');
  const lines = block.split('\n');
  const coreLine = lines.findIndex((line) => /^\s*core\/\s/.test(line));
  if (coreLine === -1) throw new Error('the layout has no core/ line');
  const indentOf = (line: string): number => line.length - line.trimStart().length;
  const coreIndent = indentOf(lines[coreLine] ?? '');
  const folders: Array<{ indent: number; path: string }> = [];
  const paths: string[] = [];
  for (const line of lines.slice(coreLine + 1)) {
    const entry = /^\s*([\w.-]+(?:\.ts|\/))(?:\s|$)/.exec(line)?.[1];
    const indent = indentOf(line);
    if (entry === undefined) continue;
    if (indent <= coreIndent) break;
    while (folders.length > 0 && (folders[folders.length - 1]?.indent ?? 0) >= indent) folders.pop();
    const path = `${folders.map((folder) => folder.path).join('')}${entry}`;
    if (entry.endsWith('/')) folders.push({ indent, path: entry });
    else paths.push(path);
  }
  return paths;
}

const sorted = (paths: Iterable<string>): string[] => [...paths].sort();

describe("docs/development.md's layout of src/core/", () => {
  it('reads a layout as claimed: files, files of folders, a wrapped description skipped, the end of core/', () => {
    const markdown = [
      '## Layout',
      '',
      '```',
      'src/   what ships',
      '  core/   the sender',
      '    send.ts      one send,',
      '                 its description, wrapped',
      '    screen/      the shield',
      '      check.ts   a layer',
      '      deep/      deeper',
      '        x.ts     x',
      '    plan.ts      the plan',
      '  auth0/  not core',
      '    runtime.ts   not core either',
      '```',
    ].join('\n');
    expect(layoutCorePaths(markdown)).toEqual(['send.ts', 'screen/check.ts', 'screen/deep/x.ts', 'plan.ts']);
  });

  it('names each file of src/core/, and none that is not there', () => {
    const named = sorted(layoutCorePaths(readFileSync(join(ROOT, 'docs', 'development.md'), 'utf8')));
    const present = sorted(filesUnder(CORE));
    expect(present.length).toBeGreaterThan(20);
    expect({ missing: present.filter((path) => !named.includes(path)), absent: named.filter((path) => !present.includes(path)) }).toEqual({ missing: [], absent: [] });
  });

  it('names each once', () => {
    const named = layoutCorePaths(readFileSync(join(ROOT, 'docs', 'development.md'), 'utf8'));
    expect(named.filter((path, index) => named.indexOf(path) !== index)).toEqual([]);
  });
});
