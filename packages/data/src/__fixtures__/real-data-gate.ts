/**
 * The gate of the tests that need the files of ../shared/data (the daily files), for this
 * package's tests and the end-to-end tests of test/ alike: each finds which files are missing
 * its own way and hands the list here. A clone with nothing beside it skips those tests, saying
 * why in their names; with BACKTEST_REQUIRE_REAL_DATA=1 (set by .ci/run) they fail instead, so
 * that CI can never skip them silently.
 */
const REQUIRE_ENV = 'BACKTEST_REQUIRE_REAL_DATA';

function requiredByEnv(): boolean {
  const v = process.env[REQUIRE_ENV];
  if (v === undefined || v === '' || v === '0') return false;
  if (v === '1') return true;
  throw new Error(`${REQUIRE_ENV} must be 1 (the tests that need ../shared/data fail where it is absent) or 0, not ${JSON.stringify(v)}`);
}

export interface RealDataGate {
  /** Whether every file is in the data directories, which are not, and whether they are required. */
  readonly present: boolean;
  readonly files: readonly string[];
  readonly missing: readonly string[];
  readonly required: boolean;
  /** What the name of a skipped test adds: why it was skipped. */
  readonly absent: string;
  /** `it` for a test that needs the files: skipped (its name says why) where they are absent, failing there under BACKTEST_REQUIRE_REAL_DATA=1. */
  it(name: string, fn: jest.ProvidesCallback, timeout?: number): void;
  /**
   * `describe` for tests that all need the files, gated as `it` (under
   * BACKTEST_REQUIRE_REAL_DATA=1 each of its tests fails). Where they are absent the block's
   * body still runs to collect its tests, so it must not read the data itself: read it in
   * `beforeAll` or in the tests.
   */
  describe(name: string, fn: () => void): void;
}

/** The gate for `files`, of which `missing` are in none of `dataDirs`. */
export function realDataGate(files: readonly string[], missing: readonly string[], dataDirs: readonly string[]): RealDataGate {
  const present = missing.length === 0;
  const required = requiredByEnv();
  const absent = present || missing.length === files.length ? '(needs ../shared/data: absent here)' : `(needs ../shared/data: ${missing.join(', ')} absent here)`;
  const missingError = () =>
    new Error(
      `${REQUIRE_ENV}=1, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} in none of the data directories ` +
        `(${dataDirs.join(', ')}). This test needs the files of ../shared/data (see its README.md): put them there, ` +
        `or unset ${REQUIRE_ENV} to skip the tests that need them.`,
    );
  return {
    present,
    files,
    missing,
    required,
    absent,
    it(name, fn, timeout) {
      if (present) it(name, fn, timeout);
      else if (required)
        it(name, () => {
          throw missingError();
        });
      else it.skip(`${name} ${absent}`, fn, timeout);
    },
    describe(name, fn) {
      if (present) describe(name, fn);
      else if (required) {
        describe(name, () => {
          beforeAll(() => {
            throw missingError(); // fails every test of the block
          });
          fn();
        });
      } else describe.skip(`${name} ${absent}`, fn);
    },
  };
}
