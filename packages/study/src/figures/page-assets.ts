import { trusted } from '@backtest/report';

/** The study page's stylesheet: one readable column, like the run report's. */
export const STUDY_CSS = trusted`
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5b6168; --line: #e3e5e8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
main { max-width: 980px; margin: 0 auto; padding: 28px 24px 64px; background: #fff; min-height: 100vh; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.lede { color: var(--muted); margin: 0 0 16px; }
.leak { background: #fff1f0; border: 1px solid #e8a29c; border-radius: 6px; padding: 10px 14px; margin: 16px 0; }
.noscript { background: #eef3fb; border: 1px solid #b9cdee; border-radius: 6px; padding: 10px 14px; }
table.numbers { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 8px 0 4px; }
table.numbers th, table.numbers td { padding: 4px 12px; border-bottom: 1px solid var(--line); }
table.numbers thead th { text-align: right; font-weight: 600; border-bottom: 2px solid #c9ccd1; }
table.numbers thead th:first-child, table.numbers tbody th { text-align: left; font-weight: normal; }
table.numbers td { text-align: right; white-space: nowrap; }
.note { color: var(--muted); font-size: 13px; }
figure { margin: 24px 0; }
figure .vega { width: 100%; min-height: 120px; }
figure figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
figure.architectures .diagrams { display: grid; grid-template-columns: 1fr; gap: 8px; }
figure.architectures svg { width: 100%; max-width: 620px; height: auto; border: 1px solid var(--line); border-radius: 6px; }
.chart-error { color: #a40000; font-size: 13px; }
ul.conclusions li { margin: 4px 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
@media print { body { background: #fff; } main { padding: 0; } figure { break-inside: avoid; } }
`;

/**
 * Draws every [data-chart] container from the specs in #chart-specs with the inlined Vega-Lite
 * and Vega, as SVG. A chart that fails shows its error in place and logs it, and the others
 * still draw; when all are done <body> gets data-charts-rendered with the number drawn, which
 * tests wait for.
 */
export const RENDER_SCRIPT = trusted`
(function () {
  var specs = JSON.parse(document.getElementById('chart-specs').textContent);
  var boxes = document.querySelectorAll('[data-chart]');
  var done = [];
  Array.prototype.forEach.call(boxes, function (box) {
    var id = box.getAttribute('data-chart');
    try {
      var compiled = vegaLite.compile(specs[id]).spec;
      var view = new vega.View(vega.parse(compiled), { renderer: 'svg', container: box, hover: true, logLevel: vega.Warn });
      done.push(view.runAsync().then(function () { box.setAttribute('data-rendered', 'true'); return 1; }, function (e) { fail(box, id, e); return 0; }));
    } catch (e) { fail(box, id, e); }
  });
  function fail(box, id, e) {
    box.innerHTML = '';
    var p = document.createElement('p');
    p.className = 'chart-error';
    p.textContent = 'Figure "' + id + '" could not be drawn: ' + (e && e.message ? e.message : e);
    box.appendChild(p);
    console.error('figure ' + id + ':', e);
  }
  Promise.all(done).then(function (ok) {
    document.body.setAttribute('data-charts-rendered', String(ok.reduce(function (a, b) { return a + b; }, 0)));
  });
})();
`;
