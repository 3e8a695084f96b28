import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The Vega and Vega-Lite browser builds, inlined into study.html so that it draws offline.
 * @backtest/report keeps its own loader private, so the study finds the same files the same
 * way: along Node's lookup paths (neither package exports its build directory), which also works
 * from the CLI's bundled build.
 */
function packageFile(name: string, file: string): string {
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = path.join(dir, name, file);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`cannot find ${name}/${file}: the study page needs the ${name} package installed (it comes with @backtest/report)`);
}

/** A script's text made safe inside <script>...</script>, without a source-map link to a file the page lacks. */
function inlineScript(source: string): string {
  return source.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n').replace(/<\/script/gi, '<\\/script');
}

let cached: { vega: string; vegaLite: string } | undefined;

export function chartRuntime(): { vega: string; vegaLite: string } {
  cached ??= {
    vega: inlineScript(readFileSync(packageFile('vega', 'build/vega.min.js'), 'utf8')),
    vegaLite: inlineScript(readFileSync(packageFile('vega-lite', 'build/vega-lite.min.js'), 'utf8')),
  };
  return cached;
}
