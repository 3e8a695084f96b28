import {
  type AssetWeights,
  createMarketView,
  createUniverseView,
  isUniverse,
  type MarketView,
  PERIODS_PER_YEAR,
  type PriceSeries,
  type Strategy,
  type StrategyOutput,
  type Universe,
  UserError,
} from '@backtest/core';
import { assetReturns, periodLabel } from '@backtest/core/internal';
import { cashFromYields, missingYield, type YieldSeries } from './cash';
import { firstRowAtOrAfter } from './window';

export interface WalkForwardOptions {
  /** Label of the first decision row (`YYYY-MM`); default: the strategy's own, else its first complete row. */
  readonly testStart?: string;
  /** Cost per unit of weight change, in basis points of the position value. */
  readonly costBps?: number;
  /** Annual cash (risk-free) rate as a fraction, compounded to a per-period return. */
  readonly cashRate?: number;
  /** A risk-free yield series instead of a constant rate (see `cashFromYields`); `cashRate` is then ignored. */
  readonly cashYields?: YieldSeries;
  /** Name of the strategy, for messages. */
  readonly strategyId?: string;
  /**
   * Also decide at the last row, whose following return is not known yet: the position to hold
   * from the end of the data on (`next`). Every other decision, and the model schedule, is the
   * walk's own, so this is the decision a walk over one more row would make at that row.
   */
  readonly decideLast?: boolean;
  /** Called once per decision (for progress bars). */
  readonly onDecision?: (done: number, total: number) => void;
  /**
   * The bound on the sum of |weights| (1 unless the strategy declares leverage; then
   * `--max-leverage`). What exceeds 1 is borrowed at the cash rate.
   */
  readonly maxLeverage?: number;
  /**
   * A universe's benchmark: `equal-weight` (default: every asset at 1/N, rebalanced each period)
   * or one asset's name (that asset held alone).
   */
  readonly benchmark?: string;
}

/**
 * One walk: decisions at rows first..n-2, each earning the next row's return. Arrays are
 * aligned by evaluation period k, which is row `first + 1 + k`.
 */
export interface WalkForwardResult {
  readonly periodsPerYear: number;
  /** Row index (in the series given) of the first decision. */
  readonly firstDecision: number;
  /** Labels of the evaluation periods (the rows whose returns are earned). */
  readonly labels: readonly string[];
  /** Labels of the decision rows (one period before each evaluation period). */
  readonly decisionLabels: readonly string[];
  readonly assetReturns: Float64Array;
  readonly cashReturns: Float64Array;
  /** Weight held over each evaluation period. */
  readonly weights: Float64Array;
  readonly strategyReturns: Float64Array;
  /** Buy-and-hold over exactly the same periods, under the same cost model. */
  readonly benchmarkWeights: Float64Array;
  readonly benchmarkReturns: Float64Array;
  readonly output: StrategyOutput;
  /** With `decideLast`: the weight decided at the last row, to hold over the period after the data (on a universe, `weight` is their sum). */
  readonly next?: { readonly label: string; readonly weight: number; readonly weights?: Float64Array };
  /**
   * A universe's walk: the assets, and per asset (in that order) its weight, its return and its
   * contribution (weight x return) in each period, and the benchmark's weights. `weights` is then
   * the net exposure (the sum of the assets' weights) and `assetReturns` the equal-weight mean of
   * the assets' returns. Undefined for one series.
   */
  readonly universe?: UniverseWalk;
}

interface UniverseWalk {
  readonly assets: readonly string[];
  readonly weights: readonly Float64Array[];
  readonly returns: readonly Float64Array[];
  readonly contributions: readonly Float64Array[];
  readonly benchmark: string;
  readonly benchmarkWeights: Float64Array;
}

/** Per-period cash return and cost fraction from the annual cash rate and the cost in basis points. */
export function accountingTerms(
  frequency: PriceSeries['frequency'],
  options: { readonly cashRate?: number; readonly costBps?: number },
): { periodsPerYear: number; cashPerPeriod: number; cost: number } {
  const periodsPerYear = PERIODS_PER_YEAR[frequency];
  const cashRate = options.cashRate ?? 0;
  if (!Number.isFinite(cashRate) || cashRate <= -1) throw new UserError(`cash rate must be a number above -1, got ${cashRate}`);
  const costBps = options.costBps ?? 0;
  if (!Number.isFinite(costBps) || costBps < 0) throw new UserError(`--cost-bps must be a non-negative number, got ${costBps}`);
  return { periodsPerYear, cashPerPeriod: (1 + cashRate) ** (1 / periodsPerYear) - 1, cost: costBps / 10_000 };
}

/**
 * Strategy return of one period over N assets: sum_i w_i r_i + (1 - sum_i |w_i|) c - cost sum_i |w_i - w_prev,i|.
 * For one asset the same operations in the same order as `periodReturn`, so the same bits.
 */
