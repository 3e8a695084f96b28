import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { periodLabel } from '@backtest/core/internal';
import { findProjectRoot } from '@backtest/data';
import { settingsFromFlags } from '../flags-to-settings';
import type { RunFlags } from '../options';
import { loadData } from '@backtest/api';
import { dataFetchCommand } from './data-fetch';
import type { CommandIO } from './io';

interface DataFlags extends RunFlags {
  name?: string;
}

/** `backtest data [name]`: load a dataset or file as a run would, and say what it holds and what was repaired. */
export function dataCommand(io: CommandIO): CommandModule<object, DataFlags> {
  return {
    command: 'data [name]',
    describe: 'Load a dataset (or --data FILE) and report its rows, range, repairs and checksum',
    builder: (y: Argv) =>
      y
        .positional('name', { type: 'string', describe: 'dataset name (default: the configured dataset)' })
        // Options of `data` only (yargs makes a command's options global to its subcommands by default).
        .option('data', { global: false, type: 'string', describe: 'a CSV file instead of a named dataset' })
        .option('data-dir', { global: false, type: 'string', array: true, describe: 'directory to look for datasets in first' })
        .option('columns', { global: false, type: 'string', describe: 'column mapping, e.g. date=Day,close=Last' })
        .option('frequency', { global: false, choices: ['monthly', 'daily'] as const, describe: 'serve month-end (default) or daily rows' })
        .option('on-missing', { global: false, choices: ['drop', 'error'] as const })
        .option('total-return', { global: false, type: 'boolean' })
        .option('config', { global: false, type: 'string' })
        .option('json', { global: false, type: 'boolean', default: false })
        .command(dataFetchCommand(io))
        .example('$0 data gold', 'month-end gold, with the rows dropped for empty fields') as Argv<DataFlags>,
    handler: (argv: ArgumentsCamelCase<DataFlags>) => {
      const root = findProjectRoot(__dirname);
      const settings = settingsFromFlags({ ...argv, ...(argv.name ? { dataset: argv.name } : {}) }, root);
      const loaded = loadData(settings, root);
      const s = loaded.series;
      const n = s.close.length;
      const doc = {
        dataset: settings.data ? loaded.path : settings.dataset,
        path: loaded.path,
        // A named dataset comes from a data directory or from the extract embedded in the data package.
        origin: loaded.origin ?? 'file',
        sha256: loaded.sha256,
        layout: loaded.layout,
        fileFrequency: loaded.fileFrequency,
        frequency: s.frequency,
        rows: n,
        rawRows: loaded.rawRows,
        droppedRows: loaded.droppedRows,
        first: n ? periodLabel(s.dates[0]!, s.frequency) : null,
        last: n ? periodLabel(s.dates[n - 1]!, s.frequency) : null,
        columns: ['close', ...Object.keys(s.columns)],
        totalReturn: s.returnIndex !== undefined,
        warnings: loaded.warnings,
      };
      if (argv.json) {
        io.out(JSON.stringify(doc, null, 2));
        return;
      }
      const lines = [
        `${doc.dataset}: ${doc.rows} ${doc.frequency} rows, ${doc.first} .. ${doc.last} (file: ${doc.rawRows} ${doc.fileFrequency} rows, ${doc.layout} layout)`,
        `  file     ${doc.path}${doc.origin === 'embedded' ? ' (the embedded month-end extract: no data directory has the file)' : ''}`,
        `  sha256   ${doc.sha256}`,
        `  columns  ${doc.columns.join(', ')}${doc.totalReturn ? ' (returns with dividends reinvested)' : ''}`,
        `  dropped  ${doc.droppedRows} rows`,
        ...doc.warnings.map((w) => `  warning  ${w}`),
      ];
      io.out(lines.join('\n'));
    },
  };
}
