import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { loadStrategyRegistry, signalResolved } from '@backtest/api';
import { findProjectRoot } from '@backtest/data';
import { settingsFromFlags } from '../flags-to-settings';
import { type RunFlags, withRunOptions } from '../options';
import { createProgress } from '../progress';
import { signalText } from '../signal-text';
import type { CommandIO } from './io';

/** `backtest signal`: the position to hold from the last complete period of the data on. */
export function signalCommand(io: CommandIO): CommandModule<object, RunFlags> {
  return {
    command: 'signal',
    describe: 'The position to hold next: the walk-forward decision at the last complete period, and why',
    builder: (y: Argv) =>
      withRunOptions(y.option('strategy', { alias: 's', type: 'string', describe: 'strategy id (see "backtest list")' }))
        .example('$0 signal --strategy nn-sma', 'what nn-sma holds over the month after the data ends')
        .example('$0 signal --strategy sma --to 2020-06 --json', 'the decision at the close of June 2020') as Argv<RunFlags>,
    handler: async (argv: ArgumentsCamelCase<RunFlags>) => {
      const root = findProjectRoot(__dirname);
      const settings = settingsFromFlags(argv, root);
      const registry = loadStrategyRegistry({ plugins: settings.plugins, projectRoot: root });
      const progress = createProgress(!argv.json);
      const doc = await signalResolved(settings, { registry, progress, projectRoot: root });
      progress.stop();
      if (argv.json) {
        io.out(JSON.stringify(doc, null, 2));
        return;
      }
      io.out(signalText(doc));
      for (const w of doc.warnings) io.err(`warning: ${w}`);
    },
  };
}
