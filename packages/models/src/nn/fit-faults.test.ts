/**
 * The two faults of a fit that are the user's to fix: divergence, detected in every trainer from
 * the losses it computes anyway, and a network too big for memory, refused before anything is
 * allocated. Both are UserErrors (exit code 2) that name the setting to change.
 */
import { UserError } from '@backtest/core';
import { thrownBy } from '@backtest/core/testing';
import { featureRows, linearTarget } from '../__fixtures__/test-data';
import type { Features, Target } from '../model';
import {
  checkFitSize,
  CROSS_ENTROPY_DIVERGENCE_FACTOR,
  DIVERGENCE_FACTOR,
  divergenceThreshold,
  fitSize,
  MAX_FIT_BYTES,
  NetworkDivergedError,
  NetworkTooLargeError,
} from './fit-faults';
import { fitWithOracle, type NnFitOptions, NnModel } from './nn-model';
import { type EpochRunner, TrainingDiverged, trainLoop } from './train-loop';

const small = { inputSize: 2, layers: [{ units: 10, activation: 'relu' as const }, { units: 1 }] };
const x = featureRows(200, 1);
const y = x.map(linearTarget);

const fitError = (fit: () => unknown): NetworkDivergedError => thrownBy(fit, NetworkDivergedError);

/** The trainers, and the float64 oracle through the same driver. */
type Runner = 'simd' | 'tfjs' | 'oracle';
const fitBy = (runner: Runner, model: NnModel, x: Features, y: Target, options: NnFitOptions) =>
  runner === 'oracle' ? fitWithOracle(model, x, y, options) : model.fit(x, y, { ...options, trainer: runner });

describe.each(['simd', 'tfjs', 'oracle'] as const)('%s', (trainer) => {
  const fit = (model: NnModel, xs: Features, ys: Target, options: NnFitOptions) => fitBy(trainer, model, xs, ys, options);

  it('stops a diverging SGD fit at the epoch whose loss blew up, naming the learning rate', () => {
    const model = new NnModel({ network: small, optimizer: { name: 'sgd', learningRate: 1.5 } });
    const e = fitError(() => fit(model, x, y, { epochs: 20, seed: 3 }));
    expect(e).toBeInstanceOf(UserError);
    expect(e.exitCode).toBe(2);
    expect(e.details).toMatchObject({ epoch: 2, monitor: 'training loss', optimizer: 'sgd', learningRate: 1.5, defaultLearningRate: false });
    expect(e.details.value).toBeGreaterThan(DIVERGENCE_FACTOR * e.details.before!);
    // The same numbers on every trainer, to float32 rounding: 2.11e+6 against 0.158.
    expect(e.message).toBe('network training diverged at epoch 2 (training loss 2.11e+6, up from 0.158 before training): lower learningRate (now 1.5)');
    // The model is left unfitted, not holding NaN weights.
    expect(() => model.predict([[0, 0]])).toThrow('network is not fitted');
  });

  it('stops a fit whose loss is not finite at all', () => {
    const model = new NnModel({ network: small, optimizer: { name: 'sgd', learningRate: 5 } });
    const e = fitError(() => fit(model, x, y, { epochs: 20, seed: 3 }));
    expect(e.details.epoch).toBe(1);
    expect(e.details.value > DIVERGENCE_FACTOR * e.details.before! || !Number.isFinite(e.details.value)).toBe(true);
    expect(e.message).toMatch(/^network training diverged at epoch 1 \(training loss [^)]+\): lower learningRate \(now 5\)$/);
  });

  it('stops Adam at a rate far too high, whose loss stays finite but a billion times too big', () => {
    const model = new NnModel({ network: small, optimizer: { name: 'adam', learningRate: 100 } });
    const e = fitError(() => fit(model, x, y, { epochs: 20, seed: 3 }));
    expect(Number.isFinite(e.details.value)).toBe(true);
    expect(e.details).toMatchObject({ epoch: 1, optimizer: 'adam', learningRate: 100 });
  });

  it('says when the learning rate is the default one', () => {
    // Inputs 30 times larger make SGD's default step far too long for them.
    const wide = x.map((r) => r.map((v) => 30 * v));
    const model = new NnModel({ network: small, optimizer: 'sgd' });
    const e = fitError(() => fit(model, wide, y, { epochs: 20, seed: 3 }));
    expect(e.message).toMatch(/: lower learningRate \(now 0\.01, the sgd default\)$/);
  });

  it('leaves a healthy fit alone, with a validation set and early stopping too', () => {
    const model = new NnModel({ network: small, optimizer: { name: 'adam', learningRate: 0.02 } });
    const xv = featureRows(50, 2);
    const result = fit(model, x, y, { epochs: 30, seed: 3, validation: { x: xv, y: xv.map(linearTarget) }, earlyStopping: { patience: 3, restoreBestWeights: true } });
    expect(result.history.loss.every(Number.isFinite)).toBe(true);
    model.dispose();
  });

  describe('with binary cross-entropy', () => {
    const sigmoidOut = {
      inputSize: 2,
      layers: [
        { units: 10, activation: 'relu' as const },
        { units: 1, activation: 'sigmoid' as const },
      ],
    };
    const up = y.map((v) => (v > 0.1 ? 1 : 0));

    it('stops a fit whose sigmoid saturates, confidently wrong on many rows, judged against ln 2 rather than the targets', () => {
      const model = new NnModel({ network: sigmoidOut, optimizer: { name: 'sgd', learningRate: 30 } });
      const e = fitError(() => fit(model, x, up, { epochs: 20, seed: 3, loss: 'binaryCrossentropy' }));
      expect(e.details).toMatchObject({ monitor: 'training loss', optimizer: 'sgd', learningRate: 30 });
      // Near ln 2 before training; past 4 times that, and below the clip's cap of 16.1 a row.
      expect(Math.abs(e.details.before! - Math.LN2)).toBeLessThan(0.1);
      expect(e.details.value).toBeGreaterThan(CROSS_ENTROPY_DIVERGENCE_FACTOR * Math.LN2);
      expect(e.details.value).toBeLessThan(-Math.log(1e-7));
      expect(e.message).toMatch(/^network training diverged at epoch \d \(training loss [\d.]+, up from 0\.\d+ before training\): lower learningRate \(now 30\)$/);
      expect(() => model.predict([[0, 0]])).toThrow('network is not fitted');
    });

    it('leaves a fit with a high but workable learning rate alone', () => {
      const model = new NnModel({ network: sigmoidOut, optimizer: { name: 'sgd', learningRate: 5 } });
      const result = fit(model, x, up, { epochs: 20, seed: 3, loss: 'binaryCrossentropy' });
      expect(result.history.loss[19]!).toBeLessThan(0.2);
      model.dispose();
    });
  });
});

