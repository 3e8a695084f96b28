/** The folder and HTML report of `backtest compare`. */
export { compareFolderFiles, parseCompareSummaryJson, writeCompareFolder } from './compare-folder';
export { compareRecordFrom, type CompareResultDoc, type CompareSummaryDoc, type MultipleTestingDoc, trialLabel } from './compare-record';
export { buildCompareReport } from './compare-report';
export { compareRows, summaryColumns, valueAt } from './compare-table';
export { shortLabels } from './short-labels';
