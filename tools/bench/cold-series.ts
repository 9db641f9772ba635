/**
 * Cold starts as `npm run bench` makes them: each a fresh process (tools/bench/cold-start.ts,
 * bundled into build/tools/ by tools/bench/prepare.js), run in rounds of one run of each subject
 * in a rotating order, so that the runs of a round (a pair, or more) are compared with each other;
 * and the split of a first send they show: compile, the load of each optional module, the connect
 * (and how much of it went on while a module loaded), the request.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ColdStartResult, ColdStartSpec, ModuleLoadResult } from './cold-start';
import type { Span } from './first-send-watch';
import { MeasurementError, median, rotation, round, table } from './harness';

const COLD_SCRIPT = join('build', 'tools', 'tools-bench-cold-start.js');

/** Runs the cold-start child once with `spec`; `subject` names it in an error. */
async function fresh<T>(spec: ColdStartSpec, subject: string): Promise<T> {
  // Asynchronous: the fake (and the relay) that answer the child run in this process.
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [COLD_SCRIPT, JSON.stringify(spec)], { encoding: 'utf8', timeout: 30_000 });
    return JSON.parse(stdout.trim()) as T;
  } catch (error) {
    throw new MeasurementError(`a cold start of ${subject} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** One cold first send of a hook, or one bare request, in a fresh process. */
export function coldStart(spec: Exclude<ColdStartSpec, { kind: 'module' }>): Promise<ColdStartResult> {
  return fresh<ColdStartResult>(spec, spec.kind === 'hook' ? spec.bundle : 'the bare request');
}

/** One load of a module, and its first answers, in a fresh process. */
export function moduleLoad(spec: Extract<ColdStartSpec, { kind: 'module' }>): Promise<ModuleLoadResult> {
  return fresh<ModuleLoadResult>(spec, spec.id);
}

/** `rounds` measurements of each subject, one of each per round, the order rotating from round to round. */
export async function inRounds<S extends string, T>(subjects: readonly S[], rounds: number, measure: (subject: S) => Promise<T>): Promise<Record<S, T[]>> {
  const results = Object.fromEntries(subjects.map((subject) => [subject, [] as T[]])) as Record<S, T[]>;
  for (let round_ = 0; round_ < rounds; round_++) {
    for (const subject of rotation(subjects, round_)) results[subject].push(await measure(subject));
  }
  return results;
}

/**
 * The split of a cold first send: each figure the median over the runs of its own, so they need
 * not add up to the total. Phases run one after the other except the connect, which may overlap
 * a module's load (ours asks for it before loading twilio).
 */
export interface ColdSplit {
  totalMs: number;
  /** Auth0's compiler and the bundle's own initialization (null for a bare request). */
  compileMs: number | null;
  /** `require(id)` of each optional module the hook loaded, by id. */
  moduleLoadMs: Record<string, number>;
  /** TCP + TLS of the first request's connection: from the connect call to the end of the TLS handshake. */
  connectMs: number | null;
  /** The part of the connect that went on while a module loaded, by module id. */
  connectWhileLoadingMs: Record<string, number>;
  /** The part of the connect before its TCP connect went out: it waits for the process to get to the tick `net` makes it on. */
  connectUnsentMs: number | null;
  /** The request: from when it could leave (written, connection secure) to the end of its answer. */
  requestMs: number | null;
  /** When each step began or ended, in milliseconds from the start (medians): the order the durations do not show. */
  timelineMs: Record<string, number>;
}

const length = ([start, end]: Span): number => end - start;
const overlap = (a: Span, b: Span): number => Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
const connectSpan = (run: ColdStartResult): Span | null => (run.connect === null ? null : [run.connect.askedMs, run.connect.secureMs]);

/** The median of what `figure` gives for the runs where it is known; null when it is known for none. */
function medianOf(runs: readonly ColdStartResult[], figure: (run: ColdStartResult) => number | null | undefined): number | null {
  const values = runs.map(figure).filter((value): value is number => typeof value === 'number');
  return values.length === 0 ? null : round(median(values), 1);
}

/** What `figure` gives for each key, left out where it is known for no run. */
function known(figures: Record<string, number | null>): Record<string, number> {
  return Object.fromEntries(Object.entries(figures).filter((entry): entry is [string, number] => entry[1] !== null));
}

export function coldSplit(runs: readonly ColdStartResult[]): ColdSplit {
  const ids = [...new Set(runs.flatMap((run) => Object.keys(run.modules)))].sort();
  const byModule = (figure: (run: ColdStartResult, span: Span) => number | null): Record<string, number> =>
    known(Object.fromEntries(ids.map((id) => [id, medianOf(runs, (run) => (run.modules[id] === undefined ? null : figure(run, run.modules[id])))])));
  return {
    totalMs: medianOf(runs, (run) => run.totalMs) ?? 0,
    compileMs: medianOf(runs, (run) => (run.compile === null ? null : length(run.compile))),
    moduleLoadMs: byModule((_, span) => length(span)),
    connectMs: medianOf(runs, (run) => (run.connect === null ? null : run.connect.secureMs - run.connect.askedMs)),
    connectWhileLoadingMs: byModule((run, span) => {
      const connect = connectSpan(run);
      return connect === null ? null : overlap(connect, span);
    }),
    connectUnsentMs: medianOf(runs, (run) => (run.connect?.sentMs === null || run.connect === null ? null : run.connect.sentMs - run.connect.askedMs)),
    requestMs: medianOf(runs, (run) => (run.request === null ? null : length(run.request))),
    timelineMs: known({
      compiled: medianOf(runs, (run) => run.compile?.[1]),
      ...Object.fromEntries(ids.flatMap((id) => [
        [`${id} loading`, medianOf(runs, (run) => run.modules[id]?.[0])],
        [`${id} loaded`, medianOf(runs, (run) => run.modules[id]?.[1])],
      ])),
      'connect asked': medianOf(runs, (run) => run.connect?.askedMs),
      'TCP connect sent': medianOf(runs, (run) => run.connect?.sentMs),
      'TCP connect seen': medianOf(runs, (run) => run.connect?.tcpMs),
      'TLS done': medianOf(runs, (run) => run.connect?.secureMs),
      'request out': medianOf(runs, (run) => run.request?.[0]),
      answered: medianOf(runs, (run) => run.totalMs),
    }),
  };
}

const ms = (value: number | null | undefined): string => (value === null || value === undefined ? '' : `${value} ms`);

/** A subject of a split table: its name, its split, and the cells of the caller's own columns. */
export interface SplitRow {
  label: string;
  split: ColdSplit;
  more?: readonly string[];
}

/**
 * The split as a table, one row per subject: the first send, compile, each module's load, the
 * connect, how much of it went on while a module loaded and before its TCP connect went out, the
 * request, then the caller's columns (`more`, headed by `headers`).
 */
export function splitTable(rows: readonly SplitRow[], headers: readonly string[] = []): string {
  const ids = [...new Set(rows.flatMap(({ split }) => Object.keys(split.moduleLoadMs)))].sort();
  const whileLoading = (split: ColdSplit): string => {
    const during = Object.entries(split.connectWhileLoadingMs).filter(([, value]) => value > 0);
    return split.connectMs === null ? '' : during.length === 0 ? 'none' : during.map(([id, value]) => `${value} ms (${id})`).join(', ');
  };
  return table([
    ['subject', 'first send', 'compile', ...ids.map((id) => `require("${id}")`), 'connect (TCP + TLS)', 'of it while loading', 'of it unsent', 'request', ...headers],
    ...rows.map(({ label, split, more = [] }) => [
      label,
      ms(split.totalMs),
      ms(split.compileMs),
      ...ids.map((id) => ms(split.moduleLoadMs[id])),
      ms(split.connectMs),
      whileLoading(split),
      ms(split.connectUnsentMs),
      ms(split.requestMs),
      ...more,
    ]),
  ]);
}

/** One subject's timeline on one line, in the order things happened: `ours: compiled 13.6 · connect asked 34.6 · …`. */
export function timelineText(label: string, split: ColdSplit): string {
  const events = Object.entries(split.timelineMs).sort(([, a], [, b]) => a - b);
  return `${label}: ${events.map(([event, at]) => `${event} ${at}`).join(' · ')}`;
}
