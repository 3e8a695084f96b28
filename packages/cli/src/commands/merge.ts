import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { mergeCompare, saveCompare } from '@backtest/api';
import { findProjectRoot } from '@backtest/data';
import { formatCompareTable } from '../compare/table';
import { createProgress } from '../progress';
import { claimRunFolder, withClaimedFolder } from '../run-folder';
import type { CommandIO } from './io';

interface MergeFlags {
  dirs?: string[];
  out?: string;
  save?: boolean;
  json?: boolean;
}

/** `backtest merge DIR...`: the shard folders of one sweep (`compare --shard i/N`) joined into the compare a local run makes. */
export function mergeCommand(io: CommandIO): CommandModule<object, MergeFlags> {
  return {
    command: 'merge <dirs..>',
    describe: 'Join the shard folders of one sweep (compare --shard i/N) into its compare folder and report',
    builder: (y: Argv) =>
      y
        .positional('dirs', { type: 'string', array: true, describe: 'the shard folders, one for each of 1/N .. N/N' })
        .option('out', { type: 'string', describe: 'compare folder to write (default runs/<UTC time>-compare)' })
        .option('save', { type: 'boolean', default: true, describe: 'write the folder and report.html (--no-save: print only)' })
        .option('json', { type: 'boolean', default: false, describe: 'print the document as JSON (as compare --json)' })
        .example('$0 merge shards/1 shards/2 shards/3', 'the compare of a sweep run in three shards') as Argv<MergeFlags>,
    handler: async (argv: ArgumentsCamelCase<MergeFlags>) => {
      const root = findProjectRoot(__dirname);
      const dirs = argv.dirs ?? [];
      const claim = argv.save === false ? undefined : claimRunFolder('compare', root, argv.out, 'compare folder');
      const { result: run, saved } = await withClaimedFolder(
        claim,
        async () => {
          const progress = createProgress(!argv.json);
          const merged = mergeCompare(dirs, { progress, projectRoot: root });
          progress.stop();
          return merged;
        },
        (folder, run) => saveCompare(run.outcome, run.settings, run.options, folder),
      );
      if (argv.json) {
        io.out(JSON.stringify(run.outcome.summary, null, 2));
        return;
      }
      io.out(formatCompareTable(run.outcome.summary));
      if (saved) io.out(`\nrun folder: ${saved.dir}\nreport:     ${saved.report}`);
    },
  };
}
