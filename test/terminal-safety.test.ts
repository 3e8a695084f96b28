/**
 * Text from a file or a flag never reaches the terminal raw: control characters in a CSV's
 * cells, header or name (ESC and OSC sequences, BEL, NUL, CR, backspace, C1 controls, bidi
 * overrides) come out escaped, a huge cell or header is cut with its length, and the message
 * still names the file, the line and the column. Checked on the bytes the command writes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bin, root, runsDir } from './helpers';

const dir = mkdtempSync(path.join(tmpdir(), 'bt-terminal-'));

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

interface RawResult {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
}

/** The command, with its output as bytes (no decoding that could hide or alter a byte). */
function run(args: string[], env: NodeJS.ProcessEnv = {}): RawResult {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, BACKTEST_RUNS_DIR: runsDir, ...env }, timeout: 120_000, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** C0 bytes but line feed, and DEL: what a terminal obeys. UTF-8 never uses them inside a character. */
function rawControlBytes(bytes: Buffer): number[] {
  const found: number[] = [];
  bytes.forEach((b, i) => {
    if ((b < 0x20 && b !== 0x0a) || b === 0x7f) found.push(i);
  });
  return found;
}

/** C1 controls and bidi embeddings, overrides and isolates, as decoded characters. */
const RAW_C1_OR_BIDI = /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;

function expectSafe(bytes: Buffer): string {
  expect(rawControlBytes(bytes)).toEqual([]);
  const text = bytes.toString('utf8');
  expect(text).not.toMatch(RAW_C1_OR_BIDI);
  return text;
}

/** Exit code 2, nothing on stdout, and a short stderr with no raw control byte but line feeds. */
function expectRefused(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const r = run(args, env);
  expect(r.code).toBe(2);
  expect(r.stdout.length).toBe(0);
  const text = expectSafe(r.stderr);
  expect(r.stderr.length).toBeLessThan(4096);
  expect(text.startsWith('backtest: ')).toBe(true);
  // One message, one line: the only line feed is the one that ends it.
  expect(text.indexOf('\n')).toBe(text.length - 1);
  return text;
}

const loadArgs = (p: string, ...more: string[]) => ['--strategy', 'buy-and-hold', '--data', p, '--no-save', ...more];
const head = 'date,close\n2000-01-31,10\n';

describe('control characters in a CSV cell', () => {
  it.each([
    ['an ESC colour sequence in a date', `${head}2000-02-29\x1b[31m,11\n`, 'date', '"2000-02-29\\x1b[31m" is not a date'],
    [
      'an OSC title and hyperlink in a date',
      `${head}\x1b]0;owned\x07\x1b]8;;http://x.test\x07link\x1b]8;;\x07,11\n`,
      'date',
      '"\\x1b]0;owned\\x07\\x1b]8;;http://x.test\\x07link\\x1b]8;;\\x07" is not a date',
    ],
    ['BEL and NUL in a close', `${head}2000-02-29,1\x07\x002\n`, 'close', '"1\\x07\\x002" is not a number'],
    // A CR inside quotes is a line break to the CSV reader, so the record ends on line 4.
    ['a CR that would overwrite the line, in a quoted close', `${head}2000-02-29,"12\rERASED"\n`, 'close', '"12\\rERASED" is not a number', 4],
    ['backspaces in a close', `${head}2000-02-29,11\b\b99\n`, 'close', '"11\\x08\\x0899" is not a number'],
    ['C1 controls (CSI, NEL) in a date', `${head}\u009b2J2000-02-29\u0085,11\n`, 'date', '"\\u009b2J2000-02-29\\u0085" is not a date'],
    ['a bidi override in a close', `${head}2000-02-29,\u202e11\u202c\n`, 'close', '"\\u202e11\\u202c" is not a number'],
    ['bidi isolates in a date', `${head}\u20662000-02-29\u2069,11\n`, 'date', '"\\u20662000-02-29\\u2069" is not a date'],
  ] as [string, string, string, string, number?][])('%s is escaped, and the message names file, line and column', (name, content, column, problem, line = 3) => {
    const p = file(`${name.replace(/[^a-z]+/g, '-')}.csv`, content);
    const text = expectRefused(loadArgs(p));
    expect(text).toBe(`backtest: ${p}, line ${line}, column "${column}": ${problem}${column === 'date' ? ' (expected yyyy-MM-dd, or yyyy-MM for months)' : ''}\n`);
  });
});

describe('control characters in a header and a file name', () => {
  it('a header cell with a screen-clearing sequence', () => {
    const p = file('header.csv', '\x1b[2J\x1b[Hdate,close\n2000-01-31,10\n2000-02-29,11\n');
    const text = expectRefused(loadArgs(p));
    expect(text).toContain(`${p}, line 1, column "date": no date and close columns: the header has "\\x1b[2J\\x1b[Hdate", "close".`);
  });

  it('a file named with ESC, given with --data', () => {
    const p = file('evil\x1b[31mname.csv', `${head}2000-02-3x,11\n`);
    const text = expectRefused(loadArgs(p));
    expect(text).toBe(`backtest: ${dir}/evil\\x1b[31mname.csv, line 3, column "date": "2000-02-3x" is not a date (expected yyyy-MM-dd, or yyyy-MM for months)\n`);
  });

  it('a file named with a line feed and a CR, given with --data', () => {
    const p = file('two\nlines\r.csv', `${head}2000-02-29,abc\n`);
    const text = expectRefused(loadArgs(p));
    expect(text).toBe(`backtest: ${dir}/two\\nlines\\r.csv, line 3, column "close": "abc" is not a number\n`);
  });

  it('a directory named with an OSC sequence, and a missing file in it', () => {
    const sub = path.join(dir, 'sub\x1b]0;x\x07');
    mkdirSync(sub, { recursive: true });
    const text = expectRefused(loadArgs(path.join(sub, 'missing.csv')));
    expect(text).toContain(`${dir}/sub\\x1b]0;x\\x07/missing.csv: no such file`);
  });
});

