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

/** A script's text made safe to sit inside <script>...</script>, without its source-map link (a file the report does not carry). */
export function inlineScript(source: string): string {
  return source.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n').replace(/<\/script/gi, '<\\/script');
}

let cached: { vega: string; vegaLite: string } | undefined;

/** The two runtimes, read once per process. */
export function chartRuntime(): { vega: string; vegaLite: string } {
  cached ??= {
    vega: inlineScript(readFileSync(packageFile('vega', 'build/vega.min.js'), 'utf8')),
    vegaLite: inlineScript(readFileSync(packageFile('vega-lite', 'build/vega-lite.min.js'), 'utf8')),
  };
  return cached;
}
