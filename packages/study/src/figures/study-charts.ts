import { charts } from '@backtest/report';
import type { StudyResult } from '../run-study';
import { coefficientChart } from './coefficient-chart';

/** One Vega-Lite figure of the study page, with the file that holds its data. */
export interface StudyChart {
  readonly id: string;
  readonly caption: string;
  /** The CSV in the study folder with the numbers drawn. */
  readonly dataFile: string;
  readonly spec: unknown;
}

const RMSE_AXIS = 'RMSE (standardised units)';

/** The article's figures as Vega-Lite specs (data inline), built with the report package's chart builders. */
export function studyCharts(r: StudyResult): StudyChart[] {
  const e = r.experiments;
  const reg = r.regression;
  const es = e.earlyStopping;
  const coefficientsByEpoch = e.neuron.coefficientsByEpoch;
  return [
    {
      id: 'price-sma',
      caption: `Month-end close of the S&P 500 (^GSPC), ${r.from} to ${r.to}, on a log scale, with its 10-month simple moving average.`,
      dataFile: 'prices.csv',
      spec: charts.priceSmaChart({ title: 'S&P 500 with its 10-month SMA', asset: 'S&P 500', labels: r.prices.labels, close: r.prices.close, window: 10, periodName: 'month' }),
    },
    {
      id: 'experiment-1',
      caption:
        `Experiment 1: training RMSE of the 2-10-1 network by epoch (SGD, learning rate 0.01, batch 32, seed ${r.seed}). ` +
        `It falls from ${e.network.train[0]!.toFixed(3)} to ${e.network.train[e.network.train.length - 1]!.toFixed(3)}; the article reports above 1.3 to below 0.8.`,
      dataFile: 'experiment1.csv',
      spec: charts.epochChart({
        title: 'Experiment 1: training RMSE by epoch',
        subtitle: '2 → 10 (ReLU) → 1, 20 epochs',
        series: [{ name: 'Training RMSE', values: e.network.train }],
        yTitle: RMSE_AXIS,
      }),
    },
    {
      id: 'experiment-2',
      caption: 'Experiment 2: the same network and seed, with the validation years (1991-2000) evaluated after every epoch.',
      dataFile: 'experiment2.csv',
      spec: charts.epochChart({
        title: 'Experiment 2: training and validation RMSE by epoch',
        subtitle: '2 → 10 (ReLU) → 1, 20 epochs',
        series: [
          { name: 'Training RMSE', values: e.validation.train },
          { name: 'Validation RMSE', values: e.validation.valid ?? [] },
        ],
        yTitle: RMSE_AXIS,
      }),
    },
    {
      id: 'experiment-3',
      caption:
        `Experiment 3: early stopping (patience 2) stopped after epoch ${es.stoppedAt} and restored epoch ${es.bestEpoch}, ` +
        `whose validation RMSE is ${es.restoredValidRmse.toFixed(4)}; the checkpoint reloaded from disk gives ${es.checkpoint.reloadedValidRmse.toFixed(4)} ` +
        `(predictions ${es.checkpoint.identical ? 'identical' : `differ by up to ${es.checkpoint.maxAbsDifference}`}).`,
      dataFile: 'experiment3.csv',
      spec: charts.epochChart({
        title: 'Experiment 3: early stopping with a checkpoint',
        subtitle: `stopped after epoch ${es.stoppedAt}; best (restored) epoch ${es.bestEpoch}`,
        series: [
          { name: 'Training RMSE', values: es.train },
          { name: 'Validation RMSE', values: es.valid },
        ],
        references: [{ name: `Reloaded best (epoch ${es.bestEpoch})`, value: es.checkpoint.reloadedValidRmse }],
        yTitle: RMSE_AXIS,
      }),
    },
    {
      id: 'experiment-4',
      caption:
        `Experiment 4: a single linear neuron trained by SGD for 8 epochs against ordinary least squares on the same rows; ` +
        `the line is the regression's residual RMSE sqrt(SSR/(n-k)) = ${reg.residualRmse.toFixed(4)}.`,
      dataFile: 'experiment4.csv',
      spec: charts.epochChart({
        title: 'Experiment 4: a linear neuron against the regression',
        subtitle: '2 → 1 (linear), 8 epochs',
        series: [{ name: 'Neuron training RMSE', values: e.neuron.train }],
        references: [{ name: 'OLS residual RMSE', value: reg.residualRmse }],
        yTitle: RMSE_AXIS,
      }),
    },
    {
      id: 'experiment-4-coefficients',
      caption: "Experiment 4: the neuron's bias and weights after each epoch (solid) approaching the regression's coefficients (dashed).",
      dataFile: 'experiment4.csv',
      spec: coefficientChart({
        title: 'Experiment 4: neuron coefficients by epoch',
        subtitle: 'solid: the neuron after each epoch; dashed, same colour: the regression coefficient',
        targetLabel: 'Regression coefficient',
        paths: [
          { name: 'Bias / intercept', values: coefficientsByEpoch.map((c) => c.intercept), target: reg.coefficients.intercept, color: '#1f5fbf' },
          { name: 'Close weight', values: coefficientsByEpoch.map((c) => c.close), target: reg.coefficients.close, color: '#e08a1e' },
          { name: 'SMA weight', values: coefficientsByEpoch.map((c) => c.sma), target: reg.coefficients.sma, color: '#2e9e5b' },
        ],
      }),
    },
    {
      id: 'experiment-5',
      caption:
        `Experiment 5: the 2-300-100-1 network with early stopping (patience 2), stopped after epoch ${e.deep.stoppedAt}; ` +
        `the lines are the regression's training (residual) RMSE ${reg.residualRmse.toFixed(4)} and validation RMSE ${reg.validRmse.toFixed(4)}.`,
      dataFile: 'experiment5.csv',
      spec: charts.epochChart({
        title: 'Experiment 5: a deeper network against the regression',
        subtitle: '2 → 300 (ReLU) → 100 (ReLU) → 1',
        series: [
          { name: 'Training RMSE', values: e.deep.train },
          { name: 'Validation RMSE', values: e.deep.valid },
        ],
        references: [
          { name: 'OLS training', value: reg.residualRmse },
          { name: 'OLS validation', value: reg.validRmse },
        ],
        yTitle: RMSE_AXIS,
      }),
    },
  ];
}
