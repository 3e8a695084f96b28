import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import * as nodePath from 'node:path';
import { UserError, writeFileAtomic } from '@backtest/core';

// One file written atomically: the helper lives in @backtest/core (the data package writes
// fetched files with it too) and is re-exported here for the run folder's writers.
export { writeFileAtomic };

/** A folder still being written carries this suffix; only a complete one has its final name. */
export const PARTIAL_SUFFIX = '.partial';

/**
 * Writes `files` (paths relative to the folder, subfolders allowed) into the new folder `dir`
 * atomically: under `<dir>.partial`, renamed at the end, so an interrupted write never leaves a
 * folder that looks complete. An existing `dir` is refused; a `.partial` leftover of an
 * interrupted write is replaced; a failure removes what it wrote. `what` names the folder in
 * messages ("run folder", "study folder").
 */
export function writeFolderAtomically(
  dir: string,
  files: readonly (readonly [string, string | Uint8Array])[],
  what = 'folder',
): { dir: string; files: string[] } {
  const final = nodePath.resolve(dir);
  if (final.endsWith(PARTIAL_SUFFIX)) throw new UserError(`${what} name must not end with ${PARTIAL_SUFFIX}: ${dir}`);
  if (existsSync(final)) throw new UserError(`${what} ${dir} already exists; choose another --out or remove it`);
  const partial = final + PARTIAL_SUFFIX;
  // A leftover of an interrupted write goes (checked first: a recursive rm loads its own module).
  if (existsSync(partial)) rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    for (const [name, content] of files) {
      const file = nodePath.join(partial, name);
      if (nodePath.dirname(name) !== '.') mkdirSync(nodePath.dirname(file), { recursive: true });
      writeFileAtomic(file, content);
    }
    renameSync(partial, final);
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }
  return { dir: final, files: files.map(([name]) => name) };
}
