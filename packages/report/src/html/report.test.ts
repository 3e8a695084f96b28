import { fixtureRecord, UNIVERSE_CHARTS } from '../__fixtures__/record';
import { universeRecord } from '../__fixtures__/universe-record';
import { epochChart } from '../charts';
import { chartNumber } from '../charts/theme';
import { chartFigure, chartPageHtml } from './chart-page';
import { inlineScript } from './chart-runtime';
import { html as tag } from './html';
import { buildReport, reportBytes } from './report';

/** `expect(html).toContain(...)` would print the whole 1 MB page on failure; this prints the needle. */
function expectIn(html: string, needle: string) {
  expect({ found: html.includes(needle), needle }).toEqual({ found: true, needle });
}

describe('buildReport', () => {
  const rec = fixtureRecord({ forecast: true });
  const html = buildReport(rec);

  it('is self-contained: scripts inline, nothing fetched, a note for readers without JavaScript', () => {
    // Booleans, so a failure does not print the 1 MB page.
    expect(/<(script|link|img|iframe)[^>]+(src|href)=/i.test(html)).toBe(false);
    expect(html.includes('sourceMappingURL')).toBe(false);
    expect(html.includes('<noscript><p class="noscript">The charts of this page are drawn by JavaScript')).toBe(true);
    // The Vega and Vega-Lite runtimes are in it, so the charts draw offline.
    expect(html.includes('.vegaLite={}')).toBe(true);
    expect(html.length).toBeGreaterThan(700_000);
  });

  it('states the data source, the conventions and the warnings, escaped', () => {
    expectIn(html, rec.data.sha256);
    expectIn(html, '/data/fixture.csv');
    expectIn(html, 'fixture: a warning with &lt;markup&gt; &amp; &quot;quotes&quot;');
    expect(html.includes('<markup>')).toBe(false);
    expect(/Annualisation<\/dt><dd>12 periods a year/.test(html)).toBe(true);
    expect(/Costs<\/dt><dd>10 basis points/.test(html)).toBe(true);
    expectIn(html, `${rec.summary.period.start} .. ${rec.summary.period.end}`);
  });

  it('puts every metric in the table with its exact value, undefined ones as n/a, the better one marked', () => {
    expectIn(html, 'data-strategy="ols-sma" data-metric="sharpe" data-value="0.5" class="better"');
    expectIn(html, 'data-strategy="buy-and-hold" data-metric="sharpe" data-value="0.4">0.400');
    expectIn(html, 'data-metric="informationRatio" data-value="null">n/a');
  });

  it('is the same text as the bytes a run folder stores, and does not depend on when it is built', () => {
    expect(reportBytes(rec).toString('utf8')).toBe(html);
    expect(buildReport(fixtureRecord({ forecast: true }))).toBe(html);
  });
});

describe('inlineScript', () => {
  it('drops a trailing source-map link and escapes any </script in any case', () => {
    const out = inlineScript(Buffer.from('var a = "</SCRIPT>", b = "</script";\n//# sourceMappingURL=x.js.map\n'));
    expect(out.toString()).toBe('var a = "<\\/script>", b = "<\\/script";\n');
    const plain = Buffer.from('var a = 1; // é\n');
    expect(inlineScript(plain)).toBe(plain);
  });
});

describe('chartPageHtml (pages of other commands, e.g. the study)', () => {
  const chart = { id: 'exp-1', spec: epochChart({ title: 'RMSE', series: [{ name: 'Training', values: [1.3, 0.9] }], yTitle: 'RMSE' }), caption: 'Falls <fast>.' };
  it('puts each chart where its figure is in the body, with its data detached, and checks ids', () => {
    const html = chartPageHtml({ title: 'Study', body: tag`<h1>Study</h1>${chartFigure(chart)}`, charts: [chart] });
    expectIn(html, '<figure class="chart" id="chart-exp-1"><div class="vega" data-chart="exp-1"></div><figcaption>Falls &lt;fast&gt;.</figcaption></figure>');
    expectIn(html, '"exp-1__0":[{"epoch":1,"series":"Training","value":1.3}');
    expect(() => chartPageHtml({ title: 't', body: tag``, charts: [{ ...chart, id: 'a b' }] })).toThrow('letters, digits and dashes');
  });
});

/** The two JSON documents of a report page: the chart specs, and the datasets detached from them. */
function chartJson(page: string): { specs: Record<string, unknown>; data: Record<string, Record<string, unknown>[]> } {
  const read = (id: string) => {
    const start = page.indexOf(`<script id="${id}" type="application/json">`);
    return JSON.parse(page.slice(page.indexOf('>', start) + 1, page.indexOf('</script>', start)));
  };
  return { specs: read('chart-specs'), data: read('chart-data') };
}

