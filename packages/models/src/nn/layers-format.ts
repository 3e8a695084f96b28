import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '@backtest/core';
import { makeDirectory, writeFileAtomic } from '@backtest/core/internal';
import type { io } from '@tensorflow/tfjs-core';
import type { ModelFiles } from '../model';
import { weightName, weightShapes } from './dense-network';
import { type Activation, ACTIVATIONS, type ResolvedNetwork } from './spec';

/**
 * Reads and writes a dense network in the TensorFlow.js layers format (model.json + weights.bin,
 * what tfjs-node's `file://` handler writes), with plain node fs: tfjs-node is optional, and
 * synchronous writes let a checkpoint be saved in the middle of a synchronous training loop.
 */

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const TFJS_VERSION = '4.22.0';

export interface SavedNetwork {
  readonly spec: ResolvedNetwork;
  /** Kernel, bias per layer (`weightShapes` order). */
  readonly weights: readonly Float32Array[];
  /** Our own notes (optimizer, seed, training summary), kept in model.json's userDefinedMetadata. */
  readonly metadata: Record<string, unknown>;
}

/** Writes weights.bin, then model.json (each atomically): a reader never sees new JSON with old weights. */
export function writeLayersModel(dir: string, saved: SavedNetwork): void {
  makeDirectory(dir);
  for (const [name, content] of Object.entries(layersModelFiles(saved))) writeFileAtomic(join(dir, name), content);
}

/**
 * The files `writeLayersModel` writes, in memory: weights.bin, then model.json (the order they
 * are written in). For writers that put them elsewhere (a run folder written as a whole).
 */
export function layersModelFiles(saved: SavedNetwork): ModelFiles {
  const { modelJson, weightData } = toArtifacts(saved);
  return { [WEIGHTS_FILE]: weightData, [MODEL_FILE]: `${JSON.stringify(modelJson)}\n` };
}

export function readLayersModel(dir: string): SavedNetwork {
  const { modelJson, weightData } = readArtifacts(dir);
  const topology = modelJson.modelTopology as Topology | undefined;
  const where = join(dir, MODEL_FILE);
  const bad = (why: string): never => {
    throw new UserError(`${where}: ${why}; expected a Sequential stack of Dense layers saved by @backtest/models or tfjs-layers`);
  };
  if (topology?.class_name !== 'Sequential' || !Array.isArray(topology.config?.layers)) bad('not a Sequential model');
  const layerConfigs = (topology as Topology).config.layers.filter((l) => l.class_name !== 'InputLayer');
  let inputSize: number | undefined;
  const layers = layerConfigs.map((l, i) => {
    if (l.class_name !== 'Dense') bad(`layer ${i + 1} is ${String(l.class_name)}`);
    if (l.config.use_bias === false) bad(`layer ${i + 1} has no bias`);
    const activation = (l.config.activation ?? 'linear') as Activation;
    if (!ACTIVATIONS.includes(activation)) bad(`layer ${i + 1} has activation ${String(activation)}`);
    if (i === 0) inputSize = l.config.batch_input_shape?.[1] ?? undefined;
    return { units: Number(l.config.units), activation };
  });
  const inputLayer = (topology as Topology).config.layers.find((l) => l.class_name === 'InputLayer');
  inputSize ??= inputLayer?.config.batch_input_shape?.[1] ?? undefined;
  if (inputSize === undefined || layers.length === 0) bad('the input size is missing');
  const spec: ResolvedNetwork = { inputSize: inputSize as number, layers };

  const specs = (modelJson.weightsManifest ?? []).flatMap((g) => g.weights);
  const byName = new Map<string, Float32Array>();
  let offset = 0;
  for (const s of specs) {
    if (s.dtype !== undefined && s.dtype !== 'float32') bad(`weight ${s.name} is ${s.dtype}, not float32`);
    const size = s.shape.reduce((a, b) => a * b, 1);
    if (offset + size * 4 > weightData.byteLength) bad(`${WEIGHTS_FILE} is shorter than the manifest says`);
    byName.set(s.name, new Float32Array(weightData.buffer.slice(weightData.byteOffset + offset, weightData.byteOffset + offset + size * 4)));
    offset += size * 4;
  }
  // Match by layer position and role, not by name: tfjs-layers names layers dense_Dense1 and so on.
  const dense = layerConfigs.map((l) => String(l.config.name));
  const weights = weightShapes(spec).map((shape, i) => {
    const layerName = dense[Math.floor(i / 2)] as string;
    const role = i % 2 === 0 ? 'kernel' : 'bias';
    const w = byName.get(`${layerName}/${role}`) ?? byName.get(weightName(i));
    const size = shape.reduce((a, b) => a * b, 1);
    if (!w || w.length !== size) bad(`weight ${layerName}/${role} [${shape}] is missing or has the wrong size`);
    return w as Float32Array;
  });
  return { spec, weights, metadata: (modelJson.userDefinedMetadata as Record<string, unknown> | undefined) ?? {} };
}

