import { fixtureRecord } from '../__fixtures__/record';
import { epochChart } from '../charts';
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
