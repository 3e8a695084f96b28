import type { TopLevelSpec } from '../charts/vega-types';
import { equityCurve, pbo } from '@backtest/metrics';
import { pointsToDraw } from '../charts/decimate';
import { timeAxis } from '../charts/time-series';
import { BENCHMARK_COLOR, CHART_CONFIG, chartNumber, EXTRA_COLORS, logTicks, positiveRange, STRATEGY_COLOR } from '../charts/theme';
import type { CompareRecord, CompareSummaryDoc } from './compare-record';
import { num } from '../terminal-table';
import { stepMOf } from './compare-table';
import { shortLabels } from './short-labels';

/** Colours of the best few configurations, in rank order; buy-and-hold keeps its own orange in every chart. */
const TOP_COLORS = [STRATEGY_COLOR, ...EXTRA_COLORS.slice(0, 3), '#17becf'];
/** The configurations past the best few, when shown: one quiet colour. */
const OTHER_COLOR = '#aab1b9';
/** StepM's finding, the one colour that stands out in the interval chart. */
const STEPM_COLOR = '#0b8a3e';

const STEPM = 'StepM: better than buy-and-hold (familywise 5%)';
const NOT_STEPM = 'not shown better by StepM';

/** Short row names: the parameters every configuration of a strategy shares are said once, above the table. */
function rowNames(s: CompareSummaryDoc): Map<string, string> {
  const short = shortLabels(s.configurations, 'row').headings;
  return new Map(s.configurations.map((l, i) => [l, short[i]!]));
}

/** A number for sorting: NaN and null last. */
const sortKey = (v: number) => (Number.isFinite(v) ? v : -Infinity);

/**
 * Each configuration's annualised Sharpe difference to buy-and-hold as a point and its 95%
 * stationary-bootstrap interval as a bar, sorted from the largest difference down, with a zero
 * line (buy-and-hold): an interval that crosses it is a difference the data cannot tell from
 * none. The configurations Romano-Wolf's StepM finds better than buy-and-hold (over every run
 * tried, familywise) are green and ringed. One row per configuration, 18 pixels each.
 */
