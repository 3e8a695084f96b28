import type { Argv, CommandModule } from 'yargs';
import { rebuildReport } from '@backtest/report';
import type { CommandIO } from './io';

interface ReportFlags {
  'run-dir': string;
}

/**
 * `backtest report <run-dir>`: redraws report.html from the folder's own files (summary.json
 * and the CSVs), of a run or of a compare, e.g. after an upgrade changed the report, without
 * re-running the backtest or the compare.
 * The folder is input like any other: its files are checked to be regular files of a sane size
 * before they are read, summary.json against its schema and the CSVs cell by cell, and a bad
 * one is exit 2 naming the file, the key or line and column, what was expected and what was
 * found. Every value reaches the page escaped.
 */
export function reportCommand(io: CommandIO): CommandModule<object, ReportFlags> {
  return {
    command: 'report <run-dir>',
    describe: 'Rebuild the report.html of a run or compare folder from its summary.json and CSV files',
    builder: (y: Argv) =>
      y
        .positional('run-dir', { type: 'string', demandOption: true, describe: 'a folder written by "backtest --strategy ..." or "backtest compare ..."' })
        .example('$0 report runs/20260101-120000-sma', "redraw that run's report")
        .example('$0 report runs/20260101-120000-compare', "redraw that compare's report"),
    handler: (argv) => {
      io.out(rebuildReport(argv.runDir));
    },
  };
}
