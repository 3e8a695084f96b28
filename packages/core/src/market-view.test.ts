import { LookAheadError } from './errors';
import { createMarketView } from './market-view';
import type { PriceSeries } from './series';

const series: PriceSeries = {
  source: 'test',
  frequency: 'monthly',
  dates: ['2000-01-31', '2000-02-29', '2000-03-31', '2000-04-28'],
  close: Float64Array.from([10, 11, 12, 13]),
  columns: { volume: Float64Array.from([1, 2, 3, 4]) },
};

describe('createMarketView', () => {
  const view = createMarketView(series, 1);
  it('shows rows up to t', () => {
    expect(view.length).toBe(2);
    expect(view.label).toBe('2000-02');
    expect(view.close()).toBe(11);
    expect(view.close(1)).toBe(10);
    expect([...view.closes()]).toEqual([10, 11]);
    expect([...view.closes(1)]).toEqual([11]);
    expect([...view.column('volume')]).toEqual([1, 2]);
    expect(view.labels()).toEqual(['2000-01', '2000-02']);
  });
  it('cannot reach later rows', () => {
    expect(() => view.close(-1)).toThrow(LookAheadError);
    expect(() => view.closes(3)).toThrow(LookAheadError);
    expect(() => view.column('volume', 3)).toThrow(LookAheadError);
    // Copies, not windows onto the series' buffer.
    const c = view.closes();
    expect(c.buffer.byteLength).toBe(2 * 8);
    c[0] = 99;
    expect(view.close(1)).toBe(10);
    expect(Object.isFrozen(view)).toBe(true);
    expect(JSON.stringify(view)).not.toContain('12');
  });
  it('rejects rows outside the series', () => {
    expect(() => createMarketView(series, 4)).toThrow(RangeError);
    expect(() => createMarketView(series, -1)).toThrow(RangeError);
  });
});
