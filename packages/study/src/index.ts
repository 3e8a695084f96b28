/**
 * `backtest study seed`: the article's neural-network study re-run exactly, its figures and the
 * data behind them written to a folder, and the leak in its normalisation measured.
 */
export { type StudyOptions, type StudyResult, runStudy } from './run-study';
export { defaultStudyDir, writeStudyFolder } from './study-folder';
export { studyDocument } from './study-json';
export { formatStudySummary } from './summary-text';

/** The studies `backtest study <name>` knows. */
export const STUDIES = ['seed'] as const;