/** A runner that reports the given epoch losses (and validation losses), training nothing. */
function scripted(losses: readonly number[], valLosses?: readonly number[], initial = 1): EpochRunner<number> {
  let epoch = 0;
  return {
    runEpoch: () => (losses[epoch++] as number) * 10,
    validationLoss: () => (valLosses ? (valLosses[epoch - 1] as number) : Number.NaN),
    snapshot: () => epoch,
    restore: () => {},
    release: () => {},
    currentWeights: () => [],
    initialLoss: () => (epoch === 0 ? Number.NaN : initial),
  };
}
const loop = { rows: 10, epochs: 5, shuffle: false, seed: 1, hasValidation: false };

describe('divergenceThreshold', () => {
  it("scales MSE by the untrained loss or the targets' mean square, cross-entropy by ln 2 or the untrained loss", () => {
    expect(divergenceThreshold('mse', 0.5, 2)).toBe(DIVERGENCE_FACTOR * 2);
    expect(divergenceThreshold('mse', 3, 2)).toBe(DIVERGENCE_FACTOR * 3);
    // The targets' mean square means nothing to cross-entropy (0/1 targets: the share of ones).
    expect(divergenceThreshold('binaryCrossentropy', 0.1, 0.9)).toBe(CROSS_ENTROPY_DIVERGENCE_FACTOR * Math.LN2);
    expect(divergenceThreshold('binaryCrossentropy', 1.5, 0.9)).toBe(CROSS_ENTROPY_DIVERGENCE_FACTOR * 1.5);
    expect(divergenceThreshold('binaryCrossentropy', Number.NaN)).toBe(CROSS_ENTROPY_DIVERGENCE_FACTOR * Math.LN2);
    // A threshold cross-entropy can reach: below its cap of -ln(1e-7) a row.
    expect(divergenceThreshold('binaryCrossentropy', Math.LN2)).toBeLessThan(-Math.log(1e-7));
  });
});

