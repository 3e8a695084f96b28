/**
 * The batched path of the forecast building block (every fit in `prepare`) against the
 * sequential one (fit in `decide`): the same forecasts, weights and histories; each fit sees
 * only its refit view's rows and each forecast only its own view's.
 */
import { createMarketView, type PriceSeries, silentProgress, type StrategyContext } from '@backtest/core';
import { closeAndSmaFeatures } from './features';
import { createForecastStrategy, type ForecastStrategyOptions, type Regressor } from './forecast-strategy';

const context: StrategyContext = { frequency: 'monthly', seed: 1, threads: 1, backend: 'cpu', progress: silentProgress, warn: () => {} };

function series(n: number): PriceSeries {
  const close = Float64Array.from({ length: n }, (_, i) => 100 * Math.exp(0.01 * i + 0.05 * Math.sin(i * 1.7)));
  const dates = Array.from({ length: n }, (_, i) => `${2000 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-28`);
  return { source: 'generated', frequency: 'monthly', dates, close, columns: {} };
}

/** Least squares of y on the first feature, through the origin, plus a fit-dependent offset. */
function regressor(fit: number, seen: { fit: number; rows: number; last: number }[]): Regressor {
  let slope = 0;
  return {
    fit(x, y) {
      let sxy = 0;
      let sxx = 0;
      for (let r = 0; r < x.rows; r++) {
        sxy += x.data[r * x.cols]! * y[r]!;
        sxx += x.data[r * x.cols]! ** 2;
      }
      slope = sxy / sxx;
      seen.push({ fit, rows: x.rows, last: y[y.length - 1]! });
      return { history: { loss: [sxx, sxy] } };
    },
    predict: (x) => Float64Array.from({ length: x.rows }, (_, r) => slope * x.data[r * x.cols]! + 0.001 * fit),
    dispose() {},
  };
}

async function walk(s: PriceSeries, first: number, batched: boolean) {
  const seen: { fit: number; rows: number; last: number }[] = [];
  const options: ForecastStrategyOptions = {
    id: 'test',
    features: closeAndSmaFeatures(3),
    model: (fit) => regressor(fit, seen),
    refit: 4,
    window: { kind: 'expanding' },
    minTrain: 5,
    sizing: { kind: 'binary', threshold: 0, short: false },
    context,
    // Fits run in reverse order, as a thread pool might finish them: results go by job.
    ...(batched
      ? {
          fitBatch: async (fits, done) =>
            [...fits].reverse().map((f) => {
              const m = regressor(f.fit, seen);
              const history = m.fit(f.x, f.y).history;
              done();
              return { predictions: f.predict.rows ? m.predict(f.predict) : new Float64Array(0), history };
            }).reverse(),
        }
      : {}),
  };
  const strategy = createForecastStrategy(options);
  const views = Array.from({ length: s.close.length - 1 - first }, (_, k) => createMarketView(s, first + k));
  await strategy.prepare?.(views);
  const weights = views.map((v) => strategy.decide(v));
  return { weights, output: strategy.finish!(), seen: seen.sort((a, b) => a.fit - b.fit) };
}

describe('createForecastStrategy with fitBatch', () => {
  it('gives the sequential path\'s forecasts, weights, fits and histories exactly', async () => {
    const s = series(60);
    const seq = await walk(s, 20, false);
    const bat = await walk(s, 20, true);
    expect(bat.weights).toEqual(seq.weights);
    expect(bat.output).toEqual(seq.output);
    expect(bat.seen).toEqual(seq.seen);
    expect(seq.output.fits).toBe(Math.ceil(39 / 4));
    expect(new Set(seq.weights).size).toBeGreaterThan(1);
  });

  it('trains each fit on its refit view\'s rows only and forecasts from each view\'s own rows', async () => {
    const s = series(60);
    const base = await walk(s, 20, true);
    // Change every row after t = 31 (the refit view of fit 3 is row 32): fits 0..2 and
    // decisions up to row 31 must not move; the later ones may.
    const changed: PriceSeries = { ...s, close: s.close.map((c, i) => (i > 31 ? c * (1 + 0.3 * Math.cos(i)) : c)) };
    const other = await walk(changed, 20, true);
    expect(other.seen.slice(0, 3)).toEqual(base.seen.slice(0, 3));
    expect(other.weights.slice(0, 12)).toEqual(base.weights.slice(0, 12));
    expect(other.output.forecasts!.slice(0, 12)).toEqual(base.output.forecasts!.slice(0, 12));
    expect(other.output.forecasts!.slice(12)).not.toEqual(base.output.forecasts!.slice(12));
  });

  it('refuses a decision for a view that prepare did not see', async () => {
    const s = series(40);
    const strategy = createForecastStrategy({
      id: 'test', features: closeAndSmaFeatures(3), model: (fit) => regressor(fit, []), refit: 2, window: { kind: 'expanding' }, minTrain: 5,
      sizing: { kind: 'binary', threshold: 0, short: false }, context,
      fitBatch: async (fits) => fits.map((f) => ({ predictions: new Float64Array(f.predict.rows), history: { loss: [] } })),
    });
    await strategy.prepare!([createMarketView(s, 20), createMarketView(s, 21)]);
    expect(() => strategy.decide(createMarketView(s, 30))).toThrow(/was not among the views given to prepare/);
  });
});
