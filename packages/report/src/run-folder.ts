/**
 * Run folders. A folder is built under `<dir>.partial` and renamed to `<dir>` only once every
 * file is in place, so a folder without the suffix is always complete, and an interrupted run
 * leaves at most a `.partial` folder that nothing reads. The writing is atomic-write.ts's
 * (`claimFolder`, `writeFolderAtomically`): its comment lists the guarantees.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { UserError } from '@backtest/core';
import { type FolderClaim, PARTIAL_SUFFIX, writeFileAtomic, writeFolderAtomically } from './atomic-write';
import { COMPARE_READ_BACK, compareRecordOf } from './compare/compare-folder';
import { compareReportBytes } from './compare/compare-report';
import { reportBytes } from './html/report';
import { parseJsonFile } from './schema';
import {
  MODELS_INDEX_FILE,
  modelFiles,
  parseModelsIndexJson,
  parsePositionsCsv,
  parsePredictionsCsv,
  parseReturnsCsv,
  parseSummaryJson,
  parseTrainingCsv,
  isCompareSummary,
  folderText,
  POSITIONS_FILE,
  positionsCsv,
  READ_BACK,
  PREDICTIONS_FILE,
  predictionsCsv,
  readRunFolderFiles,
  REPORT_FILE,
  RETURNS_FILE,
  returnsCsv,
  SUMMARY_FILE,
  summaryJson,
  TRAINING_FILE,
  trainingCsv,
  type ModelsIndexEntry,
} from './run-files';
import type { FitRecord, RunRecord } from './run-record';
import { parseUniversePositionsCsv, parseUniverseReturnsCsv, universePositionsCsv, universeReturnsCsv } from './universe-files';

export interface WrittenRunFolder {
  /** The complete folder (absolute path). */
  readonly dir: string;
  /** The file names written in it, in the order written. */
  readonly files: readonly string[];
}

/** `runs/<UTC YYYYMMDD-HHMMSS>-<strategy>` under `base` (default `runs`). */
export function defaultRunDir(strategy: string, now: Date = new Date(), base = 'runs'): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return path.join(base, `${stamp}-${strategy}`);
}

/**
 * The files of a run folder, by name: the data files, the saved models (models/fit-NNN/...,
 * models/index.json) when the run kept them, then the report drawn from the data files.
 */
function runFolderFiles(record: RunRecord): [string, string | Uint8Array][] {
  const u = record.universe;
  // The folder is read back by the assets summary.json names: they must be the series', in order.
  if (JSON.stringify(u?.assets) !== JSON.stringify(record.summary.universe?.assets.map((a) => a.name))) {
    throw new Error('internal: a universe record needs its series and its summary, of the same assets in the same order');
  }
  const files: [string, string | Uint8Array][] = [
    [SUMMARY_FILE, summaryJson(record)],
    [RETURNS_FILE, u ? universeReturnsCsv(record, u) : returnsCsv(record)],
    [POSITIONS_FILE, u ? universePositionsCsv(record, u) : positionsCsv(record)],
  ];
  if (record.forecasts?.length) files.push([PREDICTIONS_FILE, predictionsCsv(record)]);
  if (record.training?.length) files.push([TRAINING_FILE, trainingCsv(record)]);
  // One at a time: fits x files can outgrow the argument list of a spread.
  for (const f of modelFiles(record)) files.push(f);
  files.push([REPORT_FILE, reportBytes(record)]);
  return files;
}

/**
 * Writes the run folder `dir` (summary.json, returns.csv, positions.csv, predictions.csv and
 * training.csv for forecast strategies, models/ when the run saved its models, report.html),
 * all of it under `<dir>.partial` renamed at the end. `dir` is a folder name, claimed now, or a
 * claim made before the run (`claimFolder`). Refuses to replace an existing folder, and leaves
 * a `.partial` folder it did not create alone (a UserError names it).
 */
export function writeRunFolder(record: RunRecord, dir: string | FolderClaim): WrittenRunFolder {
  return writeFolderAtomically(dir, runFolderFiles(record), 'run folder');
}

/**
 * The texts of the files `names` of the complete folder `dir` (see readRunFolderFiles), with
 * summary.json among them: an interrupted (.partial) folder, a missing one, or one without a
 * summary.json is a UserError saying so.
 */
function readFolderTexts(dir: string, names: readonly string[]): Map<string, string> {
  const abs = path.resolve(dir);
  if (abs.endsWith(PARTIAL_SUFFIX)) {
    throw new UserError(`${dir} is an incomplete run folder (its run was interrupted before it finished writing)`);
  }
  if (!existsSync(abs)) {
    const hint = existsSync(abs + PARTIAL_SUFFIX) ? ` (only ${dir}${PARTIAL_SUFFIX}, an interrupted run, exists)` : '';
    throw new UserError(`no run folder ${dir}${hint}`);
  }
  // Each file read once, refused by name unless it is a regular file under the size cap (no FIFO,
  // device or giant file, not even one swapped in meanwhile), and all read before any is parsed.
  const texts = readRunFolderFiles(dir, names);
  if (!texts.has(SUMMARY_FILE)) throw new UserError(`${dir} is not a run folder: it has no ${SUMMARY_FILE}`);
  return texts;
}

