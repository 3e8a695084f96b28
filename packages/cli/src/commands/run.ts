import * as path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { isUniverse, UserError } from '@backtest/core';
import { periodLabel } from '@backtest/core/internal';
import { findProjectRoot } from '@backtest/data';
import { loadStrategyRegistry, noModelsWarning, runResolved, saveRun } from '@backtest/api';
import { formatRunTable, nextPositionText } from '@backtest/report';
import { settingsFromFlags } from '../flags-to-settings';
import { type RunFlags, withRunOptions, withSeedOptions } from '../options';
import { writePredictions } from '../predictions';
import { createProgress } from '../progress';
import { claimRunFolder, withClaimedFolder } from '../run-folder';
import type { CommandIO } from './io';

type RunCommandFlags = RunFlags & { out?: string; save?: boolean; 'save-models'?: boolean; predictions?: string };

export function runCommand(io: CommandIO): CommandModule<object, RunCommandFlags> {
  return {
    command: '$0',
    describe: 'Backtest a strategy walk-forward against buy-and-hold',
    builder: (y: Argv) =>
      withSeedOptions(withRunOptions(y.option('strategy', { alias: 's', type: 'string', describe: 'strategy id (see "backtest list")' })))
        .option('select', {
          type: 'string',
          describe: 'forecast strategies: nested walk-forward selection over model parameters, e.g. "hidden=5|10|20;epochs=10|20" (the best on each refit\'s latest training rows)',
        })
        .option('out', { type: 'string', describe: 'run folder to write (default runs/<UTC time>-<strategy>)' })
        .option('save', { type: 'boolean', default: true, describe: 'write the run folder and report.html (--no-save: print only)' })
        .option('save-models', { type: 'boolean', default: false, describe: "keep every walk-forward fit's model in the run folder (models/fit-000/, ..., models/index.json)" })
        .option('predictions', { type: 'string', describe: 'also write the forecasts to this CSV file' })
        .example('$0 --strategy sma --param window=12', 'the 12-month SMA rule on month-end S&P 500')
        .example('$0 --strategy nn-sma --from 1970-01 --to 2020-12 --json', 'the network strategy, as JSON') as Argv<RunFlags>,
    handler: async (argv: ArgumentsCamelCase<RunCommandFlags>) => {
      const root = findProjectRoot(__dirname);
      const settings = settingsFromFlags(argv, root);
      if (argv.predictions && settings.universe) {
        throw new UserError("--predictions writes one series' forecasts; a universe's are in the run folder's predictions.csv (with an asset column)");
      }
      if (settings.saveModels && argv.save === false) {
        throw new UserError('--save-models writes the models into the run folder, which --no-save does not write: drop one of the two');
      }
      const registry = loadStrategyRegistry({ plugins: settings.plugins, projectRoot: root });
      // The folder is claimed before the run: a taken --out, a .partial that is not ours or an
      // unwritable place is an exit 2 now, not after the training; the claim reserves the name.
      const claim = argv.save === false ? undefined : claimRunFolder(registry.get(settings.strategy).id, root, argv.out);
      const { result: outcome, saved } = await withClaimedFolder(
        claim,
        async () => {
          const progress = createProgress(!argv.json);
          const { outcome } = await runResolved(settings, { registry, progress, projectRoot: root });
          progress.stop();
          const noModels = settings.saveModels ? noModelsWarning(outcome) : undefined;
          if (noModels) outcome.summary.warnings.push(noModels);
          if (argv.predictions) {
            const series = outcome.series;
            if (!isUniverse(series)) writePredictions(argv.predictions, outcome.walk, { labels: series.dates.map((d) => periodLabel(d, series.frequency)), close: series.close });
          }
          return outcome;
        },
        (folder, outcome) => saveRun(outcome, settings, folder),
      );
      if (argv.json) {
        io.out(JSON.stringify(outcome.summary, null, 2));
        return;
      }
      io.out(formatRunTable(outcome.summary));
      const signal = outcome.summary.signal;
      if (signal) io.out(`\nnext: ${nextPositionText(signal, outcome.summary.frequency)}`);
      if (saved) io.out(`\nrun folder: ${saved.dir}\nreport:     ${saved.report}`);
      if (saved?.models) io.out(`models:     ${path.join(saved.dir, 'models')} (${saved.models} fits, index.json)`);
    },
  };
}