function portfolioReturn(w: Float64Array, previous: Float64Array, r: Float64Array, cash: number, cost: number): number {
  let sum = w[0]! * r[0]!;
  let gross = Math.abs(w[0]!);
  let traded = Math.abs(w[0]! - previous[0]!);
  for (let i = 1; i < w.length; i++) {
    sum += w[i]! * r[i]!;
    gross += Math.abs(w[i]!);
    traded += Math.abs(w[i]! - previous[i]!);
  }
  return sum + (1 - gross) * cash - cost * traded;
}

/** Strategy return of one period: w r + (1 - |w|) c - cost |w - w_prev|. */
export function periodReturn(weight: number, previous: number, asset: number, cash: number, cost: number): number {
  return weight * asset + (1 - Math.abs(weight)) * cash - cost * Math.abs(weight - previous);
}

export async function walkForward(input: PriceSeries | Universe, strategy: Strategy, options: WalkForwardOptions = {}): Promise<WalkForwardResult> {
  const id = options.strategyId ?? 'the strategy';
  const universe = isUniverse(input) ? input : undefined;
  const assets = universe ? universe.assets.map((a) => a.series) : [input as PriceSeries];
  const names = universe ? universe.assets.map((a) => a.name) : [(input as PriceSeries).source];
  const m = assets.length;
  const dates = universe ? universe.dates : (input as PriceSeries).dates;
  const n = dates.length;
  const freq = input.frequency;
  const source = universe ? `the universe ${names.join(', ')}` : (input as PriceSeries).source;
  const label = (i: number) => periodLabel(dates[i]!, freq);
  const minHistory = strategy.minHistory;
  if (!Number.isInteger(minHistory) || minHistory < 1) throw new Error(`${id}: minHistory must be a positive integer`);

  let first = minHistory - 1;
  const testStart = options.testStart ?? strategy.defaultTestStart;
  if (testStart !== undefined) {
    const row = firstRowAtOrAfter({ dates }, testStart);
    if (row < 0 || row > n - 2) {
      throw new UserError(`test start ${testStart} leaves no month to trade: the data ends ${label(n - 1)} and a decision needs the following row`);
    }
    first = Math.max(first, row);
  }
  if (first > n - 2) {
    throw new UserError(
      `${id} needs ${minHistory} rows before its first decision and one more to earn a return, but ${source} has ${n} rows in the chosen range (${label(0)}..${label(n - 1)})`,
    );
  }

  const { periodsPerYear: ppy, cashPerPeriod, cost } = accountingTerms(freq, options.cashYields ? { costBps: options.costBps } : options);
  const cashByRow = options.cashYields ? cashFromYields({ dates, frequency: freq }, options.cashYields) : undefined;
  const maxLeverage = options.maxLeverage ?? 1;

  const rows = assets.map((a) => assetReturns(a));
  const periods = n - 1 - first;
  // The cash return of every period is checked before any model is trained.
  const cash = new Float64Array(periods).fill(cashPerPeriod);
  if (cashByRow) {
    for (let k = 0; k < periods; k++) {
      const c = cashByRow[first + k]!;
      if (Number.isNaN(c)) throw missingYield({ dates, frequency: freq }, options.cashYields!, first + k);
      cash[k] = c;
    }
  }
  const benchmark = universe ? benchmarkWeights(names, options.benchmark) : Float64Array.of(1);
  const decisions = periods + (options.decideLast ? 1 : 0);
  const views: MarketView[] = new Array<MarketView>(decisions);
  for (let k = 0; k < decisions; k++) views[k] = universe ? createUniverseView(universe, first + k) : createMarketView(input as PriceSeries, first + k);
  if (strategy.prepare) await strategy.prepare(views);

  const weights = new Float64Array(periods);
  const strategyReturns = new Float64Array(periods);
  // The benchmark is fully invested: its net weight is 1 in every period.
  const benchmarkWeightsHeld = new Float64Array(periods).fill(1);
  const benchmarkReturns = new Float64Array(periods);
  const asset = new Float64Array(periods);
  const labels: string[] = new Array<string>(periods);
  const decisionLabels: string[] = new Array<string>(periods);
  const perAsset = universe ? { weights: names.map(() => new Float64Array(periods)), returns: names.map(() => new Float64Array(periods)) } : undefined;

  const decide = (k: number): Float64Array => assetWeights(strategy.decide(views[k]!), names, maxLeverage, () => `${id} returned`, label(first + k));
  let previous: Float64Array = new Float64Array(m);
  const none = new Float64Array(m);
  const r = new Float64Array(m);
  for (let k = 0; k < periods; k++) {
    const t = first + k;
    const w = decide(k);
    for (let i = 0; i < m; i++) r[i] = rows[i]![t + 1]!;
    weights[k] = universe ? sum(w) : w[0]!;
    asset[k] = universe ? sum(r) / m : r[0]!;
    strategyReturns[k] = portfolioReturn(w, previous, r, cash[k]!, cost);
    benchmarkReturns[k] = portfolioReturn(benchmark, k === 0 ? none : benchmark, r, cash[k]!, cost);
    if (perAsset) {
      for (let i = 0; i < m; i++) {
        perAsset.weights[i]![k] = w[i]!;
        perAsset.returns[i]![k] = r[i]!;
      }
    }
    labels[k] = label(t + 1);
    decisionLabels[k] = label(t);
    previous = w;
    options.onDecision?.(k + 1, periods);
  }
  const last = options.decideLast ? decide(periods) : undefined;
  const next = last ? { label: label(n - 1), weight: universe ? sum(last) : last[0]!, ...(universe ? { weights: last } : {}) } : undefined;

  return {
    periodsPerYear: ppy,
    firstDecision: first,
    labels,
    decisionLabels,
    assetReturns: asset,
    cashReturns: cash,
    weights,
    strategyReturns,
    benchmarkWeights: benchmarkWeightsHeld,
    benchmarkReturns,
    output: strategy.finish?.() ?? {},
    ...(next ? { next } : {}),
    ...(perAsset
      ? {
          universe: {
            assets: names,
            weights: perAsset.weights,
            returns: perAsset.returns,
            contributions: perAsset.weights.map((w, i) => w.map((x, k) => x * perAsset.returns[i]![k]!)),
            benchmark: options.benchmark ?? EQUAL_WEIGHT,
            benchmarkWeights: benchmark,
          },
        }
      : {}),
  };
}

