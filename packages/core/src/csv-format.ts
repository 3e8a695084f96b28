/**
 * The project's CSV dialect for files it writes (run folders, embedded data extracts):
 * comma-separated, a header row, `\n` line ends, RFC 4180 quoting only where a field needs it.
 * Numbers are written with `String(n)`, the shortest text that parses back to the same double,
 * so a file read back gives the very same numbers; a missing value (NaN, undefined) is an empty
 * field.
 */
export type CsvCell = string | number | undefined;

function formatCell(cell: CsvCell): string {
  if (cell === undefined) return '';
  // `String(-0)` is "0"; keep the sign so a flat period's -0 return reads back bit for bit.
  if (typeof cell === 'number') return Number.isFinite(cell) ? (Object.is(cell, -0) ? '-0' : String(cell)) : '';
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** A CSV document with a header row; every row must have the header's length. */
export function formatCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(formatCell).join(',')];
  for (const row of rows) {
    if (row.length !== header.length) throw new Error(`CSV row has ${row.length} fields, header has ${header.length}`);
    lines.push(row.map(formatCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}
