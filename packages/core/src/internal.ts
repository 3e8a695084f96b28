// The framework's own plumbing, shared by its packages: not part of the plugin API
// ('@backtest/core'), and free to change with them.
export { type CsvCell, formatCsv } from './csv-format';
export { makeDirectory, pathExists, temporaryName, writeFileAtomic } from './atomic-write';
export { DEFAULT_MAX_FILE_MB, fileText, maxFileBytes, megabytes, readRegularFile } from './read-file';
export { formatLocation } from './errors';
export { groupDigits, MESSAGE_CHARACTERS, printable, quoted, quotedList, terminalSafe } from './terminal-text';
export { strategyParams } from './plugin';
export { assetReturns, periodLabel, sliceSeries } from './series';
export { strategyPlugins } from './container';
export { streamSeed } from './seeds';
export { parseAlternatives } from './alternatives';
export { workerScript } from './worker-script';
