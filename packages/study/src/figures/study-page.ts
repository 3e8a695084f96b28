import { type Html, html, joinHtml, scriptJsonHtml } from '@backtest/report';
import { leakErrors } from '../leak';
import { STUDY_NETWORKS } from '../networks';
import { SPLIT } from '../prepare';
import type { Coefficients } from '../regression';
import type { StudyResult } from '../run-study';
import { architectureSvgHtml } from './architecture-svg';
import { chartRuntime } from './chart-runtime';
import { RENDER_SCRIPT, STUDY_CSS } from './page-assets';
import { type StudyChart, studyCharts } from './study-charts';

// Markup is made only with @backtest/report's `html` tag, which escapes every value (so a value
// can never become markup), and the figures' specs go in with its `scriptJsonHtml`.
const n4 = (v: number) => v.toFixed(4);

function table(head: readonly string[], rows: readonly (readonly string[])[]): Html {
  const th = head.map((c) => html`<th>${c}</th>`);
  const body = rows.map(([first, ...rest]) => html`<tr><th>${first ?? ''}</th>${rest.map((c) => html`<td>${c}</td>`)}</tr>`);
  return html`<table class="numbers"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function facts(items: readonly [string, string][]): Html {
  return html`<dl class="facts">${items.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

function chartFigure(c: StudyChart): Html {
  return html`<figure class="chart" id="figure-${c.id}"><div class="vega" data-chart="${c.id}"></div><figcaption>${c.caption} Data: <code>${c.dataFile}</code>.</figcaption></figure>`;
}

const coefficientCells = (c: Coefficients) => [n4(c.intercept), n4(c.close), n4(c.sma)];

/**
 * study.html: the article's figures and tables from one run, self-contained (the Vega runtime and
 * every figure's data are inlined, so it opens offline). A pure function of the result.
 */
export function buildStudyPage(r: StudyResult): string {
  const charts = studyCharts(r);
  const byId = new Map(charts.map((c) => [c.id, c]));
  const fig = (id: string) => chartFigure(byId.get(id)!);
  const specs = Object.fromEntries(charts.map((c) => [c.id, c.spec]));
  const runtime = chartRuntime();
  const e = r.experiments;
  const reg = r.regression;
  const es = e.earlyStopping;
  const leak = r.leak;
  const diagrams = STUDY_NETWORKS.map((net) => html`<div class="diagram" data-network="${net.id}">${architectureSvgHtml(net)}</div>`);
  const meta = joinHtml([`S&P 500 (^GSPC) month-end closes ${r.from} .. ${r.to}`, `seed ${r.seed}`, `backend ${r.backend}`, `${r.seconds.total!.toFixed(1)} s`], ' · ');
  const head = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Study "seed": neural networks for investing, re-run</title>
<style>${STUDY_CSS}</style>
</head>
<body>
<main>
<h1>Study “seed”: neural networks for investing, re-run</h1>
<p class="lede">${meta}</p>
<div class="leak" role="note"><strong>This study leaks the future.</strong> ${leak.note} See <a href="#leak">the leak, measured</a>.</div>
<noscript><p class="noscript">The charts are drawn by JavaScript, which is turned off; the tables, diagrams and text are complete without it.</p></noscript>

<h2>Data</h2>
${facts([
  ['File', `${r.data.path} (SHA-256 ${r.data.sha256})`],
  ['Columns', 'close; sma = 10-month simple moving average of close; ret = monthly % change of close; target = next month’s close'],
  ['Normalisation', 'every column, the target included, z-scored by its own trailing 10-month mean and sample sd (n−1) over rows t−9..t'],
  ['Usable rows', `${r.prepared.rows.length} (${r.rows.firstRow} .. ${r.rows.lastRow}); rows with any missing value dropped`],
  [
    'Split (labels, inclusive)',
    `train ≤ ${SPLIT.trainEnd}: ${r.rows.train} rows; validation ${SPLIT.validStart} .. ${SPLIT.validEnd}: ${r.rows.valid} rows (1991 in both); test ≥ ${SPLIT.testStart}: ${r.rows.test} rows`,
  ],
  ['Inputs → output', 'normalised close and sma → normalised target'],
])}
${fig('price-sma')}

<h2>Network architectures</h2>
<figure class="architectures" id="figure-architectures"><div class="diagrams">${diagrams}</div>
<figcaption>The three networks: Glorot-uniform weights, zero biases, plain SGD (learning rate 0.01), MSE loss, batch 32, seed ${r.seed}. Layers wider than ten units show seven nodes, an ellipsis and how many are not drawn. Data: <code>architectures.json</code>.</figcaption></figure>

<h2>Experiments 1–3: a small network</h2>
${fig('experiment-1')}
${fig('experiment-2')}
${fig('experiment-3')}
${facts([
  ['Stopped after epoch', String(es.stoppedAt)],
  ['Best (restored) epoch', String(es.bestEpoch)],
  ['Restored validation RMSE', n4(es.restoredValidRmse)],
  [
    'Reloaded from disk',
    `validation RMSE ${n4(es.checkpoint.reloadedValidRmse)}; predictions on ${es.checkpoint.comparedRows} rows ${es.checkpoint.identical ? 'identical to the in-memory model' : `differ by up to ${es.checkpoint.maxAbsDifference}`}`,
  ],
])}

<h2>Experiment 4: a linear neuron against the regression</h2>
${fig('experiment-4')}
${table(
  ['Model', 'Intercept / bias', 'Close weight', 'SMA weight'],
  [
    ['Regression (OLS)', ...coefficientCells(reg.coefficients)],
    ['Regression standard error', ...coefficientCells(reg.standardErrors)],
    [`Neuron (SGD, ${e.neuron.coefficientsByEpoch.length} epochs)`, ...coefficientCells(e.neuron.coefficients)],
    ['Neuron − regression', ...coefficientCells(r.conclusions.neuronMinusRegression)],
  ],
)}
<p class="note">Regression on ${reg.n} training rows: residual RMSE sqrt(SSR/(n−k)) ${n4(reg.residualRmse)}, RMSE sqrt(SSR/n) ${n4(reg.trainRmse)}, validation RMSE ${n4(reg.validRmse)}, R² ${n4(reg.rSquared)}. Data: <code>coefficients.csv</code>.</p>
${fig('experiment-4-coefficients')}

<h2>Experiment 5: a deeper network</h2>
${fig('experiment-5')}
${facts([
  ['Stopped after epoch', String(e.deep.stoppedAt)],
  ['Best (restored) epoch', String(e.deep.bestEpoch)],
  ['Restored validation RMSE', n4(e.deep.restoredValidRmse)],
])}

<h2>Conclusions (computed from this run)</h2>
<ul class="conclusions">${r.conclusions.statements.map((s) => html`<li>${s}</li>`)}</ul>

<h2 id="leak">The leak, measured</h2>
<p>${leak.note}</p>
${table(
  ['Target scaled by', 'Intercept', 'Close', 'SMA', 'Train RMSE (own units)', 'Valid RMSE (own units)', 'Price error, train (%)', 'Price error, valid (%)'],
  [
    ['its own trailing stats (the study: leaks)', ...coefficientCells(leak.leaky.coefficients), ...leakErrors(leak.leaky).map(n4)],
    ['close’s trailing stats at t (no leak)', ...coefficientCells(leak.noLeak.coefficients), ...leakErrors(leak.noLeak).map(n4)],
    ['no-change forecast (next close = this close)', '', '', '', '', '', n4(leak.noChangePctRmse.train), n4(leak.noChangePctRmse.valid)],
  ],
)}
<p class="note">The same OLS of the scaled target on normalised close and SMA, fitted on the training rows. RMSEs in standardised units are not comparable between the two scalings; the price error (RMSE of the forecast’s percentage error against next month’s close, after undoing each scaling with the statistics that made it) is. ${leak.verdict} Data: <code>leak.csv</code>.</p>

<h2>Files</h2>
<p class="note"><code>study.json</code> (every number above), <code>data.csv</code> (the prepared rows and their split), <code>prices.csv</code>, <code>architectures.json</code> and <code>architecture-*.svg</code>, <code>experiment1.csv</code> … <code>experiment5.csv</code>, <code>coefficients.csv</code>, <code>leak.csv</code>, <code>figures.json</code> (every chart’s Vega-Lite spec), <code>checkpoint/</code> (experiment 3’s best model, TensorFlow.js layers format).</p>
</main>
<script id="chart-specs" type="application/json">${scriptJsonHtml(specs)}</script>
<script>`;
  const tail = html`</script>
<script>${RENDER_SCRIPT}</script>
</body>
</html>
`;
  // The two runtimes are the packages' own scripts (made safe inside <script> by chartRuntime), not values: they go in between.
  return [head.text, runtime.vega, '</script>\n<script>', runtime.vegaLite, tail.text].join('');
}
