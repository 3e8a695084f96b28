import * as path from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { checkStudySeed, saveStudy, studySeed, type StudySeedOptions } from '@backtest/api';
import { UserError } from '@backtest/core';
import { dataDirectories, findProjectRoot } from '@backtest/data';
import type { BackendRequest } from '@backtest/models';
import { defaultStudyDir, formatStudySummary, STUDIES } from '@backtest/study';
import { claimOutputFolder, runsBase, withClaimedFolder } from '../run-folder';
import type { CommandIO } from './io';

export interface StudyFlags {
  name: string;
  from?: string;
  to?: string;
  seed?: number;
  json: boolean;
  out?: string;
  backend?: BackendRequest;
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
        .option('from', { type: 'string', describe: 'first month loaded (YYYY-MM; default 1970-01)' })
        .option('to', { type: 'string', describe: 'last month loaded (YYYY-MM; default 2020-12)' })
        .option('seed', { type: 'number', describe: 'seed of every network (weights and shuffles; default 42)' })
        .option('out', { type: 'string', describe: 'study folder (default runs/study-seed-<UTC timestamp> in $BACKTEST_RUNS_DIR or the project)' })
        .option('backend', { choices: ['auto', 'tensorflow', 'wasm', 'cpu'] as const, describe: 'TensorFlow.js backend (default auto)' })
        .option('data-dir', { type: 'string', array: true, describe: 'directory to look for datasets in, before the configured ones (repeatable)' })
        .option('json', { type: 'boolean', default: false, describe: 'print one JSON document on stdout' })
        .example('$0 study seed', 'the article: five experiments on month-end S&P 500, 1970-2020')
        .example('$0 study seed --json --out runs/seed', 'the same, as JSON, into runs/seed') as unknown as Argv<StudyFlags>,
    handler: async (argv: ArgumentsCamelCase<StudyFlags>) => {
      if (!(STUDIES as readonly string[]).includes(argv.name)) {
        throw new UserError(`unknown study "${argv.name}": available studies: ${STUDIES.join(', ')}`);
      }
      checkStudySeed(argv.seed);
      const projectRoot = findProjectRoot(__dirname);
      const dataDirs = dataDirectories({ flag: argv['data-dir'] ?? [], env: process.env.BACKTEST_DATA_DIR, projectRoot });
      // As run folders: --out, else the first free of study-seed-<stamp>, -2, ... in
      // $BACKTEST_RUNS_DIR or the project's runs/; claimed before the work, so a taken name or
      // an unwritable place fails at once, and released (our .partial removed) on failure or a signal.
      const claim = argv.out
        ? claimOutputFolder(path.resolve(argv.out), { what: 'study folder' })
        : claimOutputFolder(defaultStudyDir(new Date(), runsBase(projectRoot)), { what: 'study folder', numbered: true, hint: 'set --out or BACKTEST_RUNS_DIR' });
      const showProgress = !argv.json && process.stderr.isTTY === true;
      // The folder is written once the work is done and a pending signal acted on (withClaimedFolder).
      const options: StudySeedOptions = {
        ...(argv.from !== undefined ? { from: argv.from } : {}),
        ...(argv.to !== undefined ? { to: argv.to } : {}),
        ...(argv.seed !== undefined ? { seed: argv.seed } : {}),
        ...(argv.backend !== undefined ? { backend: argv.backend } : {}),
        dataDirs,
        ...(showProgress ? { onProgress: (m: string) => io.err(`study seed: ${m}`) } : {}),
      };
      const { result: study, saved } = await withClaimedFolder(
        claim,
        () => studySeed(options, { projectRoot }),
        (folder, run) => saveStudy(run, folder),
      );
      if (argv.json) io.out(JSON.stringify(saved.document, null, 2));
      else io.out(formatStudySummary(study.result, saved.dir));
    },
  };
}
