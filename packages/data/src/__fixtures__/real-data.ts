/**
 * The gate of this package's tests that need the files of ../shared/data (the real-data defect
 * checks, and the comparisons of the embedded extracts with the daily files they were made
 * from). A clone with nothing beside it skips them, saying why in their names; with
 * BACKTEST_REQUIRE_REAL_DATA=1 (set by .ci/run) they fail instead, so that CI can never skip them
 * silently. The end-to-end tests of test/ have the same gate in test/helpers.ts.
 */
import { dataDirectories, findProjectRoot } from '../data-directories';
import { listDatasets } from '../datasets';

const REQUIRE_ENV = 'BACKTEST_REQUIRE_REAL_DATA';

function requiredByEnv(): boolean {
  const v = process.env[REQUIRE_ENV];
  if (v === undefined || v === '' || v === '0') return false;
  if (v === '1') return true;
  throw new Error(`${REQUIRE_ENV} must be 1 (the tests that need ../shared/data fail where it is absent) or 0, not ${JSON.stringify(v)}`);
}

const projectRoot = findProjectRoot(__dirname);
/** The default data directories (data/, then ../shared/data), where these tests read the files. */
const dataDirs = dataDirectories({ projectRoot });
const listing = listDatasets(dataDirs, projectRoot);
const files = [...new Set(listing.map((d) => d.file))];
const missing = files.filter((f) => listing.find((d) => d.file === f)!.path === undefined);

/** Whether every file the dataset registry names is in the data directories, and which are not. */
export const realData = { present: missing.length === 0, files, missing, required: requiredByEnv(), dataDirs };

/** What the name of a skipped test adds: why it was skipped. */
export const REAL_DATA_ABSENT =
  missing.length === files.length || missing.length === 0
    ? '(needs ../shared/data: absent here)'
    : `(needs ../shared/data: ${missing.join(', ')} absent here)`;

function missingError(): Error {
  return new Error(
    `${REQUIRE_ENV}=1, but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} in none of the data directories ` +
      `(${dataDirs.join(', ')}). This test needs the files of ../shared/data (see its README.md): put them there, ` +
      `or unset ${REQUIRE_ENV} to skip the tests that need them.`,
  );
}

/** `it` for a test that needs ../shared/data: skipped (its name says why) where it is absent, failing there under BACKTEST_REQUIRE_REAL_DATA=1. */
export function itWithRealData(name: string, fn: jest.ProvidesCallback, timeout?: number): void {
  if (realData.present) {
    it(name, fn, timeout);
  } else if (realData.required) {
    it(name, () => {
      throw missingError();
    });
  } else {
    it.skip(`${name} ${REAL_DATA_ABSENT}`, fn, timeout);
  }
}

/**
 * `describe` for tests that all need ../shared/data, gated as `itWithRealData` (under
 * BACKTEST_REQUIRE_REAL_DATA=1, each of its tests fails). Where the data is absent the block's
 * body still runs to collect its tests, so it must not read the data itself:
 * read it in the tests (or `beforeAll`).
 */
export function describeWithRealData(name: string, fn: () => void): void {
  if (realData.present) {
    describe(name, fn);
  } else if (realData.required) {
    describe(name, () => {
      beforeAll(() => {
        throw missingError(); // fails every test of the block
      });
      fn();
    });
  } else {
    describe.skip(`${name} ${REAL_DATA_ABSENT}`, fn);
  }
}
