/**
 * `backtest study seed`: the article's neural-network study re-run exactly, its figures and the
 * data behind them written to a folder, and the leak in its normalisation measured.
 */
export { type StudyOptions, type StudyResult, runStudy } from './run-study';
export { defaultStudyDir, PARTIAL_SUFFIX, STUDY_PAGE, studyFolderFiles, type WrittenStudyFolder, writeStudyFolder } from './study-folder';
export { studyDocument } from './study-json';
export { formatStudySummary } from './summary-text';
export { buildStudyPage } from './figures/study-page';
export { architectureSvg } from './figures/architecture-svg';
export { LEAK_NOTE, type LeakMeasurement, type LeakVariant, measureLeak } from './leak';
export type { Conclusions } from './conclusions';
export type { CheckpointCheck, Curves, EarlyStopped, NeuronRun } from './experiments';
export { type Coefficients, type RegressionFit } from './regression';
export { DEEP_NETWORK, SINGLE_NEURON, SMALL_NETWORK, STUDY_NETWORKS, type StudyNetwork } from './networks';
export { prepareStudyData, SPLIT, type StudyRow, type PreparedData, WINDOW } from './prepare';

/** The studies `backtest study <name>` knows. */
export const STUDIES = ['seed'] as const;
