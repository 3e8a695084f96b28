/**
 * A Redis of the tests' own (Debian's redis-server) on a free loopback port, for the sweeps on a
 * queue, and `backtest worker` processes. Without redis-server on the PATH the tests that need
 * it skip, saying why; BACKTEST_REQUIRE_REDIS=1 (set by .ci/run, which installs it) makes them
 * fail instead, so that CI can never skip them silently.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { bin, root, runsDir } from './helpers';

const haveRedis = spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).status === 0;
const required = process.env.BACKTEST_REQUIRE_REDIS === '1';
if (!haveRedis && !required) console.warn('redis-server is not installed: the tests of sweeps on a queue are skipped (apt-get install redis-server; .ci/run does)');
export const describeWithRedis: jest.Describe = haveRedis || required ? describe : describe.skip;

/** A loopback port nothing listens on (now). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Lines a child process prints, and a promise for the first one matching a pattern (resolved on the line, not on a clock). */
class Lines {
  readonly all: string[] = [];
  readonly #waiting: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  #rest = '';

  constructor(stream: NodeJS.ReadableStream) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (this.#rest + chunk).split('\n');
      this.#rest = parts.pop()!;
      for (const line of parts) this.#line(line);
    });
  }

  #line(line: string): void {
    this.all.push(line);
    for (const w of [...this.#waiting]) {
      if (w.pattern.test(line)) {
        this.#waiting.splice(this.#waiting.indexOf(w), 1);
        w.resolve(line);
      }
    }
  }

  /** The first line from line `from` on (0: any line so far) that matches, now or when it comes. */
  next(pattern: RegExp, from = 0): Promise<string> {
    const seen = this.all.slice(from).find((l) => pattern.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiting.push({ pattern, resolve }));
  }
}

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));

export interface RedisServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts redis-server (no persistence, noeviction as BullMQ requires) and resolves once it accepts connections. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = new Lines(child.stdout!);
  await Promise.race([
    out.next(/Ready to accept connections/),
    exited(child).then((code) => {
      throw new Error(`redis-server exited (${code}) before accepting connections:\n${out.all.join('\n')}`);
    }),
  ]);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly out: Lines;
  /** SIGTERM, and the exit code once it has stopped. */
  stop(): Promise<number | null>;
  exited(): Promise<number | null>;
}

/** `backtest worker --queue url`, resolved once it takes jobs. */
export async function startWorker(url: string, env: NodeJS.ProcessEnv = {}, args: string[] = []): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [bin, 'worker', '--queue', url, ...args], {
    cwd: root,
    env: { ...process.env, BACKTEST_RUNS_DIR: runsDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = new Lines(child.stdout!);
  const err = new Lines(child.stderr!);
  await Promise.race([
    out.next(/^worker: taking jobs from/),
    exited(child).then((code) => {
      throw new Error(`backtest worker exited (${code}):\n${err.all.join('\n')}`);
    }),
  ]);
  return {
    child,
    out,
    exited: () => exited(child),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited(child);
    },
  };
}

/** A command run in the background (the test stays free to act on workers meanwhile). */
export function backtestAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, BACKTEST_RUNS_DIR: runsDir, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** The state letter and parent pid of process `pid` (from /proc), or undefined once it is gone. */
function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    // After the command's closing parenthesis: state, then ppid.
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, ppid] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: state!, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** The pids of the living children of `pid` (Linux /proc). */
export function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((p) => {
      const st = procStat(p);
      return st !== undefined && st.ppid === pid && st.state !== 'Z';
    });
}

/** Resolves once process `pid` has ended (gone, or a zombie nobody reaped yet); polled, bounded only by the test's timeout. */
export async function ended(pid: number): Promise<void> {
  for (;;) {
    const st = procStat(pid);
    if (st === undefined || st.state === 'Z') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
