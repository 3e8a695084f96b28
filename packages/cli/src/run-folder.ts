import * as path from 'node:path';
import { terminalSafe } from '@backtest/core/internal';
import { type ClaimOptions, claimFolder, defaultRunDir, type FolderClaim, releaseClaimedFolders } from '@backtest/report';

/** Where default folders go: `$BACKTEST_RUNS_DIR`, else `<project>/runs`. */
export function runsBase(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.BACKTEST_RUNS_DIR ? path.resolve(env.BACKTEST_RUNS_DIR) : path.join(projectRoot, 'runs');
}

/**
 * Reserves the folder a command will write, before its work starts (so a taken name or an
 * unwritable place is an exit 2 at once, not after the run): `--out` as given, else the first
 * free of `<runs>/<UTC stamp>-<id>`, `-2`, `-3`, ... (two runs in the same second each get their
 * own). The name is claimed by creating `<dir>.partial` exclusively: see @backtest/report's
 * claimFolder.
 */
export function claimRunFolder(id: string, projectRoot: string, out: string | undefined, what = 'run folder', env: NodeJS.ProcessEnv = process.env): FolderClaim {
  if (out) return claimOutputFolder(path.resolve(out), { what });
  return claimOutputFolder(defaultRunDir(id, new Date(), runsBase(projectRoot, env)), { what, numbered: true, hint: 'set --out or BACKTEST_RUNS_DIR' });
}

/**
 * `claimFolder` for a command's output: the signal handlers (guardSignals) are installed first,
 * so that no signal can land between the creation of the partial folder and its guard (the
 * default action would kill the process at once and leave the folder behind).
 */
export function claimOutputFolder(dir: string, options: ClaimOptions): FolderClaim {
  guardSignals();
  return claimFolder(dir, options);
}

const SIGNAL_EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };
let signalsGuarded = false;

/**
 * From the first claim on, SIGINT and SIGTERM remove every unpublished claim's partial folder of
 * this process (only ours: see releaseClaimedFolders) and exit with 130 or 143. Node acts on a
 * signal when its event loop next polls, so one that lands during a synchronous stretch (a
 * training on the main thread, the writing of the folder, the printing of the results) waits
 * for its end; the handlers therefore stay for the rest of the process, and the loop is made to
 * poll once more before the process ends, so that such a signal is acted on instead of being
 * lost (a loop with nothing left to do exits without reading it). They keep nothing alive.
 */
function guardSignals(): void {
  if (signalsGuarded) return;
  signalsGuarded = true;
  const onSignal = (signal: NodeJS.Signals) => {
    const removed = releaseClaimedFolders();
    if (process.stderr.isTTY) process.stderr.write('\x1b[?25h'); // a progress bar hides the cursor
    // Paths come from --out: escaped like every other message (cli.ts guards the rest).
    process.stderr.write(`${terminalSafe(`\nbacktest: interrupted (${signal})${removed.length ? `; removed the unfinished ${removed.join(', ')}` : ''}`)}\n`);
    process.exit(SIGNAL_EXIT[signal] ?? 1);
  };
  for (const signal of Object.keys(SIGNAL_EXIT) as NodeJS.Signals[]) process.on(signal, onSignal);
  // One more turn of the loop (its poll phase reads a pending signal) when it would end.
  process.once('beforeExit', () => setImmediate(() => undefined));
}

/**
 * Resolves after the event loop has polled once more: a signal that arrived during the
 * synchronous work before it has then been acted on (its handler exits the process). Two
 * nested setImmediate: a poll phase always runs between them.
 */
function actOnPendingSignals(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/**
 * Runs `work` while `claim` is held, then (if there is a claim) `save` with it: a signal that
 * landed during the work is acted on before `save` publishes anything (so an interrupted run
 * writes no folder); when `work` or `save` throws, or leaves the claim unpublished, our partial
 * folder is removed; a SIGINT or SIGTERM meanwhile removes it too (see guardSignals). Without a
 * claim (`--no-save`) the work runs as it is, and signals keep their default action.
 */
export async function withClaimedFolder<T, S>(claim: FolderClaim, work: () => Promise<T>, save: (claim: FolderClaim, result: T) => S): Promise<{ result: T; saved: S }>;
export async function withClaimedFolder<T, S>(
  claim: FolderClaim | undefined,
  work: () => Promise<T>,
  save: (claim: FolderClaim, result: T) => S,
): Promise<{ result: T; saved: S | undefined }>;
export async function withClaimedFolder<T, S>(
  claim: FolderClaim | undefined,
  work: () => Promise<T>,
  save: (claim: FolderClaim, result: T) => S,
): Promise<{ result: T; saved: S | undefined }> {
  if (!claim) return { result: await work(), saved: undefined };
  guardSignals(); // installed by claimOutputFolder already; for a claim made otherwise
  try {
    const result = await work();
    await actOnPendingSignals();
    return { result, saved: save(claim, result) };
  } finally {
    claim.release(); // a no-op once published
  }
}
