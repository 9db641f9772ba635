import { CONFIDENTIAL_SECRETS } from '../../src/core/config';
import { Scrubber } from '../../src/core/scrub';
import { painter, type Style } from '../runner/print';
import type { CheckReport } from './run';
import type { Outcome } from './verdict';

/**
 * The check's output: one line per check, `✔ credentials  account AC…1234 (Full, active)…`,
 * what to do after `Fix:` for a failure or a flag (`–` and dim: not configured, or not checked
 * after an earlier failure), then a line that sums up. Every line passes
 * the sender's scrubber with the secrets' confidential values: no token or API secret can show,
 * and every phone number is masked. Coloured for a terminal, plain otherwise.
 */

const MARKS: Readonly<Record<Outcome, [string, Style]>> = {
  passed: ['✔', 'green'],
  failed: ['✘', 'red'],
  flagged: ['!', 'yellow'],
  'not configured': ['–', 'dim'],
  'not checked': ['–', 'dim'],
};

/** The scrubber of the check's output: the confidential secrets of the file, whatever their key. */
export function checkScrubber(secrets: Readonly<Record<string, string>>): Scrubber {
  return new Scrubber([...CONFIDENTIAL_SECRETS, 'AUTH0_CLIENT_SECRET'].map((name) => secrets[name]));
}

export function reportLines(report: CheckReport, scrubber: Scrubber, colour: boolean): string[] {
  const paint = painter(colour);
  const width = Math.max(...report.verdicts.map((verdict) => verdict.check.length));
  const lines = report.verdicts.map(({ check, outcome, detail, fix }) => {
    const [mark, style] = MARKS[outcome];
    const text = scrubber.clean(`${detail}${fix === undefined ? '' : ` Fix: ${fix}`}`);
    return `${paint(style, mark)} ${paint('bold', check.padEnd(width))}  ${style === 'dim' ? paint('dim', text) : text}`;
  });
  return [...lines, '', paint(report.ok ? 'green' : 'red', summary(report))];
}

/** `9 checks, 1 with a flag to read; 3 not configured, 1 not checked`: each line counted once, under its own word. */
function summary(report: CheckReport): string {
  const count = (outcome: Outcome): number => report.verdicts.filter((verdict) => verdict.outcome === outcome).length;
  const checks = (n: number): string => `${n} check${n === 1 ? '' : 's'}`;
  const idle = (['not configured', 'not checked'] as const).filter((outcome) => count(outcome) > 0).map((outcome) => `${count(outcome)} ${outcome}`);
  const notRun = idle.length === 0 ? '' : `; ${idle.join(', ')}`;
  if (!report.ok) return `${checks(count('failed'))} failed${notRun}: fix ${count('failed') === 1 ? 'it' : 'them'}, then run npm run check again.`;
  const flags = count('flagged') === 0 ? '' : `, ${count('flagged')} with a flag to read`;
  return `Every configured check passed (${checks(count('passed') + count('flagged'))}${flags}${notRun}).`;
}