/** The rows of every dataset of chart `id`, in the order they were detached (`<id>__0`, `<id>__1`, ...). */
function chartData(page: string, id: string): Record<string, unknown>[][] {
  const { specs, data } = chartJson(page);
  expect(specs[id]).toBeDefined();
  return Object.keys(data)
    .filter((k) => k.startsWith(`${id}__`))
    .sort()
    .map((k) => data[k]!);
}

describe('buildReport of a universe', () => {
  const rec = universeRecord();
  const u = rec.universe!;
  const doc = rec.summary.universe!;
  const page = buildReport(rec);

  it('names the benchmark for what it is, in the title, the heading, the table and the conventions', () => {
    expectIn(page, '<title>sma against equal weight, rebalanced monthly on sp500,ndx,gold</title>');
    expectIn(page, '<h1>sma <span style="font-weight:normal;color:#5b6168">against equal weight, rebalanced monthly</span></h1>');
    expectIn(page, '<th scope="col">equal weight</th>');
    expectIn(page, 'The benchmark (equal weight, rebalanced monthly) is measured over exactly the same periods.');
    const gold = buildReport(universeRecord({ benchmark: 'gold' }));
    expectIn(gold, 'against buy-and-hold of gold</span></h1>');
    expectIn(gold, '<th scope="col">buy-and-hold of gold</th>');
  });

  it('lists the assets near the top with their figures exactly as summary.json has them, and shows the warnings (mixed currencies)', () => {
    expect(page.indexOf('<h2>Assets</h2>')).toBeLessThan(page.indexOf('<h2>Charts</h2>'));
    for (const a of doc.assets) {
      expectIn(page, `<tr><th scope="row">${a.name}</th><td>${a.currency}</td>`);
      for (const key of ['meanWeight', 'contribution', 'totalReturn'] as const) expectIn(page, `data-asset="${a.name}" data-key="${key}" data-value="${a[key]}"`);
      expectIn(page, `<dt>Asset ${a.name}</dt><dd><code>${a.file}</code> · SHA-256 <code>${a.sha256}</code>`);
    }
    expectIn(page, '<li>mixed currencies: sp500 and ndx are in USD, gold in EUR; returns are each in its own currency</li>');
  });

  it('draws no price chart, and the weights, contributions and correlations with the record’s numbers', () => {
    const { specs } = chartJson(page);
    expect(Object.keys(specs)).toEqual(UNIVERSE_CHARTS);
    expect(page.includes('id="chart-price"')).toBe(false);

    const [weights] = chartData(page, 'weights');
    expect(weights).toEqual(
      rec.periods.labels.map((t, k) => ({
        t,
        ...Object.fromEntries(u.assets.map((a, i) => [a, chartNumber(u.weights[i]![k]!)])),
        cash: chartNumber(1 - u.weights.reduce((g, w) => g + Math.abs(w[k]!), 0)),
      })),
    );
    const [contribution] = chartData(page, 'contribution');
    expect(contribution).toEqual(
      doc.assets.map((a) => ({ asset: a.name, contribution: chartNumber(a.contribution), meanWeight: chartNumber(a.meanWeight), totalReturn: chartNumber(a.totalReturn) })),
    );
    const [correlation] = chartData(page, 'correlation');
    expect(correlation).toEqual(u.assets.flatMap((a, i) => u.assets.map((b, j) => ({ a, b, r: chartNumber(doc.correlation[i]![j]!) }))));
    // The cells' text is the value to two decimals; the stack is in the universe's order, cash on top.
    expect(JSON.stringify(specs.correlation)).toContain('"text":{"field":"r","type":"quantitative","format":".2f"}');
    expect(JSON.stringify(specs.weights)).toContain('"domain":["sp500","ndx","gold","cash"]');
  });

  it('draws an undefined correlation (null in summary.json) as an empty grey cell, the same from the run and from its folder', () => {
    const correlation = doc.correlation.map((row, i) => row.map((c, j) => (i !== j && (i === 2 || j === 2) ? NaN : c)));
    const nan = buildReport({ ...rec, summary: { ...rec.summary, universe: { ...doc, correlation } } });
    const cells = chartData(nan, 'correlation')[0]!;
    expect(cells.filter((c) => c.r === null).map((c) => `${c.a}/${c.b}`)).toEqual(['sp500/gold', 'ndx/gold', 'gold/sp500', 'gold/ndx']);
    const fromJson = JSON.parse(JSON.stringify(correlation)) as number[][];
    expect(buildReport({ ...rec, summary: { ...rec.summary, universe: { ...doc, correlation: fromJson } } })).toBe(nan);
  });
});
