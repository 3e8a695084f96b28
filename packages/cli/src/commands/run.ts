import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { periodLabel } from '@backtest/core';
import { findProjectRoot } from '@backtest/data';
import { formatRunTable } from '@backtest/report';
import { settingsFromFlags } from '../flags-to-settings';
import { type RunFlags, withRunOptions } from '../options';
import { writePredictions } from '../predictions';
import { createProgress } from '../progress';
import { loadStrategyRegistry } from '../registry';
import { runFolderPath, saveRun } from '../run-folder';
import { runJob } from '../run-job';
import type { CommandIO } from './io';

export function runCommand(io: CommandIO): CommandModule<object, RunFlags & { out?: string; save?: boolean; predictions?: string }> {
  return {
    command: '$0',
    describe: 'Backtest a strategy walk-forward against buy-and-hold',
    builder: (y: Argv) =>
      withRunOptions(y.option('strategy', { alias: 's', type: 'string', describe: 'strategy id (see "backtest list")' }))
        .option('out', { type: 'string', describe: 'run folder to write (default runs/<UTC time>-<strategy>)' })
        .option('save', { type: 'boolean', default: true, describe: 'write the run folder and report.html (--no-save: print only)' })
        .option('predictions', { type: 'string', describe: 'also write the forecasts to this CSV file' })
        .example('$0 --strategy sma --param window=12', 'the 12-month SMA rule on month-end S&P 500')
        .example('$0 --strategy nn-sma --from 1970-01 --to 2020-12 --json', 'the network strategy, as JSON') as Argv<RunFlags>,
    handler: async (argv: ArgumentsCamelCase<RunFlags & { out?: string; save?: boolean; predictions?: string }>) => {
      const root = findProjectRoot(__dirname);
      const settings = settingsFromFlags(argv, root);
      const registry = loadStrategyRegistry({ plugins: settings.plugins, projectRoot: root });
      const progress = createProgress(!argv.json);
      const outcome = await runJob(settings, registry, root, progress);
      progress.stop();
      const labels = outcome.series.dates.map((d) => periodLabel(d, outcome.series.frequency));
      if (argv.predictions) writePredictions(argv.predictions, outcome.walk, { labels, close: outcome.series.close });
      const saved = argv.save === false ? undefined : saveRun(outcome, settings, runFolderPath(outcome.summary.strategy, root, argv.out));
      if (argv.json) {
        io.out(JSON.stringify(outcome.summary, null, 2));
        return;
      }
      io.out(formatRunTable(outcome.summary));
      if (saved) io.out(`\nrun folder: ${saved.dir}\nreport:     ${saved.report}`);
    },
  };
}
