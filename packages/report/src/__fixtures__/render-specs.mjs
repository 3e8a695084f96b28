// Compiles Vega-Lite specs and renders each to SVG with the installed vega and vega-lite, as
// the report's browser script does. A child process, because both packages are ESM-only and
// vega uses top-level await, which jest's CommonJS runtime cannot load.
// stdin: JSON {specs: {name: spec}, data: {dataset: values}} (data: named datasets detached
// from the specs, filled in as the report does); stdout: JSON {name: {error?, warnings, svg}}.
import * as vega from 'vega';
import * as vl from 'vega-lite';

const { specs, data = {} } = JSON.parse(
  await new Promise((resolve) => {
    let s = '';
    process.stdin.on('data', (d) => (s += d)).on('end', () => resolve(s));
  }),
);
const out = {};
for (const [name, spec] of Object.entries(specs)) {
  const warnings = [];
  const logger = {
    level() {
      return this;
    },
    error(...a) {
      throw new Error(a.join(' '));
    },
    warn(...a) {
      const m = a.join(' ');
      // `width: "container"` listens to window resizes; Node has no window, browsers do.
      if (m !== 'Can not resolve event source: window') warnings.push(m);
      return this;
    },
    info() {
      return this;
    },
    debug() {
      return this;
    },
  };
  try {
    const compiled = vl.compile(spec, { logger }).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
    for (const [d, values] of Object.entries(data)) if (d.startsWith(`${name}__`)) view.data(d, values);
    const svg = await view.toSVG();
    out[name] = { warnings, svg };
  } catch (e) {
    out[name] = { error: String(e?.message ? e.message : e), warnings };
  }
}
process.stdout.write(JSON.stringify(out));
