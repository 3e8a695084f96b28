import { printable, quoted } from './terminal-text';

/**
 * Errors the CLI turns into a message and an exit code in one place. A `UserError` is the
 * user's to fix (bad flag, bad file, unknown name): exit code 2, no stack trace. Anything else
 * is a bug or an environment failure: exit code 1.
 */
export class UserError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Where in an input file a problem is: 1-based line, and the column's name when known. */
export interface InputLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: string;
}

/** Bad input data: the message always names the file, and the line and column when known. */
export class InputError extends UserError {
  readonly location: InputLocation;
  constructor(location: InputLocation, problem: string) {
    super(`${formatLocation(location)}: ${problem}`);
    this.name = 'InputError';
    this.location = location;
  }
}

/** Longest file name a location shows: file names come from the user, but may hold anything. */
const SHOWN_FILE_CHARACTERS = 1024;

/**
 * `file, line 3, column "close"`. The file name and the column (a header cell, so file content)
 * are made printable: control characters escaped, a huge header cell cut (see `printable`).
 */
export function formatLocation(loc: InputLocation): string {
  let s = printable(loc.file, SHOWN_FILE_CHARACTERS);
  if (loc.line !== undefined) s += `, line ${loc.line}`;
  if (loc.column !== undefined) s += `, column ${quoted(loc.column)}`;
  return s;
}

/** Thrown when a strategy asks a market view for a row after its decision row. */
export class LookAheadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LookAheadError';
  }
}
