import { createMarketView, type MarketView, PERIODS_PER_YEAR, type PriceSeries, type Strategy, type StrategyOutput, UserError } from '@backtest/core';
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
  /** With `decideLast`: the weight decided at the last row, to hold over the period after the data. */
  readonly next?: { readonly label: string; readonly weight: number };
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

/** Strategy return of one period: w r + (1 - |w|) c - cost |w - w_prev|. */
export function periodReturn(weight: number, previous: number, asset: number, cash: number, cost: number): number {
  return weight * asset + (1 - Math.abs(weight)) * cash - cost * Math.abs(weight - previous);
}

export async function walkForward(series: PriceSeries, strategy: Strategy, options: WalkForwardOptions = {}): Promise<WalkForwardResult> {
  const id = options.strategyId ?? 'the strategy';
  const n = series.close.length;
  const freq = series.frequency;
  const label = (i: number) => periodLabel(series.dates[i]!, freq);
  const minHistory = strategy.minHistory;
  if (!Number.isInteger(minHistory) || minHistory < 1) throw new Error(`${id}: minHistory must be a positive integer`);

  let first = minHistory - 1;
  const testStart = options.testStart ?? strategy.defaultTestStart;
  if (testStart !== undefined) {
    const row = firstRowAtOrAfter(series, testStart);
    if (row < 0 || row > n - 2) {
      throw new UserError(`test start ${testStart} leaves no month to trade: the data ends ${label(n - 1)} and a decision needs the following row`);
    }
    first = Math.max(first, row);
  }
  if (first > n - 2) {
    throw new UserError(
      `${id} needs ${minHistory} rows before its first decision and one more to earn a return, but ${series.source} has ${n} rows in the chosen range (${label(0)}..${label(n - 1)})`,
    );
  }

  const { periodsPerYear: ppy, cashPerPeriod, cost } = accountingTerms(freq, options.cashYields ? { costBps: options.costBps } : options);
  const cashByRow = options.cashYields ? cashFromYields(series, options.cashYields) : undefined;

  const rows = assetReturns(series);
  const periods = n - 1 - first;
  // The cash return of every period is checked before any model is trained.
  const cash = new Float64Array(periods).fill(cashPerPeriod);
  if (cashByRow) {
    for (let k = 0; k < periods; k++) {
      const c = cashByRow[first + k]!;
      if (Number.isNaN(c)) throw missingYield(series, options.cashYields!, first + k);
      cash[k] = c;
    }
  }
  const decisions = periods + (options.decideLast ? 1 : 0);
  const views: MarketView[] = new Array<MarketView>(decisions);
  for (let k = 0; k < decisions; k++) views[k] = createMarketView(series, first + k);
  if (strategy.prepare) await strategy.prepare(views);

  const weights = new Float64Array(periods);
  const strategyReturns = new Float64Array(periods);
  const benchmarkWeights = new Float64Array(periods).fill(1);
  const benchmarkReturns = new Float64Array(periods);
  const asset = new Float64Array(periods);
  const labels: string[] = new Array<string>(periods);
  const decisionLabels: string[] = new Array<string>(periods);

  const decide = (k: number): number => {
    const w = strategy.decide(views[k]!);
    if (typeof w !== 'number' || !Number.isFinite(w) || w < -1 || w > 1) {
      throw new Error(`${id} returned weight ${String(w)} at ${label(first + k)}: a weight must be a number in [-1, 1]`);
    }
    return w;
  };
  let previous = 0;
  for (let k = 0; k < periods; k++) {
    const t = first + k;
    const w = decide(k);
    const r = rows[t + 1]!;
    weights[k] = w;
    asset[k] = r;
    strategyReturns[k] = periodReturn(w, previous, r, cash[k]!, cost);
    benchmarkReturns[k] = periodReturn(1, k === 0 ? 0 : 1, r, cash[k]!, cost);
    labels[k] = label(t + 1);
    decisionLabels[k] = label(t);
    previous = w;
    options.onDecision?.(k + 1, periods);
  }
  const next = options.decideLast ? { label: label(n - 1), weight: decide(periods) } : undefined;

  return {
    periodsPerYear: ppy,
    firstDecision: first,
    labels,
    decisionLabels,
    assetReturns: asset,
    cashReturns: cash,
    weights,
    strategyReturns,
    benchmarkWeights,
    benchmarkReturns,
    output: strategy.finish?.() ?? {},
    ...(next ? { next } : {}),
  };
}