/** The benchmark of a universe by default: every asset at 1/N, rebalanced each period. */
export const EQUAL_WEIGHT = 'equal-weight';

function sum(x: Float64Array): number {
  let s = x[0]!;
  for (let i = 1; i < x.length; i++) s += x[i]!;
  return s;
}

/** The benchmark's weights: 1/N each (`equal-weight`), or 1 on the one asset named. */
function benchmarkWeights(assets: readonly string[], benchmark: string | undefined): Float64Array {
  if (benchmark === undefined || benchmark === EQUAL_WEIGHT) return new Float64Array(assets.length).fill(1 / assets.length);
  const i = assets.indexOf(benchmark);
  if (i < 0) throw new UserError(`--benchmark ${benchmark} is not an asset of the universe (${assets.join(', ')}); name one of them, or ${EQUAL_WEIGHT}`);
  const w = new Float64Array(assets.length);
  w[i] = 1;
  return w;
}

/**
 * A decision as one weight per asset, checked: each a finite number in [-1, 1] (up to the
 * leverage bound on a leveraged strategy), their absolute sum at most `maxLeverage` (1 unless the
 * strategy declares leverage). A single asset's strategy returns one number; a universe's, a
 * weight per asset in `assets` order or by name.
 */
function assetWeights(decision: number | AssetWeights, assets: readonly string[], maxLeverage: number, who: () => string, at: string): Float64Array {
  const m = assets.length;
  const out = new Float64Array(m);
  const bound = Math.max(1, maxLeverage);
  const bad = (what: string, why = ''): never => {
    throw new Error(`${who()} ${what} at ${at}${why ? `: ${why}` : ''}`);
  };
  if (typeof decision === 'number') {
    if (m > 1) bad(`one weight (${String(decision)})`, `a universe of ${m} assets (${assets.join(', ')}) needs a weight per asset`);
    out[0] = decision;
  } else if (Array.isArray(decision) || decision instanceof Float64Array) {
    const list = decision as ArrayLike<number>;
    if (list.length !== m) bad(`${list.length} weights`, `the universe has ${m} assets (${assets.join(', ')})`);
    for (let i = 0; i < m; i++) out[i] = list[i]!;
  } else if (decision !== null && typeof decision === 'object') {
    for (const [name, w] of Object.entries(decision)) {
      const i = assets.indexOf(name);
      if (i < 0) bad(`a weight for "${name}"`, `no asset of the universe has that name (${assets.join(', ')})`);
      out[i] = w as number;
    }
  } else {
    bad(`weight ${String(decision)}`, 'a weight must be a number');
  }
  let gross = 0;
  for (let i = 0; i < m; i++) {
    const w = out[i]!;
    if (typeof w !== 'number' || !Number.isFinite(w) || Math.abs(w) > bound) {
      bad(`weight ${String(w)}${m > 1 ? ` for ${assets[i]}` : ''}`, `a weight must be a number in [-${bound}, ${bound}]`);
    }
    gross += Math.abs(w);
  }
  // A sum of 1/N's may round a hair above 1.
  if (m > 1 && gross > maxLeverage * (1 + 1e-12)) {
    bad(
      `weights whose absolute values sum to ${gross} (${assets.map((a, i) => `${a} ${out[i]}`).join(', ')})`,
      `the sum is at most ${maxLeverage}${maxLeverage === 1 ? ' unless the strategy declares leverage' : ' (--max-leverage)'}`,
    );
  }
  return out;
}
