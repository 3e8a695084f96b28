import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { compareOnQueue, compareOptions, compareResolved, compareShard, loadStrategyRegistry, parseShard, saveCompare, writeShard } from '@backtest/api';
import { UserError } from '@backtest/core';
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
  shard?: string;
  queue?: string;
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
        .option('queue', { type: 'string', describe: 'run the walk-forwards on workers of this Redis (redis://HOST:PORT; start them with backtest worker)' })
        .option('shard', {
          type: 'string',
          describe: 'run only shard i of N of the jobs (i/N: a fixed share by job key) into a shard folder (--out); backtest merge joins the N folders',
        })
        .example('$0 compare --strategies sma,ols-sma,nn-sma', 'the three built-in strategies against buy-and-hold')
        .example('$0 compare --strategies sma --grid "nn-sma:hidden=10|300,100;epochs=20|100" --json', 'a grid, deflated over its size')
        .example('$0 compare --grid "nn-sma:hidden=5|10|20" --queue redis://127.0.0.1:6379', 'the grid on the workers of a Redis (docs/distributed.md)')
        .example('$0 compare --grid "nn-sma:hidden=5|10|20" --shard 1/3 --out shards/1', 'one third of the grid; backtest merge joins the shards') as Argv<CompareFlags>,
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
      if (argv.shard !== undefined) {
        const shard = parseShard(argv.shard);
        if (argv.save === false) throw new UserError('--shard writes a shard folder: it cannot be combined with --no-save');
        if (argv.queue !== undefined) throw new UserError('--shard and --queue are two ways to spread a sweep: use one');
        const claim = claimRunFolder(`compare-shard-${shard.index}-of-${shard.count}`, root, argv.out, 'shard folder');
        const { result, saved } = await withClaimedFolder(
          claim,
          async () => {
            const progress = createProgress(!argv.json);
            const files = await compareShard(settings, options, shard, { registry, progress, projectRoot: root });
            progress.stop();
            return files;
          },
          (folder, files) => writeShard(folder, files),
        );
        const m = result.manifest;
        if (argv.json) io.out(JSON.stringify({ sweep: m.sweep, shard: m.shard, of: m.of, jobs: m.jobs.length, dir: saved }, null, 2));
        else
          io.out(
            `shard ${m.shard}/${m.of} of sweep ${m.sweep.slice(0, 12)}: ${m.jobs.length} jobs\nshard folder: ${saved}\n(backtest merge joins the ${m.of} shard folders into the compare)`,
          );
        return;
      }
      // Claimed before the work, as a run folder: a taken or unwritable --out fails at once.
      const claim = argv.save === false ? undefined : claimRunFolder('compare', root, argv.out, 'compare folder');
      const { result: outcome, saved } = await withClaimedFolder(
        claim,
        async () => {
          const progress = createProgress(!argv.json);
          const context = { registry, progress, projectRoot: root };
          const { outcome } = argv.queue !== undefined ? await compareOnQueue(settings, options, argv.queue, context) : await compareResolved(settings, options, context);
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
