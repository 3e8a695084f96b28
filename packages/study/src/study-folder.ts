/**
 * The study folder: study.html and the data behind every figure. Built under `<dir>.partial`
 * and renamed once every file is in place, so a folder without the suffix is always complete
 * (the one folder writer, @backtest/report's claimFolder / writeFolderAtomically, whose
 * comment lists the guarantees).
 */
import * as path from 'node:path';
import { type CsvCell, formatCsv } from '@backtest/core/internal';
import { asClaim, type FolderClaim } from '@backtest/report';
import { architectureSvg } from './figures/architecture-svg';
import { studyCharts } from './figures/study-charts';
import { buildStudyPage } from './figures/study-page';
import { leakErrors } from './leak';
import { STUDY_NETWORKS } from './networks';
import { SPLIT } from './prepare';
import type { Coefficients } from './regression';
import type { StudyResult } from './run-study';
import { studyDocument } from './study-json';
const STUDY_PAGE = 'study.html';

export interface WrittenStudyFolder {
  /** The complete folder (absolute path). */
  readonly dir: string;
  /** Paths written, relative to the folder, in the order written. */
  readonly files: readonly string[];
}

/** `runs/study-seed-<UTC YYYYMMDD-HHMMSS>` under `base`. */
export function defaultStudyDir(now: Date = new Date(), base = 'runs'): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return path.join(base, `study-seed-${stamp}`);
}

/** The project's one CSV writer (`formatCsv` of @backtest/core); a flag is written `true` or `false`. */
function csv(header: readonly string[], rows: readonly (readonly (CsvCell | boolean)[])[]): string {
  return formatCsv(
    header,
    rows.map((r) => r.map((c) => (typeof c === 'boolean' ? String(c) : c))),
  );
}

const epochs = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const coefficientRow = (name: string, c: Coefficients): CsvCell[] => [name, c.intercept, c.close, c.sma];

/** Every file of the folder, by relative path; text or bytes. */
function studyFolderFiles(r: StudyResult, folder?: string): [string, string | Buffer][] {
  const e = r.experiments;
  const es = e.earlyStopping;
  const reg = r.regression;
  const leak = r.leak;
  const inSplit = (label: string) => [label <= SPLIT.trainEnd, label >= SPLIT.validStart && label <= SPLIT.validEnd, label >= SPLIT.testStart];
  const files: [string, string | Buffer][] = [
    ['study.json', `${JSON.stringify(studyDocument(r, folder), null, 2)}\n`],
    [
      'data.csv',
      csv(
        ['month', 'close', 'sma', 'ret', 'target', 'close_z', 'sma_z', 'ret_z', 'target_z', 'target_mean', 'target_sd', 'close_mean', 'close_sd', 'train', 'valid', 'test'],
        r.prepared.rows.map((w) => [
          w.label,
          w.close,
          w.sma,
          w.ret,
          w.target,
          w.z.close,
          w.z.sma,
          w.z.ret,
          w.z.target,
          w.targetStats.mean,
          w.targetStats.sd,
          w.closeStats.mean,
          w.closeStats.sd,
          ...inSplit(w.label),
        ]),
      ),
    ],
    [
      'prices.csv',
      csv(
        ['month', 'close', 'sma10'],
        r.prices.labels.map((l, i) => [l, r.prices.close[i], r.prices.sma[i]]),
      ),
    ],
    ['architectures.json', `${JSON.stringify(STUDY_NETWORKS, null, 2)}\n`],
    ...STUDY_NETWORKS.map((net): [string, string] => [`architecture-${net.id}.svg`, `${architectureSvg(net)}\n`]),
    [
      'experiment1.csv',
      csv(
        ['epoch', 'train_rmse'],
        epochs(e.network.train.length).map((k) => [k, e.network.train[k - 1]]),
      ),
    ],
    [
      'experiment2.csv',
      csv(
        ['epoch', 'train_rmse', 'valid_rmse'],
        epochs(e.validation.train.length).map((k) => [k, e.validation.train[k - 1], e.validation.valid?.[k - 1]]),
      ),
    ],
    [
      'experiment3.csv',
      csv(
        ['epoch', 'train_rmse', 'valid_rmse', 'best'],
        epochs(es.train.length).map((k) => [k, es.train[k - 1], es.valid[k - 1], k === es.bestEpoch]),
      ),
    ],
    [
      'experiment4.csv',
      csv(
        ['epoch', 'train_rmse', 'bias', 'close_weight', 'sma_weight', 'regression_residual_rmse'],
        epochs(e.neuron.train.length).map((k) => {
          const c = e.neuron.coefficientsByEpoch[k - 1]!;
          return [k, e.neuron.train[k - 1], c.intercept, c.close, c.sma, reg.residualRmse];
        }),
      ),
    ],
    [
      'coefficients.csv',
      csv(
        ['model', 'intercept', 'close', 'sma'],
        [coefficientRow('regression', reg.coefficients), coefficientRow('regression_standard_error', reg.standardErrors), coefficientRow('neuron', e.neuron.coefficients)],
      ),
    ],
    [
      'experiment5.csv',
      csv(
        ['epoch', 'train_rmse', 'valid_rmse', 'best', 'regression_train_rmse', 'regression_valid_rmse'],
        epochs(e.deep.train.length).map((k) => [k, e.deep.train[k - 1], e.deep.valid[k - 1], k === e.deep.bestEpoch, reg.residualRmse, reg.validRmse]),
      ),
    ],
    [
      'leak.csv',
      csv(
        ['target_scaling', 'leaks', 'intercept', 'close', 'sma', 'train_rmse_own_units', 'valid_rmse_own_units', 'price_pct_rmse_train', 'price_pct_rmse_valid'],
        [
          ['own_trailing_stats', true, ...coefficientRow('', leak.leaky.coefficients).slice(1), ...leakErrors(leak.leaky)],
          ['close_trailing_stats_at_t', false, ...coefficientRow('', leak.noLeak.coefficients).slice(1), ...leakErrors(leak.noLeak)],
          ['no_change_forecast', false, undefined, undefined, undefined, undefined, undefined, leak.noChangePctRmse.train, leak.noChangePctRmse.valid],
        ],
      ),
    ],
    ['figures.json', `${JSON.stringify(Object.fromEntries(studyCharts(r).map((c) => [c.id, { dataFile: c.dataFile, caption: c.caption, spec: c.spec }])), null, 1)}\n`],
    ...Object.entries(es.checkpoint.files).map(([name, bytes]): [string, Buffer] => [path.join('checkpoint', name), bytes]),
    [STUDY_PAGE, buildStudyPage(r)],
  ];
  return files;
}

/**
 * Writes the study folder `dir`: a folder name, claimed now, or a claim made before the study
 * (`claimFolder`). Refuses to replace an existing folder, leaves a `.partial` folder it did not
 * create alone (a UserError names it), and a failure removes what it wrote.
 */
export function writeStudyFolder(result: StudyResult, dir: string | FolderClaim): WrittenStudyFolder {
  const claim = asClaim(dir, 'study folder');
  return claim.publish(studyFolderFiles(result, claim.dir));
}
