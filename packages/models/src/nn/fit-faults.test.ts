/**
 * The two faults of a fit that are the user's to fix: divergence, detected in every trainer from
 * the losses it computes anyway, and a network too big for memory, refused before anything is
 * allocated. Both are UserErrors (exit code 2) that name the setting to change.
 */
import { UserError } from '@backtest/core';
import { thrownBy } from '@backtest/core/testing';
import { featureRows, linearTarget } from '../__fixtures__/test-data';
import { checkFitSize, DIVERGENCE_FACTOR, fitSize, MAX_FIT_BYTES, NetworkDivergedError, NetworkTooLargeError } from './fit-faults';
import { NnModel } from './nn-model';
import { type EpochRunner, TrainingDiverged, trainLoop } from './train-loop';

const small = { inputSize: 2, layers: [{ units: 10, activation: 'relu' as const }, { units: 1 }] };
const x = featureRows(200, 1);
const y = x.map(linearTarget);

const fitError = (fit: () => unknown): NetworkDivergedError => thrownBy(fit, NetworkDivergedError);

describe.each(['fused', 'simd', 'tfjs'] as const)('the %s trainer', (trainer) => {
  it('stops a diverging SGD fit at the epoch whose loss blew up, naming the learning rate', () => {
    const model = new NnModel({ network: small, optimizer: { name: 'sgd', learningRate: 1.5 } });
    const e = fitError(() => model.fit(x, y, { epochs: 20, seed: 3, trainer }));
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
    const e = fitError(() => model.fit(x, y, { epochs: 20, seed: 3, trainer }));
    expect(e.details.epoch).toBe(1);
    expect(e.details.value > DIVERGENCE_FACTOR * e.details.before! || !Number.isFinite(e.details.value)).toBe(true);
    expect(e.message).toMatch(/^network training diverged at epoch 1 \(training loss [^)]+\): lower learningRate \(now 5\)$/);
  });

  it('stops Adam at a rate far too high, whose loss stays finite but a billion times too big', () => {
    const model = new NnModel({ network: small, optimizer: { name: 'adam', learningRate: 100 } });
    const e = fitError(() => model.fit(x, y, { epochs: 20, seed: 3, trainer }));
    expect(Number.isFinite(e.details.value)).toBe(true);
    expect(e.details).toMatchObject({ epoch: 1, optimizer: 'adam', learningRate: 100 });
  });

  it('says when the learning rate is the default one', () => {
    // Inputs 30 times larger make SGD's default step far too long for them.
    const wide = x.map((r) => r.map((v) => 30 * v));
    const model = new NnModel({ network: small, optimizer: 'sgd' });
    const e = fitError(() => model.fit(wide, y, { epochs: 20, seed: 3, trainer }));
    expect(e.message).toMatch(/: lower learningRate \(now 0\.01, the sgd default\)$/);
  });

  it('leaves a healthy fit alone, with a validation set and early stopping too', () => {
    const model = new NnModel({ network: small, optimizer: { name: 'adam', learningRate: 0.02 } });
    const xv = featureRows(50, 2);
    const fit = model.fit(x, y, { epochs: 30, seed: 3, trainer, validation: { x: xv, y: xv.map(linearTarget) }, earlyStopping: { patience: 3, restoreBestWeights: true } });
    expect(fit.history.loss.every(Number.isFinite)).toBe(true);
    model.dispose();
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

describe('trainLoop', () => {
  it('throws at the first epoch whose training loss is NaN or infinite', () => {
    expect(() => trainLoop(scripted([1, 0.5, Number.NaN, 0.1, 0.1]), loop)).toThrow(new TrainingDiverged(3, 'training loss', Number.NaN, 1));
    expect(() => trainLoop(scripted([1, Number.POSITIVE_INFINITY, 1, 1, 1]), loop)).toThrow(TrainingDiverged);
  });

  it('throws when the loss grows past DIVERGENCE_FACTOR times the larger of the untrained loss and the targets\' mean square', () => {
    expect(() => trainLoop(scripted([1, 2e6, 1, 1, 1], undefined, 1), loop)).toThrow(TrainingDiverged);
    expect(() => trainLoop(scripted([1, 0.9e6, 1, 1, 1], undefined, 1), loop)).not.toThrow();
    // The loss of forecasting 0 sets the scale when the untrained network happened to fit well.
    expect(() => trainLoop(scripted([1, 2e6, 1, 1, 1], undefined, 1e-3), { ...loop, targetMeanSquare: 4 })).not.toThrow();
    expect(() => trainLoop(scripted([1, 2e6, 1, 1, 1], undefined, 1e-3), loop)).toThrow(TrainingDiverged);
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

  it('accepts the study\'s deep network, and says when the batch is what is too big', () => {
    expect(checkFitSize({ inputSize: 2, layers: [{ units: 300 }, { units: 100 }, { units: 1 }] }, { optimizer: 'adam', batchRows: 600 }).bytes).toBeLessThan(MAX_FIT_BYTES / 100);
    const wide = { inputSize: 2, layers: [{ units: 100_000 }, { units: 1 }] };
    expect(() => checkFitSize(wide, { optimizer: 'sgd', batchRows: 1_000_000 })).toThrow(/; use a smaller batchSize, or fewer or smaller hidden layers$/);
  });
});