describe('trainLoop', () => {
  it('throws at the first epoch whose training loss is NaN or infinite', () => {
    expect(() => trainLoop(scripted([1, 0.5, Number.NaN, 0.1, 0.1]), loop)).toThrow(new TrainingDiverged(3, 'training loss', Number.NaN, 1));
    expect(() => trainLoop(scripted([1, Number.POSITIVE_INFINITY, 1, 1, 1]), loop)).toThrow(TrainingDiverged);
  });

  it("throws when the loss grows past DIVERGENCE_FACTOR times the larger of the untrained loss and the targets' mean square", () => {
    expect(() => trainLoop(scripted([1, 2e6, 1, 1, 1], undefined, 1), loop)).toThrow(TrainingDiverged);
    expect(() => trainLoop(scripted([1, 0.9e6, 1, 1, 1], undefined, 1), loop)).not.toThrow();
    // The loss of forecasting 0 sets the scale when the untrained network happened to fit well.
    expect(() => trainLoop(scripted([1, 2e6, 1, 1, 1], undefined, 1e-3), { ...loop, targetMeanSquare: 4 })).not.toThrow();
    expect(() => trainLoop(scripted([1, 2e6, 1, 1, 1], undefined, 1e-3), loop)).toThrow(TrainingDiverged);
  });

  it('judges a cross-entropy loss against ln 2 when told the loss', () => {
    const bce = { ...loop, loss: 'binaryCrossentropy' as const };
    expect(() => trainLoop(scripted([0.69, 0.5, 2.9, 0.4, 0.3], undefined, 0.69), bce)).toThrow(new TrainingDiverged(3, 'training loss', 2.9, 0.69));
    expect(() => trainLoop(scripted([0.69, 0.5, 2.7, 0.4, 0.3], undefined, 0.69), bce)).not.toThrow();
    // The same losses as MSE are far from a millionfold growth.
    expect(() => trainLoop(scripted([0.69, 0.5, 2.9, 0.4, 0.3], undefined, 0.69), loop)).not.toThrow();
    expect(() => trainLoop(scripted([0.69, Number.NaN, 0.5, 0.4, 0.3], undefined, 0.69), bce)).toThrow(TrainingDiverged);
  });

  it('throws when the validation loss is not finite, and runs every epoch of a healthy fit', () => {
    const validating = { ...loop, hasValidation: true };
    expect(() => trainLoop(scripted([1, 1, 1, 1, 1], [1, 1, Number.NaN, 1, 1]), validating)).toThrow(new TrainingDiverged(3, 'validation loss', Number.NaN, 1));
    expect(trainLoop(scripted([1, 0.8, 0.6, 0.5, 0.4], [1, 1, 1, 1, 1]), validating).epochsRun).toBe(5);
  });
});

describe('the divergence message', () => {
  const details = { epoch: 2, monitor: 'training loss' as const, value: Number.NaN, optimizer: 'sgd' as const, learningRate: 1.5, defaultLearningRate: false };
  it('names the fit, its refit period and the strategy as context is added on the way out', () => {
    const e = new NetworkDivergedError(details);
    expect(e.message).toBe('network training diverged at epoch 2 (training loss NaN): lower learningRate (now 1.5)');
    expect(e.withContext({ fit: 3 }).message).toBe('fit 3 diverged at epoch 2 (training loss NaN): lower learningRate (now 1.5)');
    expect(e.withContext({ fit: 3 }).withContext({ strategy: 'nn-sma', refit: '1994-01' }).message).toBe(
      'strategy "nn-sma": fit 3 (refit at 1994-01) diverged at epoch 2 (training loss NaN): lower learningRate (now 1.5)',
    );
  });
});

describe('fitSize and checkFitSize', () => {
  it('counts the weights of a dense stack as the layers format stores them', () => {
    expect(fitSize(small, { optimizer: 'sgd', batchRows: 32 }).weights).toBe(41);
    const deep = { inputSize: 2, layers: [{ units: 300 }, { units: 100 }, { units: 1 }] };
    expect(fitSize(deep, { optimizer: 'sgd', batchRows: 32 })).toMatchObject({ weights: 31101, layers: '2-300-100-1' });
  });

  it('estimates weights, gradients, optimizer state and a batch', () => {
    const sgd = fitSize(small, { optimizer: 'sgd', batchRows: 0 }).bytes;
    expect(fitSize(small, { optimizer: 'adam', batchRows: 0 }).bytes).toBe(sgd + 16 * 41);
    expect(fitSize(small, { optimizer: 'sgd', batchRows: 0, earlyStopping: true }).bytes).toBe(sgd + 4 * 41);
    // 2 + 10 + 1 units a row, 12 bytes each (activation and delta).
    expect(fitSize(small, { optimizer: 'sgd', batchRows: 32 }).batchBytes).toBe(32 * 13 * 12);
  });

  it('refuses a network over the bound before anything is allocated, saying how many weights it has', () => {
    const huge = { inputSize: 2, layers: [{ units: 100_000 }, { units: 100_000 }, { units: 1 }] };
    expect(() => checkFitSize(huge, { optimizer: 'sgd', batchRows: 32 })).toThrow(NetworkTooLargeError);
    expect(() => checkFitSize(huge, { optimizer: 'sgd', batchRows: 32 })).toThrow(
      /^a 2-100000-100000-1 network has 10,000,500,001 weights: a fit would need about 280 GB \(weights, gradients, optimizer state and a batch's activations\), more than the 1 GB a fit may use; use fewer or smaller hidden layers$/,
    );
    const model = new NnModel({ network: huge });
    expect(() => model.fit([[0, 0]], [0])).toThrow(NetworkTooLargeError);
  });

  it("accepts the study's deep network, and says when the batch is what is too big", () => {
    expect(checkFitSize({ inputSize: 2, layers: [{ units: 300 }, { units: 100 }, { units: 1 }] }, { optimizer: 'adam', batchRows: 600 }).bytes).toBeLessThan(MAX_FIT_BYTES / 100);
    const wide = { inputSize: 2, layers: [{ units: 100_000 }, { units: 1 }] };
    expect(() => checkFitSize(wide, { optimizer: 'sgd', batchRows: 1_000_000 })).toThrow(/; use a smaller batchSize, or fewer or smaller hidden layers$/);
  });
});
