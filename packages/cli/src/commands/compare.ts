import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { compareOptions, compareResolved, loadStrategyRegistry, saveCompare } from '@backtest/api';
import { findProjectRoot } from '@backtest/data';
import { formatCompareTable } from '../compare/table';
import { settingsFromFlags } from '../flags-to-settings';
import { type RunFlags, withRunOptions, withSeedOptions } from '../options';
import { createProgress } from '../progress';
import { claimRunFolder, withClaimedFolder } from '../run-folder';
import type { CommandIO } from './io';

interface CompareFlags extends RunFlags {
  strategies?: string;
  grid?: string[];
  trials?: number;
  block?: number;
  samples?: number;
  out?: string;
  save?: boolean;
}

export function compareCommand(io: CommandIO): CommandModule<object, CompareFlags> {
  return {
    command: 'compare',
    describe: 'Compare strategies over the same months, with significance against buy-and-hold',
    builder: (y: Argv) =>
      withSeedOptions(withRunOptions(y))
        .option('strategies', { type: 'string', describe: 'comma-separated strategy ids (default sma,ols-sma,nn-sma)' })
        .option('grid', { type: 'string', array: true, describe: 'a parameter grid, e.g. "nn-sma:hidden=10|300,100;epochs=20|100" (repeatable)' })
        .option('trials', { type: 'number', describe: 'configurations tried in earlier runs, added to the deflation (default 0)' })
        .option('block', { type: 'number', describe: 'expected block length of the stationary bootstrap (default: automatic)' })
        .option('samples', { type: 'number', describe: 'bootstrap resamples (default 2000)' })
        .option('out', { type: 'string', describe: 'folder to write (default runs/<UTC time>-compare)' })
        .option('save', { type: 'boolean', default: true, describe: 'write the folder and report.html (--no-save: print only)' })
        .example('$0 compare --strategies sma,ols-sma,nn-sma', 'the three built-in strategies against buy-and-hold')
        .example('$0 compare --strategies sma --grid "nn-sma:hidden=10|300,100;epochs=20|100" --json', 'a grid, deflated over its size') as Argv<CompareFlags>,
    handler: async (argv: ArgumentsCamelCase<CompareFlags>) => {
      const strategies = argv.strategies
        ?.split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      const comparison = { strategies, grids: argv.grid, trials: argv.trials, samples: argv.samples, block: argv.block };
      const options = compareOptions(comparison, 'flags');
      const root = findProjectRoot(__dirname);
      const settings = settingsFromFlags(argv, root);
      const registry = loadStrategyRegistry({ plugins: settings.plugins, projectRoot: root });
      // Claimed before the work, as a run folder: a taken or unwritable --out fails at once.
      const claim = argv.save === false ? undefined : claimRunFolder('compare', root, argv.out, 'compare folder');
      const { result: outcome, saved } = await withClaimedFolder(
        claim,
        async () => {
          const progress = createProgress(!argv.json);
          const { outcome } = await compareResolved(settings, options, { registry, progress, projectRoot: root });
          progress.stop();
          return outcome;
        },
        (folder, outcome) => saveCompare(outcome, settings, options, folder),
      );
      if (argv.json) {
        io.out(JSON.stringify(outcome.summary, null, 2));
        return;
      }
      io.out(formatCompareTable(outcome.summary));
      if (saved) io.out(`\nrun folder: ${saved.dir}\nreport:     ${saved.report}`);
    },
  };
}
