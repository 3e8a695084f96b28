import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { backtest } from './helpers';

/** A fresh directory outside the repository (the system's temporary directory). */
export function outsideDir(prefix: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** `npm run <script>` in a directory, as the plugin's author would. */
export function npmRun(dir: string, script: string): { code: number; output: string } {
  const r = spawnSync('npm', ['run', script], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, CI: '1' } });
  return { code: r.status ?? -1, output: `${r.stdout}\n${r.stderr}` };
}

/** `backtest new <name> --kind <kind> --dir <tmp>/<name>`, then `npm run build`; returns the package directory. */
export function scaffoldAndBuild(name: string, kind: 'rule' | 'forecast' | 'model'): string {
  const dir = path.join(outsideDir('plugin'), name);
  const created = backtest(['new', name, '--kind', kind, '--dir', dir]);
  if (created.code !== 0) throw new Error(`backtest new failed: ${created.stderr}`);
  const build = npmRun(dir, 'build');
  if (build.code !== 0) throw new Error(`npm run build failed in ${dir}:\n${build.output}`);
  return dir;
}