/** The record of a complete run folder, from its summary.json and CSV files alone. */
export function readRunFolder(dir: string): RunRecord {
  return runRecordOf(dir, readFolderTexts(dir, READ_BACK));
}

function runRecordOf(dir: string, texts: ReadonlyMap<string, string>): RunRecord {
  const where = (name: string) => path.join(dir, name);
  const need = (name: string) => folderText(texts, dir, name, 'run');
  const head = parseSummaryJson(need(SUMMARY_FILE), where(SUMMARY_FILE));
  const assets = head.summary.universe?.assets.map((a) => a.name);
  const series = assets ? readUniverseSeries(need, where, assets) : readSeries(need, where);
  const predictions = texts.get(PREDICTIONS_FILE);
  const training = texts.get(TRAINING_FILE);
  const forecasts = predictions === undefined ? [] : parsePredictionsCsv(predictions, where(PREDICTIONS_FILE), assets);
  const epochs = training === undefined ? [] : parseTrainingCsv(training, where(TRAINING_FILE), assets);
  const index = texts.get(MODELS_INDEX_FILE);
  // The fit records only: the models themselves stay in their folders (loadModel reads one).
  const models = index === undefined ? [] : fitRecords(parseModelsIndexJson(index, where(MODELS_INDEX_FILE)));
  return {
    ...head,
    ...series,
    ...(forecasts.length ? { forecasts } : {}),
    ...(epochs.length ? { training: epochs } : {}),
    ...(models.length ? { models } : {}),
  };
}

type RunSeries = Pick<RunRecord, 'prices' | 'indicators' | 'periods' | 'universe'>;

/** The series of a run over one series, from positions.csv and returns.csv. */
function readSeries(need: (name: string) => string, where: (name: string) => string): RunSeries {
  const { prices, held, indicators } = parsePositionsCsv(need(POSITIONS_FILE), where(POSITIONS_FILE));
  const periods = parseReturnsCsv(need(RETURNS_FILE), where(RETURNS_FILE), held);
  return { prices, ...(indicators.length ? { indicators } : {}), periods };
}

/** The series of a run over the universe of `assets` (summary.json's), from positions.csv and returns.csv. */
function readUniverseSeries(need: (name: string) => string, where: (name: string) => string, assets: readonly string[]): RunSeries {
  const { prices, closes, held } = parseUniversePositionsCsv(need(POSITIONS_FILE), where(POSITIONS_FILE), assets);
  const { periods, weights, returns } = parseUniverseReturnsCsv(need(RETURNS_FILE), where(RETURNS_FILE), assets, held);
  return { prices, periods, universe: { assets, closes, weights, returns } };
}

/** The FitRecords of models/index.json's entries (those that carry one). */
function fitRecords(entries: readonly ModelsIndexEntry[]): FitRecord[] {
  return entries.flatMap((e) =>
    e.decision === undefined || e.trainFrom === undefined || e.trainTo === undefined || e.rows === undefined
      ? []
      : [{ fit: e.fit, ...(e.asset === undefined ? {} : { asset: e.asset }), decision: e.decision, trainFrom: e.trainFrom, trainTo: e.trainTo, rows: e.rows }],
  );
}

/**
 * Rebuilds `<dir>/report.html` from the folder's files, of a run folder or of a compare folder
 * (its summary.json says `"command": "compare"`); returns the report's path. A write the
 * place refuses (a folder not writable, a directory at report.html) is a UserError naming the
 * file; a failing disk (full, I/O error) an Error naming it (exit 1), as for every writer.
 */
export function rebuildReport(dir: string): string {
  // Every file either kind of folder has, read before any is parsed; summary.json says which kind it is.
  const texts = readFolderTexts(dir, [...new Set([...READ_BACK, ...COMPARE_READ_BACK])]);
  const html = isCompareSummary(parseJsonFile(texts.get(SUMMARY_FILE)!, path.join(dir, SUMMARY_FILE)))
    ? compareReportBytes(compareRecordOf(dir, texts))
    : reportBytes(runRecordOf(dir, texts));
  const file = path.join(path.resolve(dir), REPORT_FILE);
  try {
    writeFileAtomic(file, html);
  } catch (err) {
    throw cannotWrite(file, err);
  }
  return file;
}

/** A failed write of `file` as an error naming it: the user's to fix (exit 2) unless the disk failed. */
function cannotWrite(file: string, err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code !== 'string') return err as Error; // not a refusal of the system: a bug, as it is
  const reason = e.message;
  switch (e.code) {
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new UserError(`cannot write ${file}: ${path.dirname(file)} is not writable (${reason})`);
    case 'EISDIR':
      return new UserError(`cannot write ${file}: it is a directory`);
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EIO':
      return Object.assign(new Error(`cannot write ${file}: ${reason}`), { code: e.code });
    default:
      return new UserError(`cannot write ${file}: ${reason}`);
  }
}
