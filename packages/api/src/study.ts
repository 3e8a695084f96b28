import { UserError } from '@backtest/core';
import { dataDirectories, findProjectRoot } from '@backtest/data';
import type { FolderClaim } from '@backtest/report';
import { runStudy, type StudyOptions, type StudyResult, studyDocument, writeStudyFolder } from '@backtest/study';

/** What `studySeed` takes: the study's options (their defaults are @backtest/study's) and where to write its folder. */
export interface StudySeedOptions extends Omit<StudyOptions, 'projectRoot'> {
  /** The study folder to write (a path, or a claim made before); none: the document only, with no `folder`. */
  readonly out?: string | FolderClaim;
}

/** A study: the document `backtest study seed --json` prints, the result behind it, and the folder written. */
export interface StudySeedRun {
  readonly document: Record<string, unknown>;
  readonly result: StudyResult;
  readonly folder?: string;
}

/** A study seed is a whole number >= 0 (undefined: the study's default). */
export function checkStudySeed(seed: number | undefined): void {
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) throw new UserError(`--seed must be a whole number >= 0, got ${seed}`);
}

/** The seed article's five experiments re-run exactly, the leak measured (`backtest study seed`). */
export async function studySeed(options: StudySeedOptions = {}, context: { readonly projectRoot?: string } = {}): Promise<StudySeedRun> {
  checkStudySeed(options.seed);
  const projectRoot = context.projectRoot ?? findProjectRoot(__dirname);
  const { out, ...study } = options;
  const dataDirs = study.dataDirs ?? dataDirectories({ projectRoot, env: process.env.BACKTEST_DATA_DIR });
  const result = await runStudy({ ...study, dataDirs, projectRoot });
  const run: StudySeedRun = { document: studyDocument(result), result };
  return out === undefined ? run : saveStudy(run, out);
}

/** Writes the study folder (study.html, the figures' data) into `dir`, a claim or a name; the document then names it. */
export function saveStudy(run: StudySeedRun, dir: string | FolderClaim): StudySeedRun & { readonly folder: string; readonly dir: string } {
  const folder = writeStudyFolder(run.result, dir).dir;
  return { document: studyDocument(run.result, folder), result: run.result, folder, dir: folder };
}
