import type { Argv, CommandModule } from 'yargs';
import { rebuildReport } from '@backtest/report';
import type { CommandIO } from './io';

interface ReportFlags {
  'run-dir': string;
}

/**
 * `backtest report <run-dir>`: redraws report.html from the run folder's own files (summary.json
 * and the CSVs), e.g. after an upgrade changed the report, without re-running the backtest.
 */
export function reportCommand(io: CommandIO): CommandModule<object, ReportFlags> {
  return {
    command: 'report <run-dir>',
    describe: 'Rebuild a run folder\'s report.html from its summary.json and CSV files',
    builder: (y: Argv) =>
      y
        .positional('run-dir', { type: 'string', demandOption: true, describe: 'a run folder written by "backtest --strategy ..."' })
        .example('$0 report runs/20260101-120000-sma', 'redraw that run\'s report'),
    handler: (argv) => {
      io.out(rebuildReport(argv.runDir));
    },
  };
}
