/**
 * The project's one writer of files that must never be seen half-written (run folders, study
 * folders, saved models, fetched datasets, rebuilt reports). Every package writes through
 * `writeFileAtomic`; nothing else in the project renames a temporary file into place.
 *
 * Guarantees of `writeFileAtomic(path, data)`:
 * - A reader of `path` sees its old content or the new one, never a prefix: the data goes to a
 *   temporary file in the same directory (one file system), which is renamed over `path`
 *   (rename(2) is atomic on POSIX).
 * - The temporary name is unpredictable, `.<name>.<32 random hex digits>.tmp` (crypto random, no
 *   pid, no clock), and the file is created exclusively: O_CREAT|O_EXCL|O_NOFOLLOW, which fails
 *   on anything already at that name, a symlink included (dangling or not), instead of opening
 *   through it. On such a collision another random name is drawn; a link planted there is left
 *   as it is, and its target is never opened.
 * - A symlink at `path` itself is never followed: the rename replaces the link (not its
 *   target) with the new file. A directory at `path` makes the write fail.
 * - On any failure the temporary file is removed and `path` keeps its old content.
 *
 * Not guaranteed: durability across a power loss (no fsync: the guarantees are against an
 * interrupted or killed process, and other writers); and the directories above `path` are
 * trusted: the writer protects the last component, so a directory in the path that is a link is
 * followed as any path would be. Folders that must not be tampered with are created by their
 * writer exclusively (see @backtest/report's claimFolder).
 *
 * `makeDirectory(dir)` is `mkdir -p` without Node 20's recursive mkdir, which never returns on a
 * path under /proc (it retries a parent that exists but refuses children, forever); it fails
 * with ENOTDIR when a component is a file, and with the system's own error otherwise.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, lstatSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** O_WRONLY|O_CREAT|O_EXCL, and O_NOFOLLOW where the platform has it (the 'wx' flag, and no link followed). */
const EXCLUSIVE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/** How many random names to try before giving up (a collision of 128 random bits means someone planted them all). */
const NAME_ATTEMPTS = 8;

/** The temporary name of a write to `path`: hidden, in the same directory, 128 random bits. */
export function temporaryName(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(16).toString('hex')}.tmp`);
}

/** Creates a new temporary file beside `path`, exclusively; returns its name and descriptor. */
function createTemporary(path: string, mode: number): { temp: string; fd: number } {
  let last: unknown;
  for (let attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
    const temp = temporaryName(path);
    try {
      return { temp, fd: openSync(temp, EXCLUSIVE, mode) };
    } catch (e) {
      // EEXIST: something is at that name already (a planted link, say). ELOOP: O_NOFOLLOW met a link. Draw again.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ELOOP') throw e;
      last = e;
    }
  }
  throw last;
}

export interface WriteFileAtomicOptions {
  /** Permission bits of the new file, before the umask (default 0o666, as writeFileSync). */
  readonly mode?: number;
}

/**
 * Writes `path` so that it either has its old content or the new one, never a prefix, through
 * an exclusively created temporary file of unpredictable name (see the module's comment).
 * The directory must exist (`makeDirectory`).
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, options: WriteFileAtomicOptions = {}): void {
  const { temp, fd } = createTemporary(path, options.mode ?? 0o666);
  let open = true;
  try {
    writeFileSync(fd, data);
    closeSync(fd);
    open = false;
    renameSync(temp, path);
  } catch (e) {
    if (open) closeSync(fd);
    // Our own file (created exclusively); unlink removes a name, never a link's target.
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw e;
  }
}

/** An error like the system's, for a component of a path that is not a directory. */
function notADirectory(path: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(`ENOTDIR: not a directory, mkdir '${path}'`);
  e.code = 'ENOTDIR';
  e.syscall = 'mkdir';
  e.path = path;
  return e;
}

/**
 * `mkdir -p dir`: creates `dir` and its missing parents, one component at a time (never Node's
 * recursive mkdir: see the module's comment). An existing directory (or a link to one) is fine;
 * a file in the way is ENOTDIR; any other refusal (EACCES, EROFS, ENOENT under /proc) is thrown
 * as the system gives it.
 */
export function makeDirectory(dir: string): void {
  const abs = resolve(dir);
  try {
    if (statSync(abs).isDirectory()) return;
    throw notADirectory(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const parent = dirname(abs);
  if (parent !== abs) makeDirectory(parent);
  try {
    mkdirSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // Someone else made it meanwhile: fine if it is a directory.
    if (!statSync(abs).isDirectory()) throw notADirectory(abs);
  }
}

/** Whether anything (a file, a directory, a link, dangling or not) is at `path`. */
export function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}
