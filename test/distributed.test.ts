/**
 * Sweeps beyond one process (docs/distributed.md): a compare grid on `backtest worker`s over a
 * Redis of the test's own, and in shards merged by `backtest merge`, each equal byte for byte
 * to the compare run in one process; a worker killed mid-sweep changes nothing; a worker of
 * another code version refuses the jobs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { backtest } from './helpers';
import { backtestAsync, childPids, describeWithRedis, ended, freePort, type RedisServer, startRedis, startWorker, type WorkerProcess } from './redis';

/** A grid of 6 network configurations (and sma), each a few seconds of walks: enough jobs for three workers. */
const SWEEP = [
  'compare',
  '--grid',
  'nn-sma:hidden=3|6|12;epochs=30|60;refit=3',
  '--strategies',
  'sma',
  '--from',
  '1980-01',
  '--to',
  '2005-12',
  '--test-start',
  '1990-01',
  '--samples',
  '300',
];

let local: string;
beforeAll(() => {
  const r = backtest([...SWEEP, '--json', '--no-save'], { timeout: 120_000 });
  if (r.code !== 0) throw new Error(`the local compare failed: ${r.stderr}`);
  local = r.stdout;
}, 120_000);

describe('shards (compare --shard i/N, backtest merge)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bt-shards-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('merges shards 1/2 and 2/2 into the local run, document and folder', () => {
    for (const i of [1, 2]) {
      const r = backtest([...SWEEP, '--shard', `${i}/2`, '--out', join(dir, `s${i}`)], { timeout: 120_000 });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^shard ${i}/2 of sweep [0-9a-f]{12}: [0-9]+ jobs`));
    }
    const merged = backtest(['merge', join(dir, 's1'), join(dir, 's2'), '--json', '--out', join(dir, 'merged')]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(local);
    // The folder too: every file the local compare writes, the same but for the time it was made.
    expect(backtest([...SWEEP, '--out', join(dir, 'local')], { timeout: 120_000 }).code).toBe(0);
    const files = (d: string) =>
      readdirSync(d, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => relative(d, join(e.parentPath, e.name)))
        .sort();
    const text = (f: string) =>
      readFileSync(f, 'utf8')
        .replace(/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z/g, 'TIME')
        .replaceAll(dir, 'DIR');
    expect(files(join(dir, 'merged'))).toEqual(files(join(dir, 'local')));
    for (const f of files(join(dir, 'local'))) expect(text(join(dir, 'merged', f))).toBe(text(join(dir, 'local', f)));
    // The shards split the jobs: neither holds them all.
    const jobs = (i: number) => Number(/: ([0-9]+) jobs/.exec(backtest([...SWEEP, '--shard', `${i}/2`, '--out', join(dir, `again${i}`)]).stdout)![1]);
    expect(jobs(1)).toBeGreaterThan(0);
    expect(jobs(2)).toBeGreaterThan(0);
  }, 240_000);

  it('exits 2 naming a missing shard, a shard given twice, or a shard of another sweep, and writes nothing', () => {
    const out = join(dir, 'never');
    const missing = backtest(['merge', join(dir, 's1'), '--out', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/merge: the sweep has 2 shards; missing: 2\/2/);
    const twice = backtest(['merge', join(dir, 's1'), join(dir, 's1'), '--out', out]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/merge: shard 1\/2 is given twice/);
    const other = backtest([...SWEEP, '--seed', '7', '--shard', '2/2', '--out', join(dir, 'other2')], { timeout: 120_000 });
    expect(other.code).toBe(0);
    const mixed = backtest(['merge', join(dir, 's1'), join(dir, 'other2'), '--out', out]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/is shard 2\/2 of sweep [0-9a-f]{12}, but .* is of sweep [0-9a-f]{12}: shards of one sweep only/);
    expect(backtest(['merge', join(dir, 'nowhere'), '--out', out]).stderr).toMatch(/shard\.json: no such file/);
    expect(() => rmSync(out)).toThrow(/ENOENT/);
  }, 240_000);
});

describeWithRedis('a sweep on a queue (compare --queue, backtest worker)', () => {
  let redis: RedisServer;
  let workers: WorkerProcess[] = [];
  beforeEach(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
    await redis?.stop();
  });

  it('on three workers equals the local run; with one killed mid-sweep (SIGKILL) it still completes and equals it', async () => {
    workers = await Promise.all([0, 1, 2].map(() => startWorker(redis.url)));
    const first = await backtestAsync([...SWEEP, '--queue', redis.url, '--json', '--no-save']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(local);
    // Each worker took some of the jobs.
    expect(workers.filter((w) => w.out.all.some((l) => / done$/.test(l))).length).toBeGreaterThan(1);

    // Again with another seed (other jobs), killing one worker as soon as it has started one: a
    // network's walk, which runs for a good part of a second after the job is marked active (the
    // grid without sma, whose walk may end sooner than a signal arrives).
    const seeded = [...SWEEP.map((a) => (a === 'sma' ? '' : a)), '--seed', '9', '--json', '--no-save'];
    const expected = backtest(seeded, { timeout: 120_000 }).stdout;
    const victim = workers[0]!;
    const before = victim.out.all.length;
    const sweep = backtestAsync([...seeded, '--queue', redis.url]);
    const started = await victim.out.next(/^worker: job ([0-9a-f]{12}) .* started$/, before);
    // Its sandboxed children, running the job: they must not outlive it.
    const orphans = childPids(victim.child.pid!);
    expect(orphans.length).toBeGreaterThan(0);
    victim.child.kill('SIGKILL');
    await victim.exited();
    const job = /job ([0-9a-f]{12})/.exec(started)![1]!;
    const r = await sweep;
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(expected);
    // The killed worker's job was not finished by it, and another worker ran it.
    expect(victim.out.all.some((l) => l.includes(job) && l.endsWith(' done'))).toBe(false);
    expect(workers.slice(1).some((w) => w.out.all.some((l) => l.includes(job) && l.endsWith(' done')))).toBe(true);
    // Left without their worker, its children exit (they once spun on, at full CPU, for good).
    await Promise.all(orphans.map(ended));
  }, 300_000);

  it('a worker of another code version refuses the jobs, and the sweep fails with its message (exit 2); run again on the right build, it completes', async () => {
    workers = [await startWorker(redis.url, { BACKTEST_CODE_VERSION: 'another-build' })];
    const r = await backtestAsync([...SWEEP, '--queue', redis.url, '--json', '--no-save']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /failed on a worker: job [0-9a-f]{12} of sweep [0-9a-f]{12} was made by code version .*, this process runs another-build: run the same build everywhere/,
    );
    // With the old worker stopped and one of this build started, the same sweep runs its failed jobs again.
    await workers[0]!.stop();
    workers = [await startWorker(redis.url)];
    const again = await backtestAsync([...SWEEP, '--queue', redis.url, '--json', '--no-save']);
    expect(again.stderr).toBe('');
    expect(again.stdout).toBe(local);
  }, 180_000);

  it('refuses a queue that is not a Redis URL, or a Redis that does not answer, with exit 2', async () => {
    const bad = backtest([...SWEEP, '--queue', 'http://example.com', '--no-save']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--queue must be a redis:\/\/ \(or rediss:\/\/\) URL, got "http:\/\/example.com"/);
    const nobody = `redis://127.0.0.1:${await freePort()}`;
    const unreachable = backtest([...SWEEP, '--queue', nobody, '--no-save']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/cannot reach Redis at redis:\/\/127\.0\.0\.1:[0-9]+: ECONNREFUSED/);
    const worker = backtest(['worker', '--queue', nobody]);
    expect(worker.code).toBe(2);
    expect(worker.stderr).toMatch(/cannot reach Redis/);
    expect(backtest(['worker', '--queue', redis.url, '--concurrency', '0']).stderr).toMatch(/--concurrency must be an integer from 1 to 64, got 0/);
    const both = backtest([...SWEEP, '--queue', redis.url, '--shard', '1/2']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--shard and --queue are two ways to spread a sweep: use one/);
  }, 60_000);
});
