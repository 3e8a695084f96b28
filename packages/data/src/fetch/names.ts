import { UserError } from '@backtest/core';

/**
 * A dataset name that is safe as a file name in a data directory: letters, digits, `-`, `_` and
 * `.`, starting with a letter or digit (so no `..`, no hidden file, no path), as `--dataset NAME`
 * finds `NAME.csv`. The one rule for both: `backtest data fetch --name` and the loader's
 * `NAME.csv` for an unregistered dataset (datasets.ts).
 */
export const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_NAME = 100;

/** `name` when it is a safe dataset name, else a UserError saying what is allowed. */
export function checkDatasetName(name: string): string {
  if (DATASET_NAME.test(name) && name.length <= MAX_NAME) return name;
  throw new UserError(
    `--name ${JSON.stringify(name)} is not a dataset name: use letters, digits, "-", "_" and "." only, ` +
      `starting with a letter or digit (at most ${MAX_NAME} characters); the file is NAME.csv in the data directory`,
  );
}

/**
 * The default dataset name of a symbol: lower case, each run of other characters a `-`, without
 * leading or trailing punctuation. Undefined when nothing is left.
 *
 * @example nameFromSymbol('^SPX') // 'spx'
 * @example nameFromSymbol('GC=F') // 'gc-f'
 */
export function nameFromSymbol(symbol: string): string | undefined {
  const name = symbol
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  return name !== '' && name.length <= MAX_NAME && DATASET_NAME.test(name) ? name : undefined;
}

/** A symbol as given: something, without spaces or control characters (it goes into a URL, encoded). */
export function checkSymbol(symbol: string): string {
  const s = symbol.trim();
  if (s === '' || /[\s\u0000-\u001f\u007f]/.test(s) || s.length > 64) {
    throw new UserError(`symbol ${JSON.stringify(symbol)} is not a ticker or series id (such as ^spx or TB3MS)`);
  }
  return s;
}
