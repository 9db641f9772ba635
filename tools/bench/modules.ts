/**
 * The optional module of `npm run bench`: what libphonenumber-js costs a cold container that
 * lists countries (ALLOWED_COUNTRIES, WHATSAPP_COUNTRIES), with the smallest metadata that says a
 * number's country (`min`) against the one the sender loads (`max`, PHONE_NUMBER_METADATA in
 * src/core/number-metadata.ts: it knows a number's type too). Each load is a fresh process
 * (tools/bench/cold-start.ts), the two alternating, asked what the sender asks: whether a country
 * code is known, and which country a number of a calling code several countries share belongs to
 * (COUNTRY_CHECK). What `min` would save is the median of the paired differences.
 */
import { statSync } from 'node:fs';
import { inRounds, moduleLoad } from './cold-series';
import { COUNTRY_CHECK, median, pairedDifference, pairedRatio, round, table } from './harness';

/** Loads of each build. */
export const MODULE_RUNS = 20;

/** The smallest build that tells a number's country, then the one the sender loads. */
const BUILDS = ['libphonenumber-js/min', 'libphonenumber-js/max'] as const;
type Build = (typeof BUILDS)[number];

/** One build's figures: medians over its loads. */
export interface BuildFigures {
  /** Its metadata file, in bytes. */
  metadataBytes: number;
  /** `require`. */
  loadMs: number;
  /** The first answers after the load: is US a country, which country is the number. */
  firstAnswerMs: number;
  /** Load and first answers. */
  totalMs: number;
}

export interface ModuleLoadFigures {
  runs: number;
  builds: Record<Build, BuildFigures>;
  /** min / max of load and first answers, median of the pairs. */
  minToMax: number;
  /** max − min of load and first answers, median of the pairs: what loading `min` saves. */
  savedMs: number;
}

const metadataBytes = (build: Build): number => statSync(require.resolve(`libphonenumber-js/metadata.${build.split('/')[1] ?? ''}.json`)).size;

export async function measureModuleLoads(runs = MODULE_RUNS): Promise<ModuleLoadFigures> {
  const loads = await inRounds(BUILDS, runs, (id) => moduleLoad({ kind: 'module', id, number: COUNTRY_CHECK.recipient, country: COUNTRY_CHECK.country }));
  const totals = (build: Build): number[] => loads[build].map((load) => load.loadMs + load.firstAnswerMs);
  const figures = (build: Build): BuildFigures => ({
    metadataBytes: metadataBytes(build),
    loadMs: round(median(loads[build].map((load) => load.loadMs)), 1),
    firstAnswerMs: round(median(loads[build].map((load) => load.firstAnswerMs)), 2),
    totalMs: round(median(totals(build)), 1),
  });
  const [min, max] = BUILDS;
  return {
    runs,
    builds: { [min]: figures(min), [max]: figures(max) } as Record<Build, BuildFigures>,
    minToMax: pairedRatio(totals(min), totals(max)),
    savedMs: pairedDifference(totals(max), totals(min)),
  };
}

/** The section's table, as printed. */
export function moduleLoadReport(figures: ModuleLoadFigures): string {
  return [
    `libphonenumber-js in fresh processes: ${figures.runs} loads of each build, alternating, each asked for ${COUNTRY_CHECK.recipient}'s country`,
    table([
      ['build', 'metadata', 'require', 'first answers', 'both'],
      ...BUILDS.map((build) => {
        const { metadataBytes: bytes, loadMs, firstAnswerMs, totalMs } = figures.builds[build];
        return [build, `${bytes.toLocaleString('en-US')} B`, `${loadMs} ms`, `${firstAnswerMs} ms`, `${totalMs} ms`];
      }),
    ]),
    `min / max ${figures.minToMax} (pairs): loading min saves ${figures.savedMs} ms of a cold send that lists countries`,
  ].join('\n');
}
