/**
 * `backtest study seed`: the article's neural-network study re-run exactly, its figures and the
 * data behind them written to a folder, and the leak in its normalisation measured.
 */
export { type StudyOptions, type StudyResult, runStudy } from './run-study';
export { LEAK_NOTE, type LeakMeasurement, type LeakVariant } from './leak';
export type { Conclusions } from './conclusions';
export type { CheckpointCheck, Curves, EarlyStopped, NeuronRun } from './experiments';
export type { Coefficients, RegressionFit } from './regression';
export { prepareStudyData, SPLIT, type StudyRow, type PreparedData, WINDOW } from './prepare';
