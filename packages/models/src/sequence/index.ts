// Sequence networks (LSTM, GRU, Conv1D, an author's own tfjs-layers model). Nothing here loads
// TensorFlow.js at import: tfjs-core and tfjs-layers are required on the first build or fit.
export { type BuiltInArchitecture, type CustomArchitecture, type SequenceArchitecture } from './architecture';
export { computeFans, gaussian, glorot, glorotLimit, householderQ, initialWeights, orthogonal, SEQUENCE_STREAM, type WeightToInit } from './initializers';
export type { SequenceTf } from './layers-tf';
export type { LossName } from './runner';
export type { SequenceSamples } from './samples';
export { divergedError, type SequenceFitResult, SequenceNet, type SequenceNetInfo, type SequenceNetOptions, type SequenceOptimizer } from './sequence-net';
export { sequenceFitWork, type SequenceWorkInput } from './work';
