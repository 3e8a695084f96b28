/**
 * The one folder writer: run folders, compare folders and study folders are all written here,
 * every file in them through @backtest/core's `writeFileAtomic` (re-exported below).
 *
 * A folder is written in two steps, so that a command can reserve its folder before a long run
 * and fill it after:
 *
 *   const claim = claimFolder(dir, { what: 'run folder' });   // before the work
 *   ...                                                         // the work
 *   claim.publish(files);                                       // after it
 *   claim.release();                                            // on failure, or a signal
 *
 * (`writeFolderAtomically(dir, files)` does both at once.) Guarantees:
 *
 * - A folder without the `.partial` suffix is complete: files go into `<dir>.partial`, which is
 *   renamed to `<dir>` only once every file is in place. An interrupted or failed write leaves
 *   at most a `.partial` folder, which nothing reads as a result.
 * - Claiming creates `<dir>.partial` exclusively (mkdir of the last component, never
 *   recursive): if it exists, someone else owns it, and the claim fails with a UserError (exit 2)
 *   that names it. Parents are created as needed, so an unwritable place, a file where a
 *   directory should be, or a read-only file system fails at the claim, before any work.
 * - A claimed folder is marked as ours: `<dir>.partial/.backtest-partial` holds our pid and a
 *   random token, and we remember the folder's inode. Before writing, publishing or removing,
 *   the folder is checked to be a directory (not a link) with that inode and that very marker
 *   (read without following a link; the token is the proof, as a directory made after ours was
 *   removed may get our inode number back). A
 *   `.partial` folder without our marker is never written into, renamed or removed: it is
 *   left alone, and the message says it exists. The marker is removed just before the rename.
 * - Default names are chosen atomically (`numbered`): `<dir>`, `<dir>-2`, `<dir>-3`, ... are
 *   tried in turn, and a name is ours once its `.partial` was created by us and no `<dir>`
 *   exists after that (so a run that published the name meanwhile is seen), never by an
 *   existence check alone. Two writers can never get the same name.
 * - The final rename never replaces a folder that appeared at the final name meanwhile: the
 *   name is checked just before the rename, and rename(2) itself refuses a non-empty directory
 *   (ENOTEMPTY or EEXIST) or a file (ENOTDIR); that is a UserError naming the folder, and our
 *   `.partial` is removed. The window that remains: an EMPTY directory created at the final
 *   name between that check and the rename (two system calls apart) is replaced by ours, as
 *   rename(2) replaces empty directories and Node has no renameat2(RENAME_NOREPLACE). Nothing
 *   is lost with it (it was empty), and no half-written folder results.
 * - Inside the folder, names are created by us; a file planted there by another process of the
 *   same user (the only one who can write into it) is replaced, never written through
 *   (see writeFileAtomic). Checks and the operations they guard are separate system calls, so
 *   a same-user process that swaps our folder between the two is not defended against.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, renameSync, rmdirSync, rmSync, type Stats, unlinkSync, writeFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { UserError } from '@backtest/core';
import { makeDirectory, pathExists, writeFileAtomic } from '@backtest/core/internal';

// One file written atomically: the helper lives in @backtest/core (the data and models packages
// write with it too) and is re-exported here for the folders' writers.
export { writeFileAtomic };

/** A folder still being written carries this suffix; only a complete one has its final name. */
export const PARTIAL_SUFFIX = '.partial';

/** The file inside a `.partial` folder that says which process is writing it. */
export const PARTIAL_MARKER = '.backtest-partial';

/** How many numbered names (`<dir>-2`, ...) a default name tries before giving up. */
const MAX_NUMBERED = 1000;

export interface ClaimOptions {
  /** What the folder is, in messages ("run folder", "study folder"); default "folder". */
  readonly what?: string;
  /** A default name: when `<dir>` is taken, try `<dir>-2`, `<dir>-3`, ... instead of failing. */
  readonly numbered?: boolean;
  /** What to tell the user when the name is taken (default "choose another --out or remove it"). */
  readonly hint?: string;
}

export interface WrittenFolder {
  /** The complete folder (absolute path). */
  readonly dir: string;
  /** The file names written in it, in the order written. */
  readonly files: string[];
}

export type FolderFiles = readonly (readonly [string, string | Uint8Array])[];

/** A folder reserved by `claimFolder`: its `.partial` exists and is ours until published or released. */
export interface FolderClaim {
  /** The final folder (absolute path), which does not exist until `publish`. */
  readonly dir: string;
  /** `<dir>.partial`, ours while the claim is held. */
  readonly partial: string;
  readonly what: string;
  readonly state: 'claimed' | 'published' | 'released';
  /**
   * Writes `files` (paths relative to the folder, subfolders allowed) into the partial folder
   * and renames it to `dir`. On any failure our partial folder is removed and the error thrown
   * (a UserError naming the folder when the name was taken meanwhile or the place refused it).
   */
  publish(files: FolderFiles): WrittenFolder;
  /**
   * Removes the partial folder if the claim is still held and the folder is still ours (our
   * inode, our marker); anything else is left alone. Idempotent; returns whether it removed it.
   */
  release(): boolean;
}

