import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The figures docs/performance.md and the README state are the benchmark's record
 * (tools/bench/results/latest.json and attack.json, written by `npm run bench -- --record` and
 * `-- --attack --record`): each row of the pages' tables is rebuilt here from the record, so a
 * new record that changes a figure fails until the page says it.
 */

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

interface BenchRecord {
  loopback: { figures: { connectionsPer100Sends: { ours: number } }; ratios: { warmMedian: number; coldStart: number; overhead: number } };
  relay: {
    warm: { ratios: { oursToBare: number; oursToBaseline: number } };
    cold: { ratios: { oursToBaseline: number; oursToBaselineOfMedians: number; countriesToBaseline: number; fromEventToBaseline: number; oursToBare: number } };
  };
  modules: { builds: Record<'libphonenumber-js/min' | 'libphonenumber-js/max', { loadMs: number }> };
  whatsapp: { fallbackCostMs: number };
  bundles: Record<string, number>;
  targets: { warmMedianRatio: number; connectionsPer100Sends: number; coldStartRatio: number; overheadRatio: number; bundleBytes: number; relayWarmToBare: number; relayColdToBaseline: number };
}

interface AttackRun {
  attackerCodes: number;
  attackerSent: number;
  legitimateCodes: number;
  legitimateRefused: number;
  lookups: number;
}

interface AttackRecord {
  runs: Record<'lookup-warm' | 'lookup-fresh' | 'lookup-burst' | 'free-warm' | 'free-fresh' | 'free-burst', AttackRun>;
  lookupCostMs: { added: number; rttMs: number };
}

const record = JSON.parse(read('tools/bench/results/latest.json')) as BenchRecord;
const attack = JSON.parse(read('tools/bench/results/attack.json')) as AttackRecord;
const PERFORMANCE = read('docs/performance.md');

const ratio = (value: number): string => value.toFixed(2);
const count = (value: number): string => value.toLocaleString('en-US');
/** A target's cell: the bound, and whether the record met it. */
const target = (bound: string, met: boolean): string => `≤ ${bound}, ${met ? 'met' : '**missed**'}`;

const { loopback, relay, modules, whatsapp, targets } = record;
const bundleSizes = ['dist/hook/send-phone-message.js', 'dist/actions/send-phone-message.js', 'dist/actions/custom-phone-provider.js'].map((bundle) => {
  const size = record.bundles[bundle];
  if (size === undefined) throw new Error(`the record has no size for ${bundle}`);
  return size;
});

const FIGURE_ROWS: ReadonlyArray<[string, string, string]> = [
  ['cold first send through a 40 ms round trip, ours / baseline (medians of the pairs)', `**${ratio(relay.cold.ratios.oursToBaseline)}** (of medians ${ratio(relay.cold.ratios.oursToBaselineOfMedians)})`, target(String(targets.relayColdToBaseline), relay.cold.ratios.oursToBaseline <= targets.relayColdToBaseline)],
  ['the same with `ALLOWED_COUNTRIES`', ratio(relay.cold.ratios.countriesToBaseline), target(String(targets.relayColdToBaseline), relay.cold.ratios.countriesToBaseline <= targets.relayColdToBaseline)],
  ['the same, invoked from an event', ratio(relay.cold.ratios.fromEventToBaseline), ''],
  ['cold first send, ours / the bare request', ratio(relay.cold.ratios.oursToBare), ''],
  ['warm send through a 40 ms round trip, ours / a bare kept-alive request', ratio(relay.warm.ratios.oursToBare), target(String(targets.relayWarmToBare), relay.warm.ratios.oursToBare <= targets.relayWarmToBare)],
  ['warm send through a 40 ms round trip, ours / baseline', ratio(relay.warm.ratios.oursToBaseline), ''],
  ['warm send on loopback, ours / baseline (medians)', ratio(loopback.ratios.warmMedian), target(String(targets.warmMedianRatio), loopback.ratios.warmMedian <= targets.warmMedianRatio)],
  ['TLS connections per 100 warm sends', String(loopback.figures.connectionsPer100Sends.ours), target(String(targets.connectionsPer100Sends), loopback.figures.connectionsPer100Sends.ours <= targets.connectionsPer100Sends)],
  ['cold start on loopback, ours / baseline', ratio(loopback.ratios.coldStart), target(String(targets.coldStartRatio), loopback.ratios.coldStart <= targets.coldStartRatio)],
  ['own overhead on loopback, ours / a hook that only calls `create`', ratio(loopback.ratios.overhead), target(String(targets.overheadRatio), loopback.ratios.overhead <= targets.overheadRatio)],
  ['`require("libphonenumber-js/max")`, `min`', `${modules.builds['libphonenumber-js/max'].loadMs} ms, ${modules.builds['libphonenumber-js/min'].loadMs} ms`, ''],
  ['a WhatsApp fallback after 63003, more than the SMS alone', `${whatsapp.fallbackCostMs} ms`, ''],
  ['bundles: hook, Send Phone Message action, Custom Phone Provider action', bundleSizes.map((size) => `${count(size)} B`).join(', '), `≤ ${count(targets.bundleBytes)} B each${bundleSizes.every((size) => size <= targets.bundleBytes) ? '' : ', **missed**'}`],
];

const ATTACK_SETTINGS: ReadonlyArray<[keyof AttackRecord['runs'], string]> = [
  ['lookup-warm', '`TWILIO_LOOKUP=enrollment`, one warm container'],
  ['lookup-fresh', '`TWILIO_LOOKUP=enrollment`, a fresh container a send'],
  ['lookup-burst', '`TWILIO_LOOKUP=enrollment`, fresh containers, 8 at once'],
  ['free-warm', 'free layers only, one warm container'],
  ['free-fresh', 'free layers only, a fresh container a send'],
  ['free-burst', 'free layers only, fresh containers, 8 at once'],
];

describe('docs/performance.md states the benchmark record', () => {
  it.each(FIGURE_ROWS)('%s: %s', (figure, value, bound) => {
    expect(PERFORMANCE).toContain(`| ${figure} | ${value} |${bound === '' ? '' : ` ${bound}`} |`);
  });

  it.each(ATTACK_SETTINGS)("the campaign's row %s", (run, setting) => {
    const figures = attack.runs[run];
    expect(PERFORMANCE).toContain(
      `| ${setting} | ${count(figures.attackerSent)} of ${count(figures.attackerCodes)} | ${count(figures.legitimateRefused)} of ${count(figures.legitimateCodes)} | ${count(figures.lookups)} |`,
    );
  });

  it('what Lookup adds to an enrollment', () => {
    expect(PERFORMANCE).toContain(`Lookup adds one round trip to an enrollment: ${attack.lookupCostMs.added} ms through the relay's ${attack.lookupCostMs.rttMs} ms`);
  });
});

describe('the README states the benchmark record', () => {
  it('the warm and the cold ratio through the relay', () => {
    const readme = read('README.md');
    expect(readme).toContain(`warm, ${ratio(relay.warm.ratios.oursToBare)} × a bare kept-alive request`);
    expect(readme).toContain(`cold first send, ${ratio(relay.cold.ratios.oursToBaseline)} × Auth0's sample pattern`);
  });
});