/**
 * A TensorFlow.js IOHandler over a directory, so `tf.loadLayersModel(fileIOHandler(dir))` and
 * `model.save(fileIOHandler(dir))` work without tfjs-node.
 */
export function fileIOHandler(dir: string): io.IOHandler {
  return {
    load: async () => {
      const { modelJson, weightData } = readArtifacts(dir);
      const copy = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer;
      return {
        modelTopology: modelJson.modelTopology,
        format: modelJson.format,
        generatedBy: modelJson.generatedBy,
        convertedBy: modelJson.convertedBy,
        weightSpecs: (modelJson.weightsManifest ?? []).flatMap((g) => g.weights),
        weightData: copy,
        userDefinedMetadata: modelJson.userDefinedMetadata,
      };
    },
    save: async (artifacts) => {
      const parts = artifacts.weightData === undefined ? [] : Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData];
      const bytes = Buffer.concat(parts.map((p) => new Uint8Array(p)));
      makeDirectory(dir);
      writeFileAtomic(join(dir, WEIGHTS_FILE), bytes);
      const modelJson: io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? '',
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      writeFileAtomic(join(dir, MODEL_FILE), `${JSON.stringify(modelJson)}\n`);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(modelJson.modelTopology).length,
          weightDataBytes: bytes.byteLength,
        },
      };
    },
  };
}

/** True when `dir` holds a layers-format model. */
export function isLayersModelDir(dir: string): boolean {
  return existsSync(join(dir, MODEL_FILE));
}

interface LayerConfig {
  class_name: string;
  config: { name?: string; units?: number; activation?: string; use_bias?: boolean; batch_input_shape?: (number | null)[] };
}
interface Topology {
  class_name: string;
  config: { layers: LayerConfig[] };
}

function readArtifacts(dir: string): { modelJson: io.ModelJSON; weightData: Uint8Array } {
  const modelPath = join(dir, MODEL_FILE);
  if (!existsSync(modelPath)) throw new UserError(`no network in ${dir}: ${MODEL_FILE} is missing`);
  let modelJson: io.ModelJSON;
  try {
    modelJson = JSON.parse(readFileSync(modelPath, 'utf8')) as io.ModelJSON;
  } catch (err) {
    throw new UserError(`${modelPath}: not valid JSON (${(err as Error).message})`);
  }
  const paths = (modelJson.weightsManifest ?? []).flatMap((g) => g.paths);
  const chunks = paths.map((p) => {
    const file = join(dir, p);
    if (!existsSync(file)) throw new UserError(`${modelPath} lists weights file ${p}, which is missing`);
    return readFileSync(file);
  });
  return { modelJson, weightData: new Uint8Array(Buffer.concat(chunks)) };
}

/** model.json as tfjs-layers 4.22 writes it for a Sequential of Dense layers (Glorot-uniform, zero bias). */
function toArtifacts(saved: SavedNetwork): { modelJson: io.ModelJSON; weightData: Uint8Array } {
  const { spec } = saved;
  const layers = spec.layers.map((layer, l) => ({
    class_name: 'Dense',
    config: {
      units: layer.units,
      activation: layer.activation,
      use_bias: true,
      kernel_initializer: { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
      name: `dense_${l + 1}`,
      trainable: true,
      ...(l === 0 ? { batch_input_shape: [null, spec.inputSize] } : {}),
      dtype: 'float32',
    },
  }));
  const shapes = weightShapes(spec);
  const weightSpecs = shapes.map((shape, i) => ({ name: weightName(i), shape, dtype: 'float32' as const }));
  const total = saved.weights.reduce((s, w) => s + w.length, 0);
  const all = new Float32Array(total);
  let offset = 0;
  for (const w of saved.weights) {
    all.set(w, offset);
    offset += w.length;
  }
  const modelJson: io.ModelJSON = {
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'sequential', layers },
      keras_version: `tfjs-layers ${TFJS_VERSION}`,
      backend: 'tensor_flow.js',
    },
    format: 'layers-model',
    generatedBy: `@backtest/models (TensorFlow.js layers format ${TFJS_VERSION})`,
    convertedBy: null,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: weightSpecs }],
    userDefinedMetadata: saved.metadata as io.ModelJSON['userDefinedMetadata'],
  };
  // Float32Array bytes are little-endian on every platform Node runs on, as weights.bin requires.
  return { modelJson, weightData: new Uint8Array(all.buffer) };
}
