import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { findProjectRoot } from '@backtest/data';
import { formatRunTable } from '@backtest/report';
import { settingsFromFlags } from '../flags-to-settings';
import { type RunFlags, withRunOptions } from '../options';
import { createProgress } from '../progress';
import { loadStrategyRegistry } from '../registry';
import { runJob } from '../run-job';
import type { CommandIO } from './io';

export function runCommand(io: CommandIO): CommandModule<object, RunFlags> {
  return {
    command: '$0',
    describe: 'Backtest a strategy walk-forward against buy-and-hold',
    builder: (y: Argv) =>
      withRunOptions(y.option('strategy', { alias: 's', type: 'string', describe: 'strategy id (see "backtest list")' }))
        .example('$0 --strategy sma --param window=12', 'the 12-month SMA rule on month-end S&P 500')
        .example('$0 --strategy nn-sma --from 1970-01 --to 2020-12 --json', 'the network strategy, as JSON') as Argv<RunFlags>,
    handler: async (argv: ArgumentsCamelCase<RunFlags>) => {
      const root = findProjectRoot(__dirname);
      const settings = settingsFromFlags(argv, root);
      const registry = loadStrategyRegistry({ plugins: settings.plugins, projectRoot: root });
      const progress = createProgress(!argv.json);
      const outcome = await runJob(settings, registry, root, progress);
      progress.stop();
      if (argv.json) io.out(JSON.stringify(outcome.summary, null, 2));
      else io.out(formatRunTable(outcome.summary));
    },
  };
}
