import { renameSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Writes `path` so that it either has its old content or the new one, never a prefix: the text
 * goes to a temporary name in the same directory (so the rename stays on one file system) and
 * is renamed over `path`, which POSIX makes atomic.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
