import { inputs, type StudyRow } from './prepare';
import { type Coefficients, fitRegression, type RegressionFit } from './regression';

/** Said in every output of the study (terminal, JSON, HTML). */
export const LEAK_NOTE =
  "The study's normalisation leaks the future: the target at month t (next month's close) is z-scored by the mean and " +
  'standard deviation of the target column over rows t-9..t, i.e. the closes of months t-8..t+1, which include the very ' +
  'close being forecast. Its errors are not achievable in real time; walk-forward backtests scale the target with ' +
  'statistics of closes up to t only.';

/** One way of scaling the target, fitted by the same regression on the same rows. */
interface LeakVariant {
  readonly coefficients: Coefficients;
  /** In the variant's own standardised units (not comparable across variants). */
  readonly residualRmse: number;
  readonly validRmse: number;
  /**
   * Forecast turned back into a price with the same statistics that scaled the target, then
   * RMSE of its percentage error against the actual next close: comparable across variants.
   */
  readonly pricePctRmse: { readonly train: number; readonly valid: number };
}

/** A variant's errors in the order the page and leak.csv show them: RMSE train and valid (own units), price error train and valid (%). */
export function leakErrors(v: LeakVariant): number[] {
  return [v.residualRmse, v.validRmse, v.pricePctRmse.train, v.pricePctRmse.valid];
}

export interface LeakMeasurement {
  readonly note: string;
  /** The study's target: scaled by its own trailing statistics, which include the next close. */
  readonly leaky: LeakVariant;
  /** The target scaled by the trailing mean and sd of close at t: known at t's close. */
  readonly noLeak: LeakVariant;
  /** Forecasting next month's close as this month's close, for scale. */
  readonly noChangePctRmse: { readonly train: number; readonly valid: number };
  /** leaky minus noLeak. */
  readonly coefficientDifference: Coefficients;
  /** How many times smaller the leaky forecast's validation price error is than the no-leak one's. */
  readonly validPriceErrorRatio: number;
  /** The measurement in one sentence, worded from the numbers. */
  readonly verdict: string;
}

type Stats = (r: StudyRow) => { mean: number; sd: number };

const leakyStats: Stats = (r) => r.targetStats;
const closeStats: Stats = (r) => r.closeStats;

function pctRmse(rows: readonly StudyRow[], forecastPrice: (r: StudyRow, i: number) => number): number {
  let s = 0;
  rows.forEach((r, i) => {
    s += (100 * (forecastPrice(r, i) / r.target - 1)) ** 2;
  });
  return Math.sqrt(s / rows.length);
}

function variant(train: readonly StudyRow[], valid: readonly StudyRow[], stats: Stats): LeakVariant {
  const y = (rows: readonly StudyRow[]) => Float64Array.from(rows, (r) => (r.target - stats(r).mean) / stats(r).sd);
  const fit: RegressionFit = fitRegression({ x: inputs(train), y: y(train) }, { x: inputs(valid), y: y(valid) });
  const c = fit.coefficients;
  const price = (r: StudyRow) => (c.intercept + c.close * r.z.close + c.sma * r.z.sma) * stats(r).sd + stats(r).mean;
  return {
    coefficients: c,
    residualRmse: fit.residualRmse,
    validRmse: fit.validRmse,
    pricePctRmse: { train: pctRmse(train, price), valid: pctRmse(valid, price) },
  };
}

/** The same OLS fitted twice, once on the study's leaky target and once on a target scaled without a leak. */
export function measureLeak(train: readonly StudyRow[], valid: readonly StudyRow[]): LeakMeasurement {
  const leaky = variant(train, valid, leakyStats);
  const noLeak = variant(train, valid, closeStats);
  const noChange = (r: StudyRow) => r.close;
  const noChangePctRmse = { train: pctRmse(train, noChange), valid: pctRmse(valid, noChange) };
  const ratio = noLeak.pricePctRmse.valid / leaky.pricePctRmse.valid;
  const pct = (v: number) => `${v.toFixed(2)}%`;
  const verdict =
    `On the validation years the leaky forecast misses next month's close by ${pct(leaky.pricePctRmse.valid)} (RMSE), ` +
    `the same regression without the leak by ${pct(noLeak.pricePctRmse.valid)} and the no-change forecast by ${pct(noChangePctRmse.valid)}: ` +
    (ratio > 1 ? `the leak makes the error look ${ratio.toFixed(2)} times smaller than it can be in real time.` : 'here the leak did not lower the error.');
  return {
    note: LEAK_NOTE,
    leaky,
    noLeak,
    noChangePctRmse,
    coefficientDifference: {
      intercept: leaky.coefficients.intercept - noLeak.coefficients.intercept,
      close: leaky.coefficients.close - noLeak.coefficients.close,
      sma: leaky.coefficients.sma - noLeak.coefficients.sma,
    },
    validPriceErrorRatio: ratio,
    verdict,
  };
}