/** Claims not yet published or released, for `releaseClaimedFolders` (a signal handler's). */
const live = new Set<Claim>();

const code = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

class Claim implements FolderClaim {
  state: 'claimed' | 'published' | 'released' = 'claimed';
  readonly marker: string;
  readonly markerText: string;
  private markerRemoved = false;
  private readonly dev: number;
  private readonly ino: number;

  constructor(
    readonly dir: string,
    readonly partial: string,
    readonly what: string,
    made: Stats,
  ) {
    this.dev = made.dev;
    this.ino = made.ino;
    this.marker = nodePath.join(partial, PARTIAL_MARKER);
    this.markerText = `${JSON.stringify({ pid: process.pid, token: randomBytes(16).toString('hex'), what, dir, started: new Date().toISOString() })}\n`;
  }

  /** Whether `partial` is still the directory we made, with our marker in it. */
  owns(): boolean {
    let st: Stats;
    try {
      st = lstatSync(this.partial);
    } catch {
      return false;
    }
    if (!st.isDirectory() || st.dev !== this.dev || st.ino !== this.ino) return false;
    return this.markerRemoved || readMarker(this.marker) === this.markerText;
  }

  publish(files: FolderFiles): WrittenFolder {
    if (this.state !== 'claimed') throw new Error(`${this.what} ${this.dir}: cannot publish a claim already ${this.state}`);
    const names = files.map(([name]) => name);
    try {
      this.assertOwned();
      for (const [name, content] of files) {
        const file = this.inside(name);
        const sub = nodePath.dirname(file);
        if (sub !== this.partial) makeDirectory(sub);
        writeFileAtomic(file, content);
      }
      this.assertOwned();
      unlinkSync(this.marker);
      this.markerRemoved = true;
      // The final name must still be free: rename(2) would replace an empty directory.
      if (pathExists(this.dir)) throw this.taken();
      try {
        renameSync(this.partial, this.dir);
      } catch (e) {
        if (['ENOTEMPTY', 'EEXIST', 'ENOTDIR', 'EISDIR'].includes(code(e) ?? '')) throw this.taken();
        throw e;
      }
    } catch (e) {
      this.release();
      throw placeError(e, this.what, this.dir);
    }
    this.state = 'published';
    live.delete(this);
    return { dir: this.dir, files: names };
  }

  release(): boolean {
    if (this.state !== 'claimed') return false;
    this.state = 'released';
    live.delete(this);
    if (!this.owns()) return false;
    rmSync(this.partial, { recursive: true, force: true });
    return true;
  }

  private assertOwned(): void {
    if (!this.owns()) {
      throw new UserError(
        `${this.what} ${this.partial} is no longer the one this run created (it was removed or replaced while the run was working); nothing was published, and it was left alone`,
      );
    }
  }

  private taken(): UserError {
    return new UserError(`${this.what} ${this.dir} appeared while this run was writing it (another run took the name); it was left alone, and this run's files were removed`);
  }

  /** `name`'s path in the partial folder; a name that would leave it, or the marker's, is a bug. */
  private inside(name: string): string {
    const file = nodePath.resolve(this.partial, name);
    const rel = nodePath.relative(this.partial, file);
    if (rel === '' || rel.startsWith('..') || nodePath.isAbsolute(rel) || rel === PARTIAL_MARKER) {
      throw new Error(`${this.what}: file name ${JSON.stringify(name)} is not a name inside the folder`);
    }
    return file;
  }
}

