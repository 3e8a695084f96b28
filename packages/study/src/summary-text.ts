import type { Coefficients } from './regression';
import type { StudyResult } from './run-study';

const n4 = (v: number) => v.toFixed(4);

/** Left-aligned first column, right-aligned numbers, two spaces between columns. */
function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [head, ...rows];
  const widths = head.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

const coefficientCells = (c: Coefficients) => [n4(c.intercept), n4(c.close), n4(c.sma)];

/** Compact per-epoch RMSEs: `1.1590 0.9677 ...`. */
const curve = (values: readonly number[]) => values.map(n4).join(' ');

/** The readable terminal summary of a study: tables, the conclusions, the leak and the folder. */
export function formatStudySummary(r: StudyResult, folder?: string): string {
  const e = r.experiments;
  const reg = r.regression;
  const es = e.earlyStopping;
  const leak = r.leak;
  const out: string[] = [
    `Study "seed": S&P 500 (^GSPC) month-end ${r.from} .. ${r.to}, seed ${r.seed}, backend ${r.backend}, ${r.seconds.total!.toFixed(1)} s`,
    '',
    `WARNING: ${leak.note}`,
    '',
    `Rows: train ${r.rows.train}, validation ${r.rows.valid}, test ${r.rows.test}; first usable row ${r.rows.firstRow}, last ${r.rows.lastRow}`,
    '',
    'Coefficients (experiment 4):',
    ...table(
      ['model', 'intercept/bias', 'close', 'sma'],
      [
        ['regression (OLS)', ...coefficientCells(reg.coefficients)],
        ['  standard error', ...coefficientCells(reg.standardErrors)],
        [`neuron (SGD, ${e.neuron.coefficientsByEpoch.length} epochs)`, ...coefficientCells(e.neuron.coefficients)],
      ],
    ).map((l) => `  ${l}`),
    '',
    `Regression RMSE: training ${n4(reg.residualRmse)} (sqrt(SSR/(n-k)); sqrt(SSR/n) ${n4(reg.trainRmse)}), validation ${n4(reg.validRmse)}`,
    '',
    'RMSE by epoch (standardised units):',
    `  exp 1  2-10-1 train       ${curve(e.network.train)}`,
    `  exp 2  2-10-1 train       ${curve(e.validation.train)}`,
    `         2-10-1 valid       ${curve(e.validation.valid ?? [])}`,
    `  exp 3  stopped after epoch ${es.stoppedAt}, restored epoch ${es.bestEpoch}: validation RMSE ${n4(es.restoredValidRmse)}; ` +
      `reloaded from disk ${n4(es.checkpoint.reloadedValidRmse)}, predictions ${es.checkpoint.identical ? 'identical' : `differ by up to ${es.checkpoint.maxAbsDifference}`}`,
    `  exp 4  neuron train       ${curve(e.neuron.train)}`,
    `  exp 5  2-300-100-1 train  ${curve(e.deep.train)}`,
    `         2-300-100-1 valid  ${curve(e.deep.valid)}`,
    `         stopped after epoch ${e.deep.stoppedAt}, restored epoch ${e.deep.bestEpoch}: validation RMSE ${n4(e.deep.restoredValidRmse)}`,
    '',
    'Conclusions (computed from this run):',
    ...r.conclusions.statements.map((s) => `  - ${s}`),
    '',
    'The leak, measured (the same OLS, target scaled two ways; price error = RMSE of the % error of the forecast close):',
    ...table(
      ['target scaled by', 'intercept', 'close', 'sma', 'price err train %', 'price err valid %'],
      [
        ['own trailing stats (study, leaks)', ...coefficientCells(leak.leaky.coefficients), n4(leak.leaky.pricePctRmse.train), n4(leak.leaky.pricePctRmse.valid)],
        ["close's stats at t (no leak)", ...coefficientCells(leak.noLeak.coefficients), n4(leak.noLeak.pricePctRmse.train), n4(leak.noLeak.pricePctRmse.valid)],
        ['no-change forecast', '', '', '', n4(leak.noChangePctRmse.train), n4(leak.noChangePctRmse.valid)],
      ],
    ).map((l) => `  ${l}`),
    `  The study's normalisation leaks the future. ${leak.verdict}`,
  ];
  if (folder) out.push('', `Study folder: ${folder} (open study.html)`);
  return out.join('\n');
}
