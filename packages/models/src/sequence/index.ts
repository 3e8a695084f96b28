// Sequence networks (LSTM, GRU, Conv1D, an author's own tfjs-layers model). Nothing here loads
// TensorFlow.js at import: tfjs-core and tfjs-layers are required on the first build or fit.
export type { CustomArchitecture } from './architecture';
export type { SequenceTf } from './layers-tf';
export { SequenceNet } from './sequence-net';
export { sequenceFitWork } from './work';