export function sharpeDiffChart(record: CompareRecord): TopLevelSpec {
  const s = record.summary;
  const names = rowNames(s);
  const values = s.configurations
    .map((label) => {
      const g = s.results[label]!.significance;
      const verdict = s.verdicts.find((v) => v.configuration === label);
      const sm = stepMOf(s, label);
      return {
        row: names.get(label)!,
        configuration: label,
        diff: chartNumber(g.sharpeDiff),
        low: chartNumber(g.sharpeDiffCI[0]),
        high: chartNumber(g.sharpeDiffCI[1]),
        p: chartNumber(g.sharpeDiffPValue),
        verdict: verdict ? (verdict.beats ? 'beats buy-and-hold' : 'does not beat buy-and-hold') : 'n/a',
        stepM: sm && sm.rejected > 0 ? STEPM : NOT_STEPM,
        stepMRuns: sm ? (sm.of > 1 ? `${sm.rejected} of its ${sm.of} seeds` : sm.rejected ? 'yes' : 'no') : 'n/a',
        sort: sortKey(g.sharpeDiff),
      };
    })
    .sort((a, b) => b.sort - a.sort)
    .map(({ sort: _, ...v }) => v);
  const y = { field: 'row', type: 'nominal', sort: null, title: null, axis: { labelLimit: 280, labelFontSize: values.length > 25 ? 10 : 11 } } as const;
  const x = { type: 'quantitative', title: 'Sharpe ratio minus buy-and-hold’s (annualised)', scale: { zero: true, nice: true } } as const;
  const color = {
    field: 'stepM',
    type: 'nominal',
    title: null,
    scale: { domain: [STEPM, NOT_STEPM], range: [STEPM_COLOR, STRATEGY_COLOR] },
    legend: { labelLimit: 400 },
  } as const;
  const tooltip = [
    { field: 'configuration', type: 'nominal', title: 'Configuration' },
    { field: 'diff', type: 'quantitative', title: 'Sharpe difference', format: '+.3f' },
    { field: 'low', type: 'quantitative', title: '95% interval, low', format: '+.3f' },
    { field: 'high', type: 'quantitative', title: '95% interval, high', format: '+.3f' },
    { field: 'p', type: 'quantitative', title: 'Bootstrap p-value (alone)', format: '.3f' },
    { field: 'verdict', type: 'nominal', title: `Verdict (deflated over ${s.trials} trials)` },
    { field: 'stepMRuns', type: 'nominal', title: 'StepM finds it better' },
  ];
  const rejected = values.filter((v) => v.stepM === STEPM).length;
  return {
    title: {
      text: 'Sharpe ratio difference to buy-and-hold, with its 95% interval, best first',
      subtitle: [
        `Point: the difference of the annualised Sharpe ratios; bar: the paired stationary-bootstrap interval (${s.period.start} .. ${s.period.end}).`,
        s.multipleTesting
          ? `Green and ringed: StepM finds it better than buy-and-hold over all ${s.multipleTesting.trials.length} runs tried (${rejected} of ${values.length}).`
          : 'No joint tests in this compare: nothing is ringed.',
      ],
    },
    width: 'container',
    height: Math.max(60, 18 * values.length),
    config: CHART_CONFIG,
    data: { values },
    layer: [
      // One datum of its own: with the layer's data the zero line would be drawn once per configuration.
      { data: { values: [{}] }, mark: { type: 'rule', color: BENCHMARK_COLOR, strokeDash: [4, 3] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
      {
        transform: [{ filter: 'isValid(datum.low) && isValid(datum.high)' }],
        mark: { type: 'errorbar', ticks: { size: 7 }, thickness: 1.5 },
        encoding: { y, x: { ...x, field: 'low' }, x2: { field: 'high' }, color, tooltip },
      },
      {
        transform: [{ filter: 'isValid(datum.diff)' }],
        mark: { type: 'point', filled: true, size: 50, opacity: 1 },
        encoding: { y, x: { ...x, field: 'diff' }, color, tooltip },
      },
      {
        // The ring around StepM's: its own layer, so a reader (and a test) can count them.
        name: 'stepm',
        transform: [{ filter: `isValid(datum.diff) && datum.stepM === '${STEPM}'` }],
        mark: { type: 'point', filled: false, size: 220, strokeWidth: 2, color: STEPM_COLOR },
        encoding: { y, x: { ...x, field: 'diff' }, tooltip },
      },
    ],
  } as TopLevelSpec;
}

/**
 * With --seeds: every seed's Sharpe ratio of each stochastic configuration as a point on its
 * row, the range over the seeds as a line, the median (the seed the table's row is) as a tick,
 * and buy-and-hold's Sharpe ratio as a vertical rule; rows sorted by the median. Undefined when
 * no configuration ran over seeds.
 */
export function seedsStripChart(record: CompareRecord): TopLevelSpec | undefined {
  const s = record.summary;
  const names = rowNames(s);
  const over = s.configurations.filter((l) => s.results[l]!.seeds).sort((a, b) => sortKey(s.results[b]!.seeds!.sharpe.median) - sortKey(s.results[a]!.seeds!.sharpe.median));
  if (!over.length) return undefined;
  const points = over.flatMap((l) =>
    s.results[l]!.seeds!.runs.filter((r) => Number.isFinite(r.sharpe)).map((r) => ({ row: names.get(l)!, configuration: l, seed: r.seed, sharpe: chartNumber(r.sharpe) })),
  );
  const summaries = over.map((l) => {
    const x = s.results[l]!.seeds!;
    return {
      row: names.get(l)!,
      configuration: l,
      n: x.n,
      median: chartNumber(x.sharpe.median),
      min: chartNumber(x.sharpe.min),
      max: chartNumber(x.sharpe.max),
      beat: x.beatBenchmark,
    };
  });
  const y = { field: 'row', type: 'nominal', sort: over.map((l) => names.get(l)!), title: null, axis: { labelLimit: 280 } } as const;
  const x = { type: 'quantitative', title: 'Sharpe ratio (annualised)', scale: { zero: false, padding: 16 } } as const;
  const bench = s.benchmark.sharpe;
  const n = Math.max(...over.map((l) => s.results[l]!.seeds!.n));
  const fixed = s.configurations.length - over.length;
  return {
    title: {
      text: `Sharpe ratio of every seed, by configuration (${over.length} stochastic, up to ${n} seeds each)`,
      subtitle: [
        `Point: one seed’s run; line: lowest to highest; tick: the median seed, whose figures the table shows. Orange: buy-and-hold’s ${Number.isFinite(bench) ? bench.toFixed(3) : 'n/a'}.`,
        ...(fixed ? [`Not drawn: ${fixed} deterministic configuration${fixed === 1 ? '' : 's'}, the same under every seed.`] : []),
      ],
    },
    width: 'container',
    height: Math.max(40, 26 * over.length),
    config: CHART_CONFIG,
    layer: [
      {
        name: 'range',
        data: { values: summaries },
        transform: [{ filter: 'isValid(datum.min) && isValid(datum.max)' }],
        mark: { type: 'rule', color: '#9aa3ad', strokeWidth: 1.5 },
        encoding: { y, x: { ...x, field: 'min' }, x2: { field: 'max' } },
      },
      {
        name: 'seed',
        data: { values: points },
        mark: { type: 'point', filled: true, size: 55, opacity: 0.75, color: STRATEGY_COLOR },
        encoding: {
          y,
          x: { ...x, field: 'sharpe' },
          tooltip: [
            { field: 'configuration', type: 'nominal', title: 'Configuration' },
            { field: 'seed', type: 'quantitative', title: 'Seed' },
            { field: 'sharpe', type: 'quantitative', title: 'Sharpe', format: '.3f' },
          ],
        },
      },
      {
        name: 'median',
        data: { values: summaries },
        transform: [{ filter: 'isValid(datum.median)' }],
        mark: { type: 'tick', color: '#0b2e66', thickness: 2.5, size: 18 },
        encoding: {
          y,
          x: { ...x, field: 'median' },
          tooltip: [
            { field: 'configuration', type: 'nominal', title: 'Configuration' },
            { field: 'n', type: 'quantitative', title: 'Seeds' },
            { field: 'median', type: 'quantitative', title: 'Median Sharpe', format: '.3f' },
            { field: 'min', type: 'quantitative', title: 'Lowest', format: '.3f' },
            { field: 'max', type: 'quantitative', title: 'Highest', format: '.3f' },
            { field: 'beat', type: 'quantitative', title: 'Seeds beating buy-and-hold', format: '.0%' },
          ],
        },
      },
      ...(Number.isFinite(bench)
        ? [
            {
              name: 'benchmark',
              data: { values: [{ sharpe: chartNumber(bench), what: 'buy-and-hold' }] },
              mark: { type: 'rule', strokeWidth: 2, color: BENCHMARK_COLOR },
              encoding: {
                x: { ...x, field: 'sharpe' },
                tooltip: [
                  { field: 'what', title: 'Run' },
                  { field: 'sharpe', title: 'Sharpe', format: '.3f' },
                ],
              },
            },
          ]
        : []),
    ],
  } as TopLevelSpec;
}

/** The logits of PBO's splits, recomputed from the record's series, and the bins of their histogram. */
interface PboHistogram {
  readonly value: number;
  readonly blocks: number;
  readonly splits: number;
  /** Bins (lo, hi], 0 an edge, so every bin is all at or below 0 or all above. */
  readonly bins: { lo: number; hi: number; count: number; overfit: boolean }[];
}

/**
 * The histogram of the PBO's logits: the compare's own (`record.pboLogits`), or for a folder's
 * record PBO as compare computes it (Bailey et al.'s CSCV on the excess returns of every run
 * tried, in multipleTesting.trials' order, over summary's block count) from its own series: the
 * summary keeps only the share of logits at or below 0, the histogram needs them all.
 * Undefined without PBO in the summary or when a trial's series is missing.
 */
export function pboHistogram(record: CompareRecord): PboHistogram | undefined {
  const mt = record.summary.multipleTesting;
  if (!mt?.pbo) return undefined;
  const logits = record.pboLogits ?? folderLogits(record, mt.trials, mt.pbo.blocks);
  if (!logits) return undefined;
  let lo = 0;
  let hi = 0;
  for (const v of logits) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // About 30 bins over the range, the width a round number, 0 an edge.
  const raw = Math.max(hi - lo, 1e-9) / 30;
  const step = 10 ** Math.floor(Math.log10(raw));
  const width = [1, 2, 2.5, 5, 10].map((m) => m * step).find((w) => w >= raw)!;
  const counts = new Map<number, number>();
  for (const v of logits) {
    // (k w, (k + 1) w]: a logit of exactly 0 falls in the bin below 0, with the overfit ones.
    const k = Math.ceil(v / width) - 1;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const bins = [...counts].sort((a, b) => a[0] - b[0]).map(([k, count]) => ({ lo: chartNumber(k * width)!, hi: chartNumber((k + 1) * width)!, count, overfit: k < 0 }));
  // PBO is the share of logits at or below 0 (pbo()'s own count).
  let overfit = 0;
  for (const v of logits) if (v <= 0) overfit++;
  return { value: overfit / logits.length, blocks: mt.pbo.blocks, splits: logits.length, bins };
}

/** PBO's logits recomputed from a folder's series, as the compare computed them; undefined when a trial's series is missing or they do not allow it. */
function folderLogits(record: CompareRecord, trials: readonly string[], blocks: number): Float64Array | undefined {
  const p = record.periods;
  const series = trials.map((t) => p.trials?.[t] ?? p.configurations[t]);
  if (series.some((r) => r === undefined)) return undefined;
  const cash = p.cashReturns;
  try {
    return pbo({ returns: series.map((r) => Float64Array.from(r!, (v, i) => v - cash[i]!)), blocks }).logits;
  } catch {
    // A folder whose summary and series disagree (a block count its rows cannot have): no histogram.
    return undefined;
  }
}

const OVERFIT = 'at or below 0: the in-sample best is at or below the median out of sample';
const NOT_OVERFIT = 'above 0';

/**
 * PBO's histogram: for each of the C(S, S/2) splits of the periods into a training and a test
 * half, the logit of the out-of-sample relative rank of the run that was best in sample. The
 * share at or below 0 (red) is the probability of backtest overfitting.
 */
export function pboChart(record: CompareRecord, h: PboHistogram): TopLevelSpec {
  const mt = record.summary.multipleTesting!;
  const d = mt.pbo!.degradation;
  return {
    title: {
      text: `Probability of backtest overfitting: ${num(3)(h.value)} (${h.splits} splits of ${h.blocks} blocks, ${mt.trials.length} runs)`,
      subtitle: [
        'Each split: the logit of the out-of-sample rank of the run that was best in sample. Red, at or below 0: it ranked at or below the median out of sample.',
        `Degradation of the in-sample best out of sample: slope ${num(3)(d.slope)}; the out-of-sample Sharpe ratio was below 0 in ${num(1)(d.probabilityOfLoss * 100)}% of the splits.`,
      ],
    },
    width: 'container',
    height: 200,
    config: CHART_CONFIG,
    layer: [
      {
        name: 'bins',
        data: { values: h.bins.map((b) => ({ ...b, side: b.overfit ? OVERFIT : NOT_OVERFIT, share: b.count / h.splits })) },
        mark: { type: 'rect', stroke: '#fff', strokeWidth: 0.5 },
        encoding: {
          x: { field: 'lo', type: 'quantitative', title: 'Logit of the in-sample best’s out-of-sample relative rank' },
          x2: { field: 'hi' },
          y: { field: 'count', type: 'quantitative', title: 'Splits' },
          color: { field: 'side', type: 'nominal', title: null, scale: { domain: [OVERFIT, NOT_OVERFIT], range: ['#c0392b', STRATEGY_COLOR] }, legend: { labelLimit: 500 } },
          tooltip: [
            { field: 'lo', type: 'quantitative', title: 'From (exclusive)', format: '.3f' },
            { field: 'hi', type: 'quantitative', title: 'To', format: '.3f' },
            { field: 'count', type: 'quantitative', title: 'Splits' },
            { field: 'share', type: 'quantitative', title: 'Share of the splits', format: '.2%' },
          ],
        },
      },
      { data: { values: [{}] }, mark: { type: 'rule', color: '#333', strokeDash: [3, 3] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
    ],
  } as TopLevelSpec;
}

/** How many of the best configurations the growth chart draws before the reader asks for more. */
export const GROWTH_SHOWN = 5;

/**
 * Growth of 1 over the common months, log scale: buy-and-hold (dashed) and the best few
 * configurations by Sharpe ratio, each in its colour; a slider under the chart draws more of
 * them, in rank order, in grey. The data is stored wide (one row per period, a short key per
 * series) and folded in the browser.
 */
export function growthChart(record: CompareRecord, benchmarkName: string): TopLevelSpec {
  const s = record.summary;
  const p = record.periods;
  const names = rowNames(s);
  const ranked = [...s.configurations].sort((a, b) => sortKey(s.results[b]!.sharpe) - sortKey(s.results[a]!.sharpe));
  const shown = Math.min(GROWTH_SHOWN, ranked.length);
  // `compare --strategies buy-and-hold` has a configuration of that name; the benchmark's line needs another.
  const bench = s.configurations.includes(benchmarkName) ? `${benchmarkName} (benchmark)` : benchmarkName;
  const equity = (r: ArrayLike<number>) => equityCurve(r).subarray(1);
  const curves = [equity(p.benchmarkReturns), ...ranked.map((l) => equity(p.configurations[l]!))];
  const keys = ['b', ...ranked.map((_, i) => `c${i + 1}`)];
  const series = [
    { key: 'b', rank: 0, name: bench, configuration: bench, sharpe: chartNumber(s.benchmark.sharpe) },
    ...ranked.map((l, i) => ({ key: `c${i + 1}`, rank: i + 1, name: names.get(l)!, configuration: l, sharpe: chartNumber(s.results[l]!.sharpe) })),
  ];
  // A long daily run is drawn in buckets keeping the extremes of the lines drawn first (the best few and buy-and-hold): of all 50, they would keep nearly every day.
  const values = pointsToDraw(p.labels.length, curves.slice(0, shown + 1)).map((k) => {
    const row: Record<string, string | number | null> = { t: p.labels[k]! };
    curves.forEach((c, j) => {
      row[keys[j]!] = chartNumber(c[k]!);
    });
    return row;
  });
  const { min, max } = positiveRange(curves);
  const domain = series.map((x) => x.name);
  const range = series.map((x) => (x.rank === 0 ? BENCHMARK_COLOR : x.rank <= shown ? TOP_COLORS[(x.rank - 1) % TOP_COLORS.length]! : OTHER_COLOR));
  const legendValues = series.filter((x) => x.rank <= shown).map((x) => x.name);
  const more = ranked.length > shown;
  const line = {
    mark: { type: 'line' },
    encoding: {
      x: { field: 't', type: 'temporal', scale: { type: 'utc' }, axis: timeAxis(p.labels) },
      y: {
        field: 'value',
        type: 'quantitative',
        scale: { type: 'log', domain: [min, max], nice: false },
        axis: { title: 'Value of 1 invested (log scale)', format: ',.2~f', values: logTicks(min, max) },
      },
      color: { field: 'name', type: 'nominal', title: null, scale: { domain, range }, legend: { values: legendValues, symbolType: 'stroke', symbolStrokeWidth: 3 } },
      strokeDash: { condition: { test: 'datum.rank === 0', value: [6, 3] }, value: [1, 0] },
      tooltip: [
        { field: 't', type: 'nominal', title: 'Period' },
        { field: 'configuration', type: 'nominal', title: 'Series' },
        { field: 'rank', type: 'quantitative', title: 'Rank by Sharpe (0: buy-and-hold)' },
        { field: 'sharpe', type: 'quantitative', title: 'Sharpe', format: '.3f' },
        { field: 'value', type: 'quantitative', title: 'Value of 1', format: ',.3f' },
      ],
    },
  };
  return {
    title: {
      text: more
        ? `Growth of 1 invested: buy-and-hold and the best ${shown} of the ${ranked.length} configurations by Sharpe ratio`
        : `Growth of 1 invested: buy-and-hold and ${ranked.length === 1 ? 'the configuration' : `the ${ranked.length} configurations, best Sharpe ratio first`}`,
      subtitle: more
        ? `Equity at each period end, log scale, costs included, over the same months. Draw more with the slider below the chart (in grey, by rank); hover a line for its name.`
        : 'Equity at each period end, log scale, costs included, over the same months.',
    },
    width: 'container',
    height: 340,
    config: { ...CHART_CONFIG, legend: { ...CHART_CONFIG.legend, labelLimit: 400, columns: 3 } },
    ...(more
      ? {
          params: [
            {
              name: 'shown',
              value: shown,
              bind: { input: 'range', min: 1, max: ranked.length, step: 1, name: 'Configurations drawn, best first: ' },
            },
          ],
        }
      : {}),
    data: { values },
    transform: [
      { fold: keys, as: ['key', 'value'] },
      { filter: 'isValid(datum.value)' },
      { lookup: 'key', from: { data: { values: series }, key: 'key', fields: ['rank', 'name', 'configuration', 'sharpe'] } },
      ...(more ? [{ filter: 'datum.rank <= shown' }] : []),
    ],
    layer: [
      // The others first, in grey, so the best few are drawn over them.
      ...(more ? [{ transform: [{ filter: `datum.rank > ${shown}` }], ...line }] : []),
      { transform: [{ filter: `datum.rank <= ${shown}` }], ...line },
    ],
  } as TopLevelSpec;
}
