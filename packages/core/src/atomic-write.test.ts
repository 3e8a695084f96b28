import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeDirectory, pathExists, temporaryName, writeFileAtomic } from './atomic-write';

let tmp: string;
let outside: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-write-'));
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-outside-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

/** The module object itself (an `import * as` namespace has read-only bindings), for spies. */
const fsModule = require('node:fs') as typeof fs;

/** A file outside the folder that a planted link points at, and its content. */
function victim(name = 'victim.txt'): { file: string; check: () => void } {
  const file = path.join(outside, name);
  fs.writeFileSync(file, 'precious');
  return { file, check: () => expect(fs.readFileSync(file, 'utf8')).toBe('precious') };
}

describe('writeFileAtomic', () => {
  it('writes new content and replaces old content, leaving no temporary file', () => {
    const file = path.join(tmp, 'a.txt');
    writeFileAtomic(file, 'one');
    expect(fs.readFileSync(file, 'utf8')).toBe('one');
    writeFileAtomic(file, Uint8Array.from([0, 1, 2]));
    expect(Array.from(fs.readFileSync(file))).toEqual([0, 1, 2]);
    expect(fs.readdirSync(tmp)).toEqual(['a.txt']);
  });

  it('temporary names are hidden, beside the file, random (no pid, no clock) and never repeat', () => {
    const file = path.join(tmp, 'report.html');
    const names = new Set(Array.from({ length: 50 }, () => temporaryName(file)));
    expect(names.size).toBe(50);
    const pid = String(process.pid);
    for (const n of names) {
      expect(path.dirname(n)).toBe(tmp);
      expect(path.basename(n)).toMatch(/^\.report\.html\.[0-9a-f]{32}\.tmp$/);
      expect(path.basename(n).split('.')).not.toContain(pid);
    }
    // A random 32-digit hex name holds the pid's digits somewhere now and then (about one name in
    // a thousand for a 4-digit pid): a name made from the pid would hold them in every name.
    expect([...names].filter((n) => path.basename(n).includes(pid)).length).toBeLessThan(names.size / 2);
  });

  it('a symlink at the final name is replaced by the file, its target untouched', () => {
    const v = victim();
    const file = path.join(tmp, 'summary.json');
    fs.symlinkSync(v.file, file);
    writeFileAtomic(file, '{"new": true}');
    v.check();
    expect(fs.lstatSync(file).isSymbolicLink()).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"new": true}');
  });

  // A regression check only: the names are the old writers', which the random-name writer never
  // draws, so it fails only if a writer goes back to a pid or clock name. What protects the
  // temporary file is its exclusive open, checked by the tests below.
  it("regression: the old writers' predictable temporary names (pid, clock) are not used, so links planted there keep their targets", () => {
    const v = victim();
    const file = path.join(tmp, 'returns.csv');
    const now = Date.now();
    // core's old `${path}.tmp-${pid}`, models' old `.${name}.${pid}.${Date.now()}.tmp`, predictions' and the bin's.
    const predictable = [
      `${file}.tmp-${process.pid}`,
      `${file}.${process.pid}.tmp`,
      ...Array.from({ length: 50 }, (_, i) => path.join(tmp, `.returns.csv.${process.pid}.${now + i}.tmp`)),
    ];
    for (const p of predictable) fs.symlinkSync(v.file, p);
    writeFileAtomic(file, 'month\n');
    v.check();
    expect(fs.readFileSync(file, 'utf8')).toBe('month\n');
    // The planted links are not ours: left as they are.
    for (const p of predictable) expect(fs.readlinkSync(p)).toBe(v.file);
  });

  it('a link planted at the very temporary name just before it is opened is not opened through: another name is drawn', () => {
    const v = victim();
    const dangling = path.join(outside, 'would-be-created');
    const file = path.join(tmp, 'positions.csv');
    const real = fsModule.openSync;
    const opened: string[] = [];
    const flagsSeen: number[] = [];
    jest.spyOn(fsModule, 'openSync').mockImplementation(((p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
      opened.push(String(p));
      flagsSeen.push(Number(flags));
      // The first two names get a link planted between the choice of the name and the open:
      // one to an existing file, one dangling (O_CREAT alone would create its target).
      if (opened.length === 1) fs.symlinkSync(v.file, String(p));
      if (opened.length === 2) fs.symlinkSync(dangling, String(p));
      return real(p, flags as fs.OpenMode, mode);
    }) as typeof fs.openSync);
    writeFileAtomic(file, 'date,close\n');
    expect(opened).toHaveLength(3);
    expect(new Set(opened).size).toBe(3);
    v.check();
    expect(fs.existsSync(dangling)).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toBe('date,close\n');
    expect(fs.readlinkSync(opened[0]!)).toBe(v.file);
    // Every open creates exclusively and follows no link (either flag alone stops a symlink on Linux: both are asked for).
    const { O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
    const required = O_CREAT | O_EXCL | (O_NOFOLLOW ?? 0);
    expect(flagsSeen.map((f) => f & required)).toEqual([required, required, required]);
  });

  it('a hard link to a file elsewhere planted at the very temporary name is not written into: only O_EXCL stops it', () => {
    // O_NOFOLLOW does not see a hard link (it is a plain name of the same file): opened without
    // O_EXCL, the victim itself would be written and then renamed into the folder.
    const v = victim();
    const file = path.join(tmp, 'summary.json');
    const real = fsModule.openSync;
    const opened: string[] = [];
    jest.spyOn(fsModule, 'openSync').mockImplementation(((p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
      opened.push(String(p));
      if (opened.length === 1) fs.linkSync(v.file, String(p)); // same file system: both folders are in os.tmpdir()
      return real(p, flags as fs.OpenMode, mode);
    }) as typeof fs.openSync);
    writeFileAtomic(file, '{"new": true}');
    expect(opened).toHaveLength(2);
    v.check();
    expect(fs.statSync(v.file).nlink).toBe(2); // the planted name is left as it is
    expect(fs.statSync(file).ino).not.toBe(fs.statSync(v.file).ino);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"new": true}');
  });

  it('gives up, writing nothing through a link, when every name drawn is taken', () => {
    const v = victim();
    const file = path.join(tmp, 'x.csv');
    const real = fsModule.openSync;
    jest.spyOn(fsModule, 'openSync').mockImplementation(((p: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
      fs.symlinkSync(v.file, String(p));
      return real(p, flags as fs.OpenMode, mode);
    }) as typeof fs.openSync);
    expect(() => writeFileAtomic(file, 'x')).toThrow(/EEXIST|ELOOP/);
    v.check();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('a failed rename removes the temporary file and keeps the old content', () => {
    const file = path.join(tmp, 'kept.txt');
    writeFileAtomic(file, 'old');
    jest.spyOn(fsModule, 'renameSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device (simulated)'), { code: 'ENOSPC' });
    });
    expect(() => writeFileAtomic(file, 'new')).toThrow('ENOSPC');
    expect(fs.readFileSync(file, 'utf8')).toBe('old');
    expect(fs.readdirSync(tmp)).toEqual(['kept.txt']);
  });

  it('refuses to write over a directory', () => {
    const dir = path.join(tmp, 'd');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'inner'), 'x');
    expect(() => writeFileAtomic(dir, 'x')).toThrow();
    expect(fs.readdirSync(tmp)).toEqual(['d']);
  });
});

describe('makeDirectory', () => {
  it('creates missing parents, accepts an existing directory, and refuses a file in the way', () => {
    const deep = path.join(tmp, 'a', 'b', 'c');
    makeDirectory(deep);
    expect(fs.statSync(deep).isDirectory()).toBe(true);
    makeDirectory(deep);
    fs.writeFileSync(path.join(tmp, 'file'), 'x');
    expect(() => makeDirectory(path.join(tmp, 'file', 'sub'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
    expect(() => makeDirectory(path.join(tmp, 'file'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  // Node 20's mkdirSync(..., { recursive: true }) never returns for such a path; ours fails at once.
  it('fails under /proc instead of retrying for ever (linux)', () => {
    expect(() => makeDirectory(`/proc/backtest-no-such-dir-${process.pid}/x`)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('pathExists', () => {
  it('sees files, directories and dangling links', () => {
    fs.symlinkSync(path.join(outside, 'nothing'), path.join(tmp, 'dangling'));
    expect(pathExists(path.join(tmp, 'dangling'))).toBe(true);
    expect(pathExists(tmp)).toBe(true);
    expect(pathExists(path.join(tmp, 'none'))).toBe(false);
  });
});
