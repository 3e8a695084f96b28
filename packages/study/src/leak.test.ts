import { LEAK_NOTE, measureLeak } from './leak';
import { prepareStudyData } from './prepare';

/** A close that compounds a fixed pattern of monthly returns: deterministic and not linear in time. */
function series(n: number): { labels: string[]; close: Float64Array } {
  const labels = Array.from({ length: n }, (_, i) => `${1980 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  const close = new Float64Array(n);
  let level = 100;
  for (let i = 0; i < n; i++) {
    level *= 1 + 0.01 + 0.04 * Math.sin(i * 1.7) + 0.02 * Math.cos(i * 0.37);
    close[i] = level;
  }
  return { labels, close };
}

describe('measureLeak', () => {
  const { labels, close } = series(20 * 12);
  const data = prepareStudyData(labels, close);
  const leak = measureLeak(data.train, data.valid);

  test('says plainly that the normalisation leaks the future', () => {
    expect(leak.note).toBe(LEAK_NOTE);
    expect(leak.note).toMatch(/leaks the future/);
    expect(leak.verdict).toMatch(/leaky forecast/);
  });

  test('undoing the leaky scaling with the statistics that include the next close recovers it exactly', () => {
    // If the regression predicted the leaky z-target perfectly, z*sd+mean would be the next
    // close: the de-scaling itself carries the future. Check that identity on the rows.
    for (const r of data.train) expect(r.z.target * r.targetStats.sd + r.targetStats.mean).toBeCloseTo(r.target, 8);
  });

  test('the no-leak price error equals the regression forecast rebuilt with time-t close statistics', () => {
    const c = leak.noLeak.coefficients;
    const errors = data.valid.map((r) => {
      const z = c.intercept + c.close * r.z.close + c.sma * r.z.sma;
      return 100 * ((z * r.closeStats.sd + r.closeStats.mean) / r.target - 1);
    });
    const expected = Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length);
    expect(leak.noLeak.pricePctRmse.valid).toBeCloseTo(expected, 10);
    const noChange = data.valid.map((r) => 100 * (r.close / r.target - 1));
    expect(leak.noChangePctRmse.valid).toBeCloseTo(Math.sqrt(noChange.reduce((s, e) => s + e * e, 0) / noChange.length), 10);
    expect(leak.validPriceErrorRatio).toBeCloseTo(leak.noLeak.pricePctRmse.valid / leak.leaky.pricePctRmse.valid, 12);
  });
});
