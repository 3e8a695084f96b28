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

describe('the fit records (StrategyOutput.models)', () => {
  /** refit=12 from row 20 of series(60) (row i is month i of 2000, 2000-01 first): fits at rows 20, 32, 44, 56. */
  async function fitWalk(s: PriceSeries, window: ForecastStrategyOptions['window'], batched: boolean, saveModels?: boolean) {
    const calls: (object | undefined)[] = [];
    const ctx: StrategyContext = { ...context, ...(saveModels === undefined ? {} : { saveModels }) };
    const model = (fit: number): Regressor => ({ ...regressor(fit, []), kind: 'test', files: () => ({ 'fit.json': JSON.stringify({ fit }) }) });
    const strategy = createForecastStrategy({
      id: 'test', features: closeAndSmaFeatures(3), model, refit: 12, window, minTrain: 5,
      sizing: { kind: 'binary', threshold: 0, short: false }, context: ctx,
      ...(batched
        ? {
            fitBatch: async (fits, done, options) => {
              calls.push(options);
              return fits.map((f) => {
                const m = model(f.fit);
                const history = m.fit(f.x, f.y).history;
                done();
                return { predictions: m.predict(f.predict), history, ...(options?.keepModels ? { model: { kind: m.kind!, files: m.files!() } } : {}) };
              });
            },
          }
        : {}),
    });
    const views = Array.from({ length: s.close.length - 1 - 20 }, (_, k) => createMarketView(s, 20 + k));
    await strategy.prepare?.(views);
    views.forEach((v) => strategy.decide(v));
    return { output: strategy.finish!(), calls };
  }

  it.each([false, true])('names each fit\'s decision and training rows, expanding and rolling (batched: %s)', async (batched) => {
    const s = series(60);
    // closeAndSmaFeatures(3): the SMA's z-score is defined from row 4 (2 x 3 - 2), so the
    // expanding fit at row 20 (2001-09) trains on rows 4..19: 2000-05..2001-08, 16 rows; each
    // refit 12 rows later adds 12. Rolling over 8 rows: rows 12..19 (2001-01..2001-08), then
    // 12 rows later each time.
    const expanding = await fitWalk(s, { kind: 'expanding' }, batched);
    expect(expanding.output.fits).toBe(4);
    expect(expanding.output.models).toEqual([
      { fit: 0, decision: '2001-09', trainFrom: '2000-05', trainTo: '2001-08', rows: 16 },
      { fit: 1, decision: '2002-09', trainFrom: '2000-05', trainTo: '2002-08', rows: 28 },
      { fit: 2, decision: '2003-09', trainFrom: '2000-05', trainTo: '2003-08', rows: 40 },
      { fit: 3, decision: '2004-09', trainFrom: '2000-05', trainTo: '2004-08', rows: 52 },
    ]);
    const rolling = await fitWalk(s, { kind: 'rolling', rows: 8 }, batched);
    expect(rolling.output.models).toEqual([
      { fit: 0, decision: '2001-09', trainFrom: '2001-01', trainTo: '2001-08', rows: 8 },
      { fit: 1, decision: '2002-09', trainFrom: '2002-01', trainTo: '2002-08', rows: 8 },
      { fit: 2, decision: '2003-09', trainFrom: '2003-01', trainTo: '2003-08', rows: 8 },
      { fit: 3, decision: '2004-09', trainFrom: '2004-01', trainTo: '2004-08', rows: 8 },
    ]);
    // Every forecast names a fit that exists, made at or after that fit's decision.
    for (const f of expanding.output.forecasts!) expect(f.label >= expanding.output.models![f.fit!]!.decision).toBe(true);
  });

  it.each([false, true])('counts the rows used, not the window: rows with undefined features are skipped (batched: %s)', async (batched) => {
    // Flat for rows 0..6: close's trailing deviation is 0 up to row 6, so the first usable row is 7 (2000-08).
    const base = series(60);
    const s: PriceSeries = { ...base, close: base.close.map((c, i) => (i <= 6 ? 100 : c)) };
    const { output } = await fitWalk(s, { kind: 'expanding' }, batched);
    expect(output.models![0]).toEqual({ fit: 0, decision: '2001-09', trainFrom: '2000-08', trainTo: '2001-08', rows: 13 });
  });

  it.each([false, true])('keeps every fit\'s model only when the context asks (batched: %s)', async (batched) => {
    const s = series(60);
    const plain = await fitWalk(s, { kind: 'expanding' }, batched);
    expect(plain.output.savedModels).toBeUndefined();
    const kept = await fitWalk(s, { kind: 'expanding' }, batched, true);
    expect(kept.output.savedModels).toEqual([0, 1, 2, 3].map((fit) => ({ fit, kind: 'test', files: { 'fit.json': JSON.stringify({ fit }) } })));
    // Saving changes nothing else.
    const { savedModels: _, ...rest } = kept.output;
    expect(rest).toEqual(plain.output);
    // The batch fitter is asked for models only when they are kept.
    if (batched) expect([plain.calls, kept.calls]).toEqual([[undefined], [{ keepModels: true }]]);
  });

  it('warns, and keeps what it can, when the model cannot give its files', async () => {
    const warnings: string[] = [];
    const s = series(40);
    const strategy = createForecastStrategy({
      id: 'test', features: closeAndSmaFeatures(3), model: (fit) => regressor(fit, []), refit: 12, window: { kind: 'expanding' }, minTrain: 5,
      sizing: { kind: 'binary', threshold: 0, short: false }, context: { ...context, saveModels: true, warn: (m) => warnings.push(m) },
    });
    const views = Array.from({ length: 19 }, (_, k) => createMarketView(s, 20 + k));
    await strategy.prepare!(views);
    views.forEach((v) => strategy.decide(v));
    expect(strategy.finish!().savedModels).toEqual([]);
    expect(warnings).toEqual(['test: 2 of 2 fitted models could not be kept for saving (this model does not provide its files)']);
  });
});
