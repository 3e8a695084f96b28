import { forecastMetrics } from './forecastMetrics';

describe('forecastMetrics', () => {
  it('hand-computed example', () => {
    /*
     * actual    a = [0.02, -0.01, 0.03, 0.00]
     * predicted p = [0.01,  0.01, 0.02, 0.01]
     * benchmark b = [0.005, 0.005, 0.005, 0.005]
     * a - p = [0.01, -0.02, 0.01, -0.01] -> SSE = 0.0001+0.0004+0.0001+0.0001 = 0.0007
     *   rmse = sqrt(0.0007/4); mae = 0.05/4 = 0.0125
     * a - b = [0.015, -0.015, 0.025, -0.005] -> SSE_b = 0.000225*2 + 0.000625 + 0.000025 = 0.0011
     *   R2_OS = 1 - 0.0007/0.0011 = 4/11
     * signs: (+,+) hit, (-,+) miss, (+,+) hit, (0,+) miss -> 2/4
     */
    const f = forecastMetrics({
      actual: [0.02, -0.01, 0.03, 0],
      predicted: [0.01, 0.01, 0.02, 0.01],
      benchmark: [0.005, 0.005, 0.005, 0.005],
    });
    expect(f.rmse).toBeCloseTo(Math.sqrt(0.0007 / 4), 14);
    expect(f.mae).toBeCloseTo(0.0125, 15);
    expect(f.r2OutOfSample).toBeCloseTo(4 / 11, 12);
    expect(f.directionalAccuracy).toBe(0.5);
    expect(f.n).toBe(4);
  });

  it('zero counts as its own sign: a zero forecast is right only for a zero outcome', () => {
    const f = forecastMetrics({ actual: [0, 0.01, 0, -0.01], predicted: [0, 0, 0.01, -0.02], benchmark: [0, 0, 0, 0] });
    expect(f.directionalAccuracy).toBe(0.5);
  });

  it('the historical-mean forecast itself has R2_OS = 0, a perfect one 1', () => {
    const actual = [0.02, -0.01, 0.03];
    const b = [0.01, 0.01, 0.01];
    expect(forecastMetrics({ actual, predicted: b, benchmark: b }).r2OutOfSample).toBe(0);
    expect(forecastMetrics({ actual, predicted: actual, benchmark: b }).r2OutOfSample).toBe(1);
  });

  it('empty input is NaN with n = 0; a benchmark that is never wrong gives NaN R2', () => {
    const e = forecastMetrics({ actual: [], predicted: [], benchmark: [] });
    expect(e).toEqual({ rmse: NaN, mae: NaN, directionalAccuracy: NaN, r2OutOfSample: NaN, n: 0 });
    expect(forecastMetrics({ actual: [0.01], predicted: [0], benchmark: [0.01] }).r2OutOfSample).toBeNaN();
  });

  it('rejects NaN and mismatched lengths', () => {
    expect(() => forecastMetrics({ actual: [NaN], predicted: [0], benchmark: [0] })).toThrow(RangeError);
    expect(() => forecastMetrics({ actual: [0], predicted: [NaN], benchmark: [0] })).toThrow(RangeError);
    expect(() => forecastMetrics({ actual: [0, 1], predicted: [0], benchmark: [0, 1] })).toThrow(/predicted/);
  });
});
