import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The built worker script `relative` (e.g. 'model-pool/model-worker.js') of package `name`:
 * beside the calling module (`here`, its __dirname, when it runs from the package's dist), or in
 * the package's dist (when the caller is bundled elsewhere, as the CLI is, or runs from sources
 * under a test runner). A worker thread runs plain Node, so it needs the built file.
 */
export function workerScript(here: string, name: string, relative: string): string {
  const beside = join(here, relative.split('/').pop()!);
  if (existsSync(beside)) return beside;
  const inPackage = join(dirname(require.resolve(`${name}/package.json`)), 'dist', relative);
  if (existsSync(inPackage)) return inPackage;
  throw new Error(`the worker script was not found at ${inPackage}: build ${name} (npx turbo run build)`);
}
