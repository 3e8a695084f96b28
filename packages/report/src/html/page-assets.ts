import { trusted } from './html';

/** The report's stylesheet: one column, readable on a laptop and in print. */
export const REPORT_CSS = trusted`
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5b6168; --line: #e3e5e8; --accent: #1f5fbf; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
main { max-width: 980px; margin: 0 auto; padding: 28px 24px 64px; background: #fff; min-height: 100vh; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
.lede { color: var(--muted); margin: 0 0 16px; }
.warnings { background: #fff7e6; border: 1px solid #f0c36d; border-radius: 6px; padding: 10px 14px; margin: 16px 0; }
.warnings ul { margin: 4px 0 0; padding-left: 20px; }
.noscript { background: #eef3fb; border: 1px solid #b9cdee; border-radius: 6px; padding: 10px 14px; }
table.metrics { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
table.metrics th, table.metrics td { padding: 5px 10px; border-bottom: 1px solid var(--line); }
table.metrics thead th { text-align: right; font-weight: 600; border-bottom: 2px solid #c9ccd1; }
table.metrics thead th:first-child, table.metrics tbody th { text-align: left; font-weight: normal; }
table.metrics td { text-align: right; white-space: nowrap; }
table.metrics td.better { font-weight: 600; color: #0b6b2f; }
table.metrics .mark { display: inline-block; width: 1.2em; font-size: 10px; text-align: right; }
table.metrics tr.forecast th { color: var(--muted); }
table.metrics td.none { color: #aaa; }
.note { color: var(--muted); font-size: 13px; }
.signal { background: #eef3fb; border: 1px solid #b9cdee; border-radius: 6px; padding: 8px 14px; margin: 0 0 16px; }
table.data { border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.data th, table.data td { padding: 4px 12px; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
table.data thead th { font-weight: 600; border-bottom: 2px solid #c9ccd1; }
table.data tbody th { text-align: left; font-weight: normal; }
table.data td.better { font-weight: 600; }
table.data td.open { color: #a45a00; }
table.data tr.partial th, table.data tr.partial td { color: var(--muted); }
table.data .tag { font-size: 11px; border: 1px solid #c9ccd1; border-radius: 3px; padding: 0 4px; }
.scroll { max-height: 440px; overflow-y: auto; display: inline-block; border-bottom: 1px solid var(--line); }
.scroll thead th { position: sticky; top: 0; background: #fff; }
figure.chart { margin: 28px 0; }
figure.chart .vega { width: 100%; min-height: 120px; }
figure.chart figcaption { color: var(--muted); font-size: 13px; margin-top: 4px; }
.chart-error { color: #a40000; font-size: 13px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
pre { background: #f4f5f7; padding: 10px 12px; border-radius: 6px; overflow-x: auto; }
@media print { body { background: #fff; } main { padding: 0; } figure.chart { break-inside: avoid; } }
`;

/**
 * Draws every chart container from the specs in #chart-specs with the inlined Vega-Lite and Vega
 * (no vega-embed: it is not installed and would add a menu and a tooltip library we do not
 * need; Vega's own tooltip handler shows values on hover), filling each chart's named datasets
 * from #chart-data. A chart that fails shows the error in its place and logs it, and the others
 * still draw. When all are done, <body> gets
 * data-charts-rendered with the number drawn, which tests wait for, and each chart leaves a
 * performance mark `chart:<id>` for anyone timing the page.
 */
export const RENDER_SCRIPT = trusted`
(function () {
  var specs = JSON.parse(document.getElementById('chart-specs').textContent);
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  var boxes = Array.prototype.slice.call(document.querySelectorAll('[data-chart]'));
  var drawn = 0;
  function fail(box, id, e) {
    box.innerHTML = '';
    var p = document.createElement('p');
    p.className = 'chart-error';
    p.textContent = 'Chart "' + id + '" could not be drawn: ' + (e && e.message ? e.message : e);
    box.appendChild(p);
    console.error('chart ' + id + ':', e);
  }
  // One chart at a time, top first, yielding between them so the page paints as charts arrive.
  function next(i) {
    if (i >= boxes.length) { document.body.setAttribute('data-charts-rendered', String(drawn)); return; }
    var box = boxes[i];
    var id = box.getAttribute('data-chart');
    var step = function () { setTimeout(function () { next(i + 1); }, 0); };
    try {
      var compiled = vegaLite.compile(specs[id]).spec;
      var view = new vega.View(vega.parse(compiled), { renderer: 'svg', container: box, hover: true, logLevel: vega.Warn });
      Object.keys(data).forEach(function (name) {
        if (name.lastIndexOf(id + '__', 0) === 0) view.data(name, data[name]);
      });
      view.runAsync().then(function () {
        box.setAttribute('data-rendered', 'true');
        drawn++;
        if (window.performance && performance.mark) performance.mark('chart:' + id);
        step();
      }, function (e) { fail(box, id, e); step(); });
    } catch (e) { fail(box, id, e); step(); }
  }
  next(0);
})();
`;
