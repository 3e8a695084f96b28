import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UserError } from '@backtest/core';
import { findProjectRoot } from '@backtest/data';
import { type CompareOptions, runCompare } from '../compare/compare-job';
import { saveCompare } from '../compare/save';
import { formatCompareTable } from '../compare/table';
import { settingsFromFlags } from '../flags-to-settings';
import { type RunFlags, withRunOptions } from '../options';
import { createProgress } from '../progress';
import { loadStrategyRegistry } from '../registry';
import { runFolderPath } from '../run-folder';
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
      withRunOptions(y)
        .option('strategies', { type: 'string', describe: 'comma-separated strategy ids', default: 'sma,ols-sma,nn-sma' })
        .option('grid', { type: 'string', array: true, describe: 'a parameter grid, e.g. "nn-sma:hidden=10|300,100;epochs=20|100" (repeatable)' })
        .option('trials', { type: 'number', default: 0, describe: 'configurations tried in earlier runs, added to the deflation' })
        .option('block', { type: 'number', describe: 'expected block length of the stationary bootstrap (default: automatic)' })
        .option('samples', { type: 'number', default: 2000, describe: 'bootstrap resamples' })
        .option('out', { type: 'string', describe: 'folder to write (default runs/<UTC time>-compare)' })
        .option('save', { type: 'boolean', default: true, describe: 'write the folder and report.html (--no-save: print only)' })
        .example('$0 compare --strategies sma,ols-sma,nn-sma', 'the three built-in strategies against buy-and-hold')
        .example('$0 compare --strategies sma --grid "nn-sma:hidden=10|300,100;epochs=20|100" --json', 'a grid, deflated over its size') as Argv<CompareFlags>,
    handler: async (argv: ArgumentsCamelCase<CompareFlags>) => {
      const trials = argv.trials ?? 0;
      if (!Number.isInteger(trials) || trials < 0) throw new UserError(`--trials must be a non-negative integer, got ${String(argv.trials)}`);
      const samples = argv.samples ?? 2000;
      if (!Number.isInteger(samples) || samples < 100) throw new UserError(`--samples must be an integer >= 100, got ${String(argv.samples)}`);
      if (argv.block !== undefined && !(argv.block >= 1)) throw new UserError(`--block must be a number >= 1, got ${String(argv.block)}`);
      const root = findProjectRoot(__dirname);
      const settings = settingsFromFlags(argv, root);
      const registry = loadStrategyRegistry({ plugins: settings.plugins, projectRoot: root });
      const progress = createProgress(!argv.json);
      const strategies = (argv.strategies ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
      const options: CompareOptions = { strategies, grids: argv.grid ?? [], priorTrials: trials, samples, ...(argv.block !== undefined ? { blockLength: argv.block } : {}) };
      const outcome = await runCompare(settings, options, registry, root, progress);
      progress.stop();
      const saved = argv.save === false ? undefined : saveCompare(outcome, settings, options, runFolderPath('compare', root, argv.out));
      if (argv.json) {
        io.out(JSON.stringify(outcome.summary, null, 2));
        return;
      }
      io.out(formatCompareTable(outcome.summary));
      if (saved) io.out(`\nrun folder: ${saved.dir}\nreport:     ${saved.report}`);
    },
  };
}
