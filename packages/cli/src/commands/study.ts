import * as path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { UserError } from '@backtest/core';
import { dataDirectories, findProjectRoot } from '@backtest/data';
import type { BackendRequest } from '@backtest/models';
import { defaultStudyDir, formatStudySummary, runStudy, STUDIES, studyDocument, writeStudyFolder } from '@backtest/study';
import { claimOutputFolder, runsBase, withClaimedFolder } from '../run-folder';
import type { CommandIO } from './io';

export interface StudyFlags {
  name: string;
  from: string;
  to: string;
  seed: number;
  json: boolean;
  out?: string;
  backend: BackendRequest;
  'data-dir'?: string[];
}

/** `backtest study seed`: the article's experiments re-run, with a study folder of figures and data. */
export function studyCommand(io: CommandIO): CommandModule<object, StudyFlags> {
  return {
    command: 'study <name>',
    describe: `Re-run a published study and write its figures and data (studies: ${STUDIES.join(', ')})`,
    builder: (y: Argv) =>
      y
        .positional('name', { type: 'string', describe: `the study: ${STUDIES.join(', ')}`, demandOption: true })
        .option('from', { type: 'string', default: '1970-01', describe: 'first month loaded (YYYY-MM)' })
        .option('to', { type: 'string', default: '2020-12', describe: 'last month loaded (YYYY-MM)' })
        .option('seed', { type: 'number', default: 42, describe: 'seed of every network (weights and shuffles)' })
        .option('out', { type: 'string', describe: 'study folder (default runs/study-seed-<UTC timestamp> in $BACKTEST_RUNS_DIR or the project)' })
        .option('backend', { choices: ['auto', 'tensorflow', 'wasm', 'cpu'] as const, default: 'auto' as const, describe: 'TensorFlow.js backend' })
        .option('data-dir', { type: 'string', array: true, describe: 'directory to look for datasets in, before the configured ones (repeatable)' })
        .option('json', { type: 'boolean', default: false, describe: 'print one JSON document on stdout' })
        .example('$0 study seed', 'the article: five experiments on month-end S&P 500, 1970-2020')
        .example('$0 study seed --json --out runs/seed', 'the same, as JSON, into runs/seed') as unknown as Argv<StudyFlags>,
    handler: async (argv: ArgumentsCamelCase<StudyFlags>) => {
      if (!(STUDIES as readonly string[]).includes(argv.name)) {
        throw new UserError(`unknown study "${argv.name}": available studies: ${STUDIES.join(', ')}`);
      }
      if (!Number.isInteger(argv.seed) || argv.seed < 0) throw new UserError(`--seed must be a whole number >= 0, got ${argv.seed}`);
      const projectRoot = findProjectRoot(__dirname);
      const dataDirs = dataDirectories({ flag: argv['data-dir'] ?? [], env: process.env['BACKTEST_DATA_DIR'], projectRoot });
      // As run folders: --out, else the first free of study-seed-<stamp>, -2, ... in
      // $BACKTEST_RUNS_DIR or the project's runs/; claimed before the work, so a taken name or
      // an unwritable place fails at once, and released (our .partial removed) on failure or a signal.
      const claim = argv.out
        ? claimOutputFolder(path.resolve(argv.out), { what: 'study folder' })
        : claimOutputFolder(defaultStudyDir(new Date(), runsBase(projectRoot)), { what: 'study folder', numbered: true, hint: 'set --out or BACKTEST_RUNS_DIR' });
      const showProgress = !argv.json && process.stderr.isTTY === true;
      const { result, saved: written } = await withClaimedFolder(
        claim,
        () =>
          runStudy({
            from: argv.from,
            to: argv.to,
            seed: argv.seed,
            backend: argv.backend,
            dataDirs,
            projectRoot,
            ...(showProgress ? { onProgress: (m: string) => io.err(`study seed: ${m}`) } : {}),
          }),
        (folder, result) => writeStudyFolder(result, folder),
      );
      if (argv.json) io.out(JSON.stringify(studyDocument(result, written.dir), null, 2));
      else io.out(formatStudySummary(result, written.dir));
    },
  };
}