describe('huge values are cut with their length', () => {
  it('a 3 MB header line', () => {
    const p = file('wide-header.csv', `${'x'.repeat(3 * 1024 * 1024)},close\n2000-01-31,10\n`);
    const text = expectRefused(loadArgs(p));
    expect(text).toContain(`${p}, line 1, column "date": no date and close columns: the header has "${'x'.repeat(64)}…" (3,145,728 characters), "close". Known layouts:`);
  });

  it('a 1 MB close cell', () => {
    const p = file('wide-cell.csv', `${head}2000-02-29,${'9'.repeat(1024 * 1024)}\n`);
    const text = expectRefused(loadArgs(p));
    expect(text).toBe(`backtest: ${p}, line 3, column "close": "${'9'.repeat(64)}…" (1,048,576 characters) is not a number\n`);
  });

  it('a 1 MB date cell with control characters throughout', () => {
    const p = file('wide-date.csv', `${head}${'\x1b[5m'.repeat(256 * 1024)},11\n`);
    const text = expectRefused(loadArgs(p));
    expect(text).toContain(`${p}, line 3, column "date": "\\x1b[5m`);
    expect(text).toContain('…" (1,048,576 characters) is not a date');
  });
});

describe('control characters in flags', () => {
  it('a column mapping that names a header with control characters', () => {
    const p = file('mapped.csv', 'Day,Last\n2000-01-31,10\n2000-02-29,11\n');
    const text = expectRefused(loadArgs(p, '--columns', 'date=Day\x1b[8m,close=Last\u202e'));
    expect(text).toBe(`backtest: ${p}, line 1, column "Day\\x1b[8m": column "Day\\x1b[8m" (mapped to date) is not in the header; found "Day", "Last"\n`);
  });

  it('a malformed column mapping with control characters', () => {
    const p = file('mapped2.csv', 'Day,Last\n2000-01-31,10\n');
    const text = expectRefused(loadArgs(p, '--columns', 'date\x07\x1b[2J'));
    expect(text).toBe('backtest: column mapping "date\\x07\\x1b[2J": expected key=Header pairs such as date=Day,close=Last\n');
  });

  it('an unknown dataset name and an unknown flag with control characters', () => {
    expect(expectRefused(['--strategy', 'sma', '--dataset', 'sp\x1b[31m500', '--no-save'])).toContain('unknown dataset "sp\\x1b[31m500"');
    const r = run(['--strategy', 'sma', '--bogus\x1b[2J']);
    expect(r.code).toBe(2);
    expect(expectSafe(r.stderr)).toContain('Unknown argument: bogus\\x1b[2J');
  });
});

describe('the last line of defence', () => {
  const pluginDir = path.join(dir, 'noisy-plugin');
  mkdirSync(pluginDir, { recursive: true });
  writeFileSync(path.join(pluginDir, 'package.json'), JSON.stringify({ name: 'noisy', main: 'index.js' }));
  writeFileSync(
    path.join(pluginDir, 'index.js'),
    `module.exports = [
  { id: 'noisy-create', description: 'fails', kind: 'rule', params: {},
    create: () => { throw new Error('\\x1b]0;owned\\x07\\x1b[2J\\rreal message\\u202e' + 'z'.repeat(100000)); } },
  { id: 'noisy-warn', description: 'warns', kind: 'rule', params: {},
    create: (p, context) => { context.warn('\\x1b[31mred\\x1b[0m \\u009b2J'); return { minHistory: 1, decide: () => 1 }; } },
];`,
  );

  it("escapes a plugin's error message, keeps it one line, and cuts it", () => {
    const r = run(['--strategy', 'noisy-create', '--plugin', pluginDir, '--no-save']);
    expect(r.code).toBe(2);
    const text = expectSafe(r.stderr);
    expect(text).toContain(`plugin ${pluginDir}: strategy "noisy-create" failed in create(): \\x1b]0;owned\\x07\\x1b[2J\\rreal message\\u202ezzz`);
    expect(text.indexOf('\n')).toBe(text.length - 1);
    expect(r.stderr.length).toBeLessThan(20_000);
  });

  it("escapes a plugin's warning in the run table, and in the JSON (which stays valid)", () => {
    const table = run(['--strategy', 'noisy-warn', '--plugin', pluginDir, '--no-save']);
    expect(table.code).toBe(0);
    expect(expectSafe(table.stdout)).toContain('warning: \\x1b[31mred\\x1b[0m \\u009b2J');
    const json = run(['--strategy', 'noisy-warn', '--plugin', pluginDir, '--no-save', '--json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(expectSafe(json.stdout)) as { warnings: string[] };
    expect(doc.warnings).toContain('\x1b[31mred\x1b[0m \u009b2J');
  });
});
