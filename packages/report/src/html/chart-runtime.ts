import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The Vega and Vega-Lite browser builds, inlined into every report so it opens with no network.
 * Drawing is left to the browser: importing Vega in Node alone costs more than a whole sma run.
 * Neither package exports its package.json, so the file is found along Node's own lookup
 * paths for the package (which also works from the CLI's bundled build).
 */
function packageFile(name: string, file: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = path.join(dir, name, file);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`cannot find ${name}/${file}: the HTML report needs the ${name} package installed`);
}

const SOURCE_MAP = Buffer.from('\n//# sourceMappingURL=');
const SCRIPT_END = /<\/script/gi;

/** Whether `</script` appears in any letter case (HTML ends a script element at any of them). */
function hasScriptEnd(b: Buffer): boolean {
  for (let i = b.indexOf('</'); i >= 0; i = b.indexOf('</', i + 2)) {
    if (b.toString('latin1', i + 2, i + 8).toLowerCase() === 'script') return true;
  }
  return false;
}

/**
 * A script made safe to sit inside <script>...</script>, without its source-map link (a file
 * the report does not carry). Kept as bytes: decoding 770 kB to a string and encoding it back
 * on write was a fifth of the time a run spends on its report, and the common case (no
 * `</script` inside) needs no change at all.
 */
export function inlineScript(source: Buffer): Buffer {
  const map = source.lastIndexOf(SOURCE_MAP);
  const lineEnd = map < 0 ? -1 : source.indexOf(10, map + 1);
  const last = map >= 0 && (lineEnd < 0 || source.toString('latin1', lineEnd).trim() === '');
  let out = last ? source.subarray(0, map + 1) : source;
  if (hasScriptEnd(out)) {
    out = Buffer.from(out.toString('utf8').replace(SCRIPT_END, '<\\/script'), 'utf8');
  }
  return out;
}

let cached: { vega: Buffer; vegaLite: Buffer } | undefined;

/** The two runtimes as UTF-8 bytes, read once per process. */
export function chartRuntime(): { vega: Buffer; vegaLite: Buffer } {
  cached ??= {
    vega: inlineScript(readFileSync(packageFile('vega', 'build/vega.min.js'))),
    vegaLite: inlineScript(readFileSync(packageFile('vega-lite', 'build/vega-lite.min.js'))),
  };
  return cached;
}
