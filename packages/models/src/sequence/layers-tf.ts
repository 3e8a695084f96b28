import type * as TfLayersModule from '@tensorflow/tfjs-layers';
import { loadTf, type Tf } from '../tf';

/** tfjs-layers' module type; only types are imported at the top so nothing loads eagerly. */
export type TfLayers = typeof TfLayersModule;

/**
 * What an author's `build` function receives: tfjs-core's ops and tfjs-layers' `sequential`,
 * `model`, `input` and `layers.*` in one object, as `import * as tf from '@tensorflow/tfjs'`
 * would give. Its `layers.*` factories ignore initializer arguments (see `zeroInitLayers`).
 */
export type SequenceTf = Tf & TfLayers;

let loaded: TfLayers | undefined;

/**
 * Loads tfjs-layers on first use, after tfjs-core (tf.ts): requiring it registers every
 * gradient and costs a few hundred milliseconds more, which OLS users and the dense trainers
 * never pay. Both resolve to the one copy of tfjs-core this package depends on.
 */
export function loadLayers(): TfLayers {
  loadTf();
  loaded ??= require('@tensorflow/tfjs-layers') as TfLayers;
  return loaded;
}

let forAuthors: SequenceTf | undefined;
/** Per-build counters of default names (see `withDefaultNames`); undefined outside a build. */
let names: Map<string, number> | undefined;

/** The object an author's `build` gets (built once). */
export function sequenceTf(): SequenceTf {
  if (!forAuthors) {
    const core = loadTf();
    const layers = loadLayers();
    forAuthors = Object.freeze({
      ...core,
      ...layers,
      layers: zeroInitLayers(layers.layers),
      sequential: named(layers.sequential, 'sequential'),
      model: named(layers.model, 'model'),
      input: named(layers.input, 'input'),
    }) as SequenceTf;
  }
  return forAuthors;
}

/**
 * Runs `build` with Keras-style default names for what it creates unnamed (lstm, lstm_1,
 * dense, batch_normalization, ...), counted from zero for each build. tfjs-layers numbers its
 * default names across the whole process (lstm_LSTM3), so an author's model.json (layer and
 * weight names) would depend on how many models were built before; these do not.
 */
export function withDefaultNames<T>(build: () => T): T {
  const outer = names;
  names = new Map();
  try {
    return build();
  } finally {
    names = outer;
  }
}

function defaultName(base: string): string | undefined {
  if (!names) return undefined;
  const n = names.get(base) ?? 0;
  names.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

function named<F extends (...args: never[]) => unknown>(factory: F, base: string): F {
  return ((args?: Record<string, unknown>) => {
    const name = args?.name === undefined ? defaultName(base) : undefined;
    return (factory as unknown as (a?: unknown) => unknown)(name === undefined ? args : { ...args, name });
  }) as unknown as F;
}

/**
 * `tf.layers` whose factories replace every `*Initializer` argument with 'zeros' (and drop
 * `unitForgetBias: true`, which the framework applies itself) and give unnamed layers default
 * names (`withDefaultNames`). The framework sets every weight itself from the seed after the
 * model is built (initializers.ts), so the initializers would only waste draws from
 * TensorFlow.js' unseeded generator, and tfjs-layers' own Orthogonal (the LSTM/GRU default)
 * throws in this install. Zeros draw nothing and never fail.
 */
function zeroInitLayers(layers: TfLayers['layers']): TfLayers['layers'] {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(layers)) {
    // Classes (Layer, RNN, RNNCell) pass through: `new` and `instanceof` must keep working.
    const isFactory = typeof value === 'function' && /^[a-z]/.test(name);
    const base = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    wrapped[name] = isFactory ? (args?: Record<string, unknown>) => (value as (a?: unknown) => unknown)(layerArgs(args, base)) : value;
  }
  return wrapped as TfLayers['layers'];
}

function layerArgs(args: Record<string, unknown> | undefined, base: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(args ?? {}) };
  for (const key of INITIALIZER_ARGS) out[key] = 'zeros';
  // tfjs-layers 4.22's unit-forget-bias initializer leaks four tensors per build; the framework
  // gives every LSTM the forget-gate bias 1 itself unless it says false (architecture.ts).
  if (out.unitForgetBias === true) delete out.unitForgetBias;
  if (out.name === undefined) {
    const name = defaultName(base);
    if (name !== undefined) out.name = name;
  }
  return out;
}

/** Every initializer argument of a tfjs-layers 4.22 layer factory. */
const INITIALIZER_ARGS = [
  'kernelInitializer',
  'recurrentInitializer',
  'biasInitializer',
  'betaInitializer',
  'gammaInitializer',
  'movingMeanInitializer',
  'movingVarianceInitializer',
  'depthwiseInitializer',
  'pointwiseInitializer',
  'embeddingsInitializer',
  'alphaInitializer',
] as const;