/** The text of a marker file, read without following a link (undefined when unreadable). */
function readMarker(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Who a `.partial` folder that is not ours belongs to, as far as its marker says. */
function partialOwner(partial: string): string {
  const text = readMarker(nodePath.join(partial, PARTIAL_MARKER));
  if (text === undefined) return 'it has no marker of a backtest run, so this tool did not create it';
  let pid: unknown;
  try {
    pid = (JSON.parse(text) as { pid?: unknown }).pid;
  } catch {
    return 'its marker is unreadable';
  }
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return 'its marker names no process';
  try {
    process.kill(pid, 0);
    return `its marker names process ${pid}, which is running: another run may be writing it`;
  } catch (e) {
    return code(e) === 'EPERM'
      ? `its marker names process ${pid}, which is running: another run may be writing it`
      : `its marker names process ${pid}, which is no longer running: an interrupted run left it`;
  }
}

/** The first existing component of `dir` going up, if it is not a directory. */
function fileInTheWay(dir: string): string | undefined {
  for (let d = dir; ; d = nodePath.dirname(d)) {
    try {
      const st = lstatSync(d);
      return st.isDirectory() || st.isSymbolicLink() ? undefined : d;
    } catch (e) {
      if (code(e) !== 'ENOENT' && code(e) !== 'ENOTDIR') return undefined;
    }
    if (nodePath.dirname(d) === d) return undefined;
  }
}

/** Errors of the place (not of the data) as a UserError naming the folder; others unchanged. */
function placeError(e: unknown, what: string, dir: string): unknown {
  if (e instanceof UserError || (e as Partial<UserError> | undefined)?.exitCode === 2) return e;
  const c = code(e);
  const parent = nodePath.dirname(dir);
  const reason = (e as Error).message;
  switch (c) {
    case 'ENOTDIR': {
      const file = fileInTheWay(parent);
      return new UserError(`cannot create ${what} ${dir}: ${file ?? parent} is not a directory`);
    }
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new UserError(`cannot create ${what} ${dir}: ${parent} is not writable (${reason})`);
    case 'ENOENT':
    case 'ENAMETOOLONG':
    case 'ELOOP':
    case 'EINVAL':
      return new UserError(`cannot create ${what} ${dir}: the file system refused it (${reason})`);
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EIO':
      return Object.assign(new Error(`cannot write ${what} ${dir}: ${reason}`), { code: c });
    default:
      return e;
  }
}

/**
 * Reserves the new folder `dir` (or, with `numbered`, the first free of `dir`, `dir-2`, ...):
 * creates its parents and `<dir>.partial` exclusively, with our marker in it. Throws a
 * UserError (exit 2) naming the folder when the name is taken (`dir` exists, or a `.partial`
 * that is not ours: left alone), or when the place cannot hold it (a file in the path, no
 * write permission, a read-only file system). See the module's comment for the guarantees.
 */
export function claimFolder(dir: string, options: ClaimOptions = {}): FolderClaim {
  const what = options.what ?? 'folder';
  const hint = options.hint ?? 'choose another --out or remove it';
  const base = nodePath.resolve(dir);
  if (base.endsWith(PARTIAL_SUFFIX)) throw new UserError(`${what} name must not end with ${PARTIAL_SUFFIX}: ${dir}`);
  const parent = nodePath.dirname(base);
  try {
    makeDirectory(parent);
  } catch (e) {
    throw placeError(e, what, base);
  }
  const attempts = options.numbered ? MAX_NUMBERED : 1;
  for (let n = 1; n <= attempts; n++) {
    const final = n === 1 ? base : `${base}-${n}`;
    const exists = () => new UserError(`${what} ${final} already exists; ${hint}`);
    let taken: boolean;
    try {
      taken = pathExists(final);
    } catch (e) {
      throw placeError(e, what, final);
    }
    if (taken) {
      if (options.numbered) continue;
      throw exists();
    }
    const partial = final + PARTIAL_SUFFIX;
    try {
      mkdirSync(partial); // never recursive: EEXIST means someone else owns it
    } catch (e) {
      if (code(e) !== 'EEXIST') throw placeError(e, what, final);
      if (options.numbered) continue;
      throw new UserError(`${what} ${partial} already exists and is not this run's (${partialOwner(partial)}); it was left alone: remove it, or choose another --out`);
    }
    const claim = new Claim(final, partial, what, lstatSync(partial));
    try {
      writeFileSync(claim.marker, claim.markerText, { flag: 'wx' });
    } catch (e) {
      try {
        rmdirSync(partial); // empty unless someone wrote into it: then it stays
      } catch {
        // left alone
      }
      throw placeError(e, what, final);
    }
    live.add(claim);
    // A run that published `final` after our existence check: the name is not ours after all.
    if (pathExists(final)) {
      claim.release();
      if (options.numbered) continue;
      throw exists();
    }
    return claim;
  }
  throw new UserError(`${what}: ${base} and the ${MAX_NUMBERED - 1} numbered names after it are all taken; ${hint}`);
}

/**
 * Releases every claim of this process not yet published (a signal handler's clean-up): each
 * partial folder that is still ours is removed, any other left alone. Returns the removed ones.
 */
export function releaseClaimedFolders(): string[] {
  const removed: string[] = [];
  for (const claim of [...live]) if (claim.release()) removed.push(claim.partial);
  return removed;
}

/** A claim, or a folder name to claim now (`what` names it in messages). */
export function asClaim(target: string | FolderClaim, what: string): FolderClaim {
  return typeof target === 'string' ? claimFolder(target, { what }) : target;
}

/**
 * Writes `files` (paths relative to the folder, subfolders allowed) into the new folder `dir`
 * atomically: claims it and publishes it at once (see `claimFolder` and `FolderClaim.publish`).
 * An existing `dir`, or a `.partial` of it that is not ours, is refused and left alone; a
 * failure removes what it wrote. `what` names the folder in messages ("run folder").
 */
export function writeFolderAtomically(dir: string | FolderClaim, files: FolderFiles, what = 'folder'): WrittenFolder {
  return asClaim(dir, what).publish(files);
}
