import { fixtureRecord } from '../__fixtures__/record';
import { universeRecord } from '../__fixtures__/universe-record';
import type { RunRecord } from '../run-record';
import { buildReport } from './report';
import { drawdownsSection, signalLine, tradesSection, yearlySection } from './tearsheet';

/** Each body row of the table with class `cls` in `page`: its cells by data-metric, a number's data-value or else the cell's text. */
function rows(page: string, cls: string): Record<string, string>[] {
  const at = page.indexOf(`<table class="data ${cls}"`);
  if (at < 0) return [];
  const body = page.slice(page.indexOf('<tbody>', at), page.indexOf('</table>', at));
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((tr) =>
    Object.fromEntries([...tr[1]!.matchAll(/data-metric="([^"]+)"(?: data-value="([^"]*)")?[^>]*>([^<]*)</g)].map((c) => [c[1]!, c[2] ?? c[3]!])),
  );
}

const ret = (rec: RunRecord, f: (p: RunRecord['periods']) => ArrayLike<number>) => Array.from(f(rec.periods));

describe('the worst drawdowns table', () => {
  const rec = fixtureRecord({ rows: 120 });
  const page = buildReport(rec);

  it('lists the deepest episodes of the strategy’s equity curve, as a brute force over it finds them', () => {
    const r = ret(rec, (p) => p.strategyReturns);
    const labels = rec.periods.labels;
    // Plain: walk the curve from 1, an episode from leaving the high to getting back to it.
    const eps: { start: string; trough: string; recovery: string; depth: number; periods: number }[] = [];
    let e = 1;
    let high = 1;
    let highAt = 0;
    let cur: { start: string; trough: string; recovery: string; depth: number; periods: number; peak: number } | undefined;
    r.forEach((x, i) => {
      e *= 1 + x;
      if (e >= high) {
        if (cur) {
          eps.push({ ...cur, recovery: labels[i]!, periods: i + 1 - cur.peak });
          cur = undefined;
        }
        high = e;
        highAt = i + 1;
      } else if (!cur) cur = { start: labels[i]!, trough: labels[i]!, recovery: 'not recovered', depth: e / high - 1, periods: 0, peak: highAt };
      else if (e / high - 1 < cur.depth) {
        cur.depth = e / high - 1;
        cur.trough = labels[i]!;
      }
    });
    if (cur) eps.push({ ...cur, periods: r.length - cur.peak });
    const expected = eps.sort((a, b) => a.depth - b.depth).slice(0, 5);
    const got = rows(page, 'drawdowns');
    expect(got.map((g) => [g.start, g.trough, g.recovery, Number(g.periods)])).toEqual(expected.map((x) => [x.start, x.trough, x.recovery, x.periods]));
    got.forEach((g, k) => expect(Number(g.depth)).toBeCloseTo(expected[k]!.depth, 12));
    expect(got.length).toBe(5);
  });

  it('no drawdown: says so; a never-recovered one says "not recovered" and lasts to the end', () => {
    const up = { ...rec, periods: { ...rec.periods, strategyReturns: Array.from(rec.periods.strategyReturns, () => 0.01) } };
    expect(drawdownsSection(up).text).toContain('never fell below an earlier high');
    const down = { ...rec, periods: { ...rec.periods, strategyReturns: Array.from(rec.periods.strategyReturns, (_, i) => (i === 5 ? -0.5 : 0.001)) } };
    const [worst] = rows(drawdownsSection(down).text, 'drawdowns');
    expect(worst).toEqual({
      start: rec.periods.labels[5],
      trough: rec.periods.labels[5],
      recovery: 'not recovered',
      depth: String((0.5 * 1.001 ** 5) / 1.001 ** 5 - 1),
      periods: String(rec.periods.labels.length - 5),
    });
  });
});

describe('the yearly returns table', () => {
  it('compounds each calendar year of both series, and marks the partial first and last years', () => {
    const rec = fixtureRecord({ rows: 60 });
    const p = rec.periods;
    const got = rows(yearlySection(rec).text, 'yearly');
    // The fixture's periods run 1990-05 .. 1994-12 minus the last row: 1990 and 1994 are partial.
    const years = [...new Set(p.labels.map((l) => l.slice(0, 4)))];
    expect(got.map((g) => g.year)).toEqual(years);
    for (const g of got) {
      const idx = p.labels.map((l, i) => (l.startsWith(g.year!) ? i : -1)).filter((i) => i >= 0);
      expect(Number(g.strategy)).toBeCloseTo(idx.reduce((a, i) => a * (1 + p.strategyReturns[i]!), 1) - 1, 12);
      expect(Number(g.benchmark)).toBeCloseTo(idx.reduce((a, i) => a * (1 + p.benchmarkReturns[i]!), 1) - 1, 12);
      expect(Number(g.periods)).toBe(idx.length);
      const whole = idx.length === 12;
      expect({ year: g.year, partial: g.partial === 'partial' }).toEqual({ year: g.year, partial: !whole });
      expect(Number(g.difference)).toBeCloseTo(Number(g.strategy) - Number(g.benchmark), 14);
    }
    expect(yearlySection({ ...rec, periods: { ...p, labels: [], strategyReturns: [], benchmarkReturns: [], weights: [], assetReturns: [], cashReturns: [] } }).text).toBe('');
  });
});

