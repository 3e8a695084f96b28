import type { Argv, CommandModule } from 'yargs';
import { rebuildReport } from '@backtest/report';
import type { CommandIO } from './io';

interface ReportFlags {
  'run-dir': string;
}

/**
 * `backtest report <run-dir>`: redraws report.html from the run folder's own files (summary.json
 * and the CSVs), e.g. after an upgrade changed the report, without re-running the backtest.
 * The folder is input like any other: its files are checked to be regular files of a sane size
 * before they are read, summary.json against its schema and the CSVs cell by cell, and a bad
 * one is exit 2 naming the file, the key or line and column, what was expected and what was
 * found. Every value reaches the page escaped.
 */
export function reportCommand(io: CommandIO): CommandModule<object, ReportFlags> {
  return {
    command: 'report <run-dir>',
    describe: "Rebuild a run folder's report.html from its summary.json and CSV files",
    builder: (y: Argv) =>
      y
        .positional('run-dir', { type: 'string', demandOption: true, describe: 'a run folder written by "backtest --strategy ..."' })
        .example('$0 report runs/20260101-120000-sma', "redraw that run's report"),
    handler: (argv) => {
      io.out(rebuildReport(argv.runDir));
    },
  };
}