describe('the trades table', () => {
  it('lists the round trips of a long/flat run, the most recent first, returns with costs from the returns and weights', () => {
    const rec = fixtureRecord({ rows: 200 });
    const p = rec.periods;
    const w = Array.from(p.weights);
    const r = Array.from(p.strategyReturns);
    const cost = Number(rec.summary.conventions.costBps) / 10_000;
    const plain: { entry: string; exit: string; periods: number; ret: number }[] = [];
    for (let i = 0; i < w.length; ) {
      if (w[i] === 0) {
        i++;
        continue;
      }
      const start = i;
      let g = 1;
      while (i < w.length && w[i]! > 0) g *= 1 + r[i++]!;
      const open = i === w.length;
      plain.push({ entry: p.labels[start]!, exit: open ? 'open' : p.labels[i - 1]!, periods: i - start, ret: g * (open ? 1 : 1 - cost * w[i - 1]!) - 1 });
    }
    const html = tradesSection(rec).text;
    const got = rows(html, 'trades');
    const expected = plain.slice(-20).reverse();
    expect(plain.length).toBeGreaterThan(20);
    expect(got.map((g) => [g.entry, g.exit, Number(g.periods)])).toEqual(expected.map((x) => [x.entry, x.exit, x.periods]));
    got.forEach((g, k) => expect(Number(g.return)).toBeCloseTo(expected[k]!.ret, 12));
    expect(html).toContain(`<span data-metric="trades" data-value="${plain.length}">`);
    expect(html).toContain(`the most recent 20 of ${plain.length} trades`);
  });

  it('says why there is no list: a universe, a strategy that goes short, one never invested', () => {
    expect(tradesSection(universeRecord()).text).toContain('No trade list for a universe');
    const rec = fixtureRecord();
    const short = { ...rec, periods: { ...rec.periods, weights: Array.from(rec.periods.weights, (x) => (x === 0 ? -1 : x)) } };
    expect(tradesSection(short).text).toContain('goes short');
    const cash = { ...rec, periods: { ...rec.periods, weights: Array.from(rec.periods.weights, () => 0) } };
    expect(tradesSection(cash).text).toContain('never invested');
  });
});

describe('the next position', () => {
  const s = fixtureRecord().summary;
  /** The line's text, as a reader sees it. */
  const said = (g: Parameters<typeof signalLine>[0]['signal']) =>
    signalLine({ ...s, signal: g })
      .text.replace(/<[^>]+>/g, '')
      .trim();
  it('says the weight decided at the last close (in the terminal’s words), per asset for a universe, and nothing for a folder without it', () => {
    expect(signalLine(s).text).toBe('');
    expect(said({ asOf: '2026-10', weight: 1 })).toBe('Next position: hold 100% long over the month after 2026-10 (decided at its close)');
    expect(said({ asOf: '2026-10', weight: 0 })).toBe('Next position: hold cash over the month after 2026-10 (decided at its close)');
    expect(said({ asOf: '2026-10', weight: -1 })).toContain('hold 100% short over');
    expect(said({ asOf: '2026-10', weight: 0.25 })).toContain('hold 25.0% long');
    const assets = [
      { name: 'sp500', weight: 0.5 },
      { name: 'gold', weight: 0 },
    ];
    expect(said({ asOf: '2026-10', weight: 0.5, assets })).toContain('hold sp500 50.0%, gold 0.0%, cash 50.0% over the month after 2026-10');
    expect(signalLine({ ...s, signal: { asOf: '2026-10', weight: 1, assets: [{ name: '<ndx>', weight: 1 }] } }).text).toContain('&lt;ndx&gt; 100.0%');
    // On the page, right after the lede, with the decision's period and the weight exactly.
    const page = buildReport({ ...fixtureRecord(), summary: { ...s, signal: { asOf: '2026-10', weight: 1 } } });
    expect(
      /<p class="lede">.*<\/p>\n<p class="signal" data-metric="signal.asOf" data-value="2026-10"><strong>Next position:<\/strong> <span data-metric="signal.weight" data-value="1">hold 100% long/.test(
        page,
      ),
    ).toBe(true);
  });
});
